"""Works, chapters and series: each view parses, calls one service or selector, and
answers JSON."""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers
from django.views.decorators.csrf import csrf_exempt

from ficarchive.collections.services import work_extras_apply, work_extras_json
from ficarchive.core.viewers import Viewer, is_admin, is_user
from ficarchive.reading.services import history_record
from ficarchive.works import access
from ficarchive.works import services as works
from ficarchive.works.models import Chapter, Work
from ficarchive.works.muting import works_unmuted
from ficarchive.works.selectors import chapters_for_viewer, series_get_for_viewer
from ficarchive.works.text import TEXT_FORMATS

from .. import params as p
from ..http import ApiError, api_view, error_response, json_response, read_json
from ..schema import openapi
from ..serializers import api_url, chapter_json, series_json, work_json
from .common import actor, viewer, work_as_creator, work_for, works_page

# --- Index and description ---------------------------------------------------------------


@api_view("GET")
def index(request: HttpRequest) -> HttpResponse:
    user = request.user
    links = {
        "works": api_url("works"),
        "search": api_url("search"),
        "tag_autocomplete": api_url("tag_autocomplete"),
    }
    if user.is_authenticated:
        links["inbox"] = api_url("inbox", user.get_username())
        links["bookmarks"] = api_url("user_bookmarks", user.get_username())
    return json_response(
        {
            "name": "Ficarchive API",
            "version": "v1",
            "openapi": api_url("openapi"),
            "docs": api_url("docs"),
            "links": links,
            "authenticated_as": user.get_username() if user.is_authenticated else None,
        }
    )


@csrf_exempt
def not_found(request: HttpRequest) -> HttpResponse:
    return error_response(
        404, "not_found", "There is nothing at this address; see /api/v1/openapi.json."
    )


@api_view("GET")
def openapi_json(request: HttpRequest) -> HttpResponse:
    return json_response(openapi())


# --- Works ---------------------------------------------------------------------------------


def _chapter_input(data: dict[str, Any], current: Chapter | None = None) -> works.ChapterInput:
    """ChapterInput from a JSON body; on edit, fields left out keep the chapter's values."""
    if current is not None:
        kept = {
            "title": current.title,
            "summary": current.summary,
            "notes": current.notes,
            "end_notes": current.end_notes,
        }
        if "body" not in data:
            # The stored text is sanitized HTML already; take it as such.
            kept.update(body=current.body, text_format="html")
        data = {**kept, **data}
    fmt = p.get_str(data, "text_format", "auto")
    if fmt not in TEXT_FORMATS:
        raise p.field_error("text_format", f"text_format must be one of {', '.join(TEXT_FORMATS)}.")
    return works.ChapterInput(
        body=p.get_str(data, "body"),
        title=p.get_str(data, "title"),
        summary=p.get_str(data, "summary"),
        notes=p.get_str(data, "notes"),
        end_notes=p.get_str(data, "end_notes"),
        text_format=fmt,
    )


def _meta(data: dict[str, Any], current: Work | None = None) -> works.WorkMeta:
    """WorkMeta from a JSON body; on edit, fields left out keep the work's values."""

    def names(tags: list) -> list[str]:
        return [t.name for t in tags]

    d: dict[str, Any] = {}
    if current is not None:
        d = {
            "title": current.title,
            "rating": current.rating,
            "warnings": names(current.warnings),
            "fandoms": names(current.fandoms),
            "categories": names(current.categories),
            "relationships": names(current.relationships),
            "characters": names(current.characters),
            "tags": names(current.freeforms),
            "summary": current.summary,
            "notes": current.notes,
            "end_notes": current.end_notes,
            "language": current.language,
            "restricted": current.restricted,
            "anonymous": current.anonymous,
            "expected_chapters": current.expected_chapters,
            "comment_permission": current.comment_permission,
        }
    merged = {**d, **data}
    return works.WorkMeta(
        title=p.get_str(merged, "title"),
        rating=p.get_str(merged, "rating", "Not Rated"),
        warnings=p.get_list(merged, "warnings"),
        fandoms=p.get_list(merged, "fandoms"),
        categories=p.get_list(merged, "categories"),
        relationships=p.get_list(merged, "relationships"),
        characters=p.get_list(merged, "characters"),
        freeforms=p.get_list(merged, "tags"),
        summary=p.get_str(merged, "summary"),
        notes=p.get_str(merged, "notes"),
        end_notes=p.get_str(merged, "end_notes"),
        language=p.get_str(merged, "language", "en") or "en",
        restricted=p.get_bool(merged, "restricted"),
        anonymous=p.get_bool(merged, "anonymous"),
        expected_chapters=p.get_int(merged, "expected_chapters"),
        in_progress=p.get_bool(merged, "in_progress"),
        comment_permission=p.get_str(merged, "comment_permission", "users"),
    )


def _names(data: dict[str, Any], key: str) -> list[str] | None:
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise p.field_error(key, f"{key} must be a list of names.")
    return value


def _extras(data: dict[str, Any]) -> dict[str, Any]:
    """``collections``, ``gift_to`` and ``series`` of a work body, checked for shape."""
    series = data.get("series")
    if series is not None:
        if not isinstance(series, list) or not all(isinstance(e, dict) for e in series):
            raise p.field_error("series", 'series must be a list of {"id" or "title", "position"}.')
        for entry in series:
            if not isinstance(entry.get("id"), int | None) or not isinstance(
                entry.get("title"), str | None
            ):
                raise p.field_error("series", "A series id is a number and a title a string.")
    return {
        "collections": _names(data, "collections"),
        "gift_to": _names(data, "gift_to"),
        "series": series,
    }


def _work_json(work: Work, who: Viewer) -> dict[str, Any]:
    """One work's object, with its collections and gift recipients."""
    return {**work_json(work, who), **work_extras_json(work)}


@api_view("GET", "POST")
def works_collection(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        return work_create(request)
    return works_page(request)


def work_create(request: HttpRequest) -> HttpResponse:
    data = read_json(request)
    raw_chapters = data.get("chapters")
    if (
        not isinstance(raw_chapters, list)
        or not raw_chapters
        or not all(isinstance(c, dict) for c in raw_chapters)
    ):
        raise p.field_error("chapters", "chapters must be a list of at least one chapter object.")
    extras = _extras(data)
    with transaction.atomic():
        work = works.work_create(
            actor=actor(request),
            meta=_meta(data),
            chapters=[_chapter_input(c) for c in raw_chapters],
            draft=p.get_bool(data, "draft"),
        )
        work_extras_apply(actor=actor(request), work=work, **extras)
    work = work_for(request, work.pk)
    response = json_response(_work_json(work, request.user), status=201)
    response["Location"] = api_url("work", work.pk)
    return response


def _viewer_class(work: Work, who: Viewer) -> str:
    if is_admin(who):
        return "admin"
    if access.is_creator(who, work):
        return "creator"
    return "user" if is_user(who) else "guest"


def _etag(work: Work, who: Any) -> str:
    parts = [
        work.pk,
        work.updated_at.isoformat(),
        work.kudos_count,
        work.comment_count,
        work.bookmark_count,
        work.hit_count,
        _viewer_class(work, who),
    ]
    return '"' + hashlib.sha256(":".join(map(str, parts)).encode()).hexdigest()[:32] + '"'


def _if_none_match(request: HttpRequest, etag: str) -> bool:
    header = request.META.get("HTTP_IF_NONE_MATCH", "")
    if not header:
        return False
    tags = [t.strip().removeprefix("W/") for t in header.split(",")]
    return "*" in tags or etag in tags


@api_view("GET", "PATCH", "DELETE")
def work_detail(request: HttpRequest, work_id: int) -> HttpResponse:
    if request.method == "PATCH":
        return _work_update(request, work_id)
    if request.method == "DELETE":
        return _work_delete(request, work_id)
    work = work_for(request, work_id)
    etag = _etag(work, request.user)
    if _if_none_match(request, etag):
        response = HttpResponse(status=304)
    else:
        response = json_response(_work_json(work, request.user))
    response["ETag"] = etag
    response["Cache-Control"] = "private, no-cache"
    patch_vary_headers(response, ("Authorization", "Cookie"))
    return response


def _work_update(request: HttpRequest, work_id: int) -> HttpResponse:
    work = work_for(request, work_id)
    data = read_json(request)
    chapter = None
    if "body" in data:
        chapter = _chapter_input(
            {"body": data.get("body"), "text_format": data.get("text_format", "auto")}
        )
    who = actor(request)
    extras = _extras(data)
    if work.posted and not p.get_bool(data, "posted", True):
        # AO3 has no way back from posted to draft: refused, not silently kept.
        raise p.field_error("posted", "A posted work cannot go back to being a draft.")
    with transaction.atomic():
        works.work_update(actor=who, work=work, meta=_meta(data, work), chapter=chapter)
        if p.get_bool(data, "posted", work.posted) and not work.posted:
            works.work_post(actor=who, work=work)
        work_extras_apply(actor=who, work=work, **extras)
    work = work_for(request, work.pk)
    return json_response(_work_json(work, request.user))


def _work_delete(request: HttpRequest, work_id: int) -> HttpResponse:
    """Delete Work, as its page allows: the creators and admins."""
    work = work_for(request, work_id)
    works.work_delete(actor=actor(request), work=work)
    return HttpResponse(status=204)


@api_view("POST")
def work_orphan(request: HttpRequest, work_id: int) -> HttpResponse:
    """Orphan Work: the actor's pseuds give way to orphan_account's; the work stays up."""
    work = work_as_creator(request, work_id)
    works.work_orphan(actor=actor(request), work=work)
    return HttpResponse(status=204)


# --- Chapters ------------------------------------------------------------------------------


@api_view("GET", "POST")
def chapters_collection(request: HttpRequest, work_id: int) -> HttpResponse:
    work = work_for(request, work_id)
    if request.method == "POST":
        data = read_json(request)
        chapter = works.chapter_add(
            actor=actor(request),
            work=work,
            chapter=_chapter_input(data),
            posted=p.get_bool(data, "posted", True),
        )
        response = json_response(chapter_json(chapter), status=201)
        response["Location"] = api_url("chapter", work.pk, chapter.pk)
        return response
    include_body = p.query_bool(request.GET, "body")
    items = [chapter_json(c, body=include_body) for c in chapters_for_viewer(work, request.user)]
    return json_response({"items": items, "next_cursor": None, "next": None})


def _chapter_of(work: Work, chapter_id: int) -> Chapter:
    chapter = work.chapters.filter(pk=chapter_id).first()
    if chapter is None:
        raise ApiError(404, "not_found", "No such chapter.")
    chapter.work = work
    return chapter


@api_view("GET", "PATCH", "DELETE")
def chapter_detail(request: HttpRequest, work_id: int, chapter_id: int) -> HttpResponse:
    if request.method == "GET":
        work = work_for(request, work_id)
        for chapter in chapters_for_viewer(work, request.user):
            if chapter.pk == chapter_id:
                if request.user.is_authenticated and p.query_bool(request.GET, "body", True):
                    # Reading a chapter's text through the API counts as reading it.
                    history_record(user=request.user, work=work, chapter=chapter)
                return json_response(chapter_json(chapter))
        raise ApiError(404, "not_found", "No such chapter.")
    work = work_as_creator(request, work_id)
    chapter = _chapter_of(work, chapter_id)
    if request.method == "DELETE":
        works.chapter_delete(actor=actor(request), chapter=chapter)
        return HttpResponse(status=204)
    data = read_json(request)
    updated = works.chapter_update(
        actor=actor(request), chapter=chapter, data=_chapter_input(data, chapter)
    )
    return json_response(chapter_json(updated))


@api_view("PUT")
def chapter_order(request: HttpRequest, work_id: int) -> HttpResponse:
    """Manage Chapters: the work's chapter ids in their new order."""
    work = work_as_creator(request, work_id)
    ids = p.get_ids(read_json(request), "chapter_ids")
    try:
        works.chapters_reorder(actor=actor(request), work=work, chapter_ids=ids)
    except ValidationError as exc:  # the list as a whole is wrong: name the field
        raise p.field_error("chapter_ids", " ".join(exc.messages)) from None
    items = [chapter_json(c, body=False) for c in chapters_for_viewer(work, request.user)]
    return json_response({"items": items, "next_cursor": None, "next": None})


# --- Series --------------------------------------------------------------------------------


@api_view("GET")
def series_detail(request: HttpRequest, series_id: int) -> HttpResponse:
    """A series with the works in it this viewer may see, in series order."""
    series, found = series_get_for_viewer(series_id, viewer(request))
    found, _ = works_unmuted(found, viewer(request))  # a reader's muted creators, as listings
    return json_response(series_json(series, found, viewer(request)))
