"""The JSON API's views: each parses, calls one service or selector, and answers JSON."""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers
from django.views.decorators.csrf import csrf_exempt

from ficarchive.accounts.selectors import pseuds_of, user_get
from ficarchive.core.errors import NotFound
from ficarchive.feedback import services as feedback
from ficarchive.feedback.models import Comment
from ficarchive.feedback.selectors import (
    bookmark_get_own,
    bookmarks_for_user,
    comment_permission_for,
    comment_thread,
    kudos_summary,
)
from ficarchive.tags.selectors import (
    tag_as_json,
    tag_autocomplete,
    tag_by_url_name,
    tag_works_count,
    works_under_tag,
)
from ficarchive.tags.vocabulary import TagKind
from ficarchive.works import services as works
from ficarchive.works.models import Chapter, Work
from ficarchive.works.selectors import chapters_for_viewer, work_get_for_viewer, works_by_user

from . import params as p
from .http import ApiError, api_view, error_response, json_response, read_json
from .pagination import decode_cursor, encode_cursor, paginate_works, parse_limit
from .schema import openapi
from .serializers import api_url, bookmark_json, chapter_json, comment_json, user_json, work_json


def _viewer(request: HttpRequest) -> Any:
    return request.user


def _page(items: list[dict], next_cursor: str | None, request: HttpRequest, **extra: Any) -> dict[str, Any]:
    next_url = None
    if next_cursor:
        query = request.GET.copy()
        query["cursor"] = next_cursor
        next_url = request.build_absolute_uri(request.path) + "?" + query.urlencode()
    return {"items": items, "next_cursor": next_cursor, "next": next_url, **extra}


def _works_page(request: HttpRequest, base: Any = None, default_sort: str = "updated") -> HttpResponse:
    params = p.filter_params(request.GET)
    page = paginate_works(
        _viewer(request), params, limit=parse_limit(request.GET.get("limit")),
        cursor=request.GET.get("cursor") or None, base=base, default_sort=default_sort,
    )
    items = [work_json(w, _viewer(request)) for w in page.items]
    return json_response(_page(items, page.next_cursor, request, sort=page.sort, dir="desc" if page.descending else "asc"))


# --- Index and description ---------------------------------------------------------------


@api_view("GET")
def index(request: HttpRequest) -> HttpResponse:
    return json_response({
        "name": "Ficarchive API",
        "version": "v1",
        "openapi": api_url("openapi"),
        "docs": api_url("docs"),
        "links": {
            "works": api_url("works"),
            "search": api_url("search"),
            "tag_autocomplete": api_url("tag_autocomplete"),
        },
        "authenticated_as": request.user.username if request.user.is_authenticated else None,
    })


@csrf_exempt
def not_found(request: HttpRequest) -> HttpResponse:
    return error_response(404, "not_found", "There is nothing at this address; see /api/v1/openapi.json.")


@api_view("GET")
def openapi_json(request: HttpRequest) -> HttpResponse:
    return json_response(openapi())


# --- Works ---------------------------------------------------------------------------------


def _chapter_input(data: dict[str, Any], field: str = "chapter") -> works.ChapterInput:
    fmt = p.get_str(data, "text_format", "auto")
    if fmt not in ("auto", "html", "text"):
        raise p._field_error("text_format", "text_format must be auto, html or text.")
    return works.ChapterInput(
        body=p.get_str(data, "body"), title=p.get_str(data, "title"), summary=p.get_str(data, "summary"),
        notes=p.get_str(data, "notes"), end_notes=p.get_str(data, "end_notes"), text_format=fmt,
    )


def _meta(data: dict[str, Any], current: Work | None = None) -> works.WorkMeta:
    """WorkMeta from a JSON body; on edit, fields left out keep the work's values."""

    def names(tags: list) -> list[str]:
        return [t.name for t in tags]

    d: dict[str, Any] = {}
    if current is not None:
        d = {
            "title": current.title, "rating": current.rating, "warnings": names(current.warnings),
            "fandoms": names(current.fandoms), "categories": names(current.categories),
            "relationships": names(current.relationships), "characters": names(current.characters),
            "tags": names(current.freeforms), "summary": current.summary, "notes": current.notes,
            "end_notes": current.end_notes, "language": current.language, "restricted": current.restricted,
            "anonymous": current.anonymous, "expected_chapters": current.expected_chapters,
            "comment_permission": current.comment_permission,
        }
    merged = {**d, **data}
    return works.WorkMeta(
        title=p.get_str(merged, "title"), rating=p.get_str(merged, "rating", "Not Rated"),
        warnings=p.get_list(merged, "warnings"), fandoms=p.get_list(merged, "fandoms"),
        categories=p.get_list(merged, "categories"), relationships=p.get_list(merged, "relationships"),
        characters=p.get_list(merged, "characters"), freeforms=p.get_list(merged, "tags"),
        summary=p.get_str(merged, "summary"), notes=p.get_str(merged, "notes"),
        end_notes=p.get_str(merged, "end_notes"), language=p.get_str(merged, "language", "en") or "en",
        restricted=p.get_bool(merged, "restricted"), anonymous=p.get_bool(merged, "anonymous"),
        expected_chapters=p.get_int(merged, "expected_chapters"),
        in_progress=p.get_bool(merged, "in_progress"),
        comment_permission=p.get_str(merged, "comment_permission", "users"),
    )


def _work_for(request: HttpRequest, work_id: int) -> Work:
    return work_get_for_viewer(work_id, _viewer(request))


@api_view("GET", "POST")
def works_collection(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        return work_create(request)
    return _works_page(request)


def work_create(request: HttpRequest) -> HttpResponse:
    data = read_json(request)
    raw_chapters = data.get("chapters")
    if not isinstance(raw_chapters, list) or not raw_chapters or not all(isinstance(c, dict) for c in raw_chapters):
        raise p._field_error("chapters", "chapters must be a list of at least one chapter object.")
    work = works.work_create(
        actor=request.user, meta=_meta(data), chapters=[_chapter_input(c) for c in raw_chapters],
        draft=p.get_bool(data, "draft"),
    )
    work = _work_for(request, work.pk)
    response = json_response(work_json(work, request.user), status=201)
    response["Location"] = api_url("work", work.pk)
    return response


def _viewer_class(work: Work, viewer: Any) -> str:
    if viewer.is_authenticated and viewer.is_admin:
        return "admin"
    if work.is_creator(viewer):
        return "creator"
    return "user" if viewer.is_authenticated else "guest"


def _etag(work: Work, viewer: Any) -> str:
    parts = [work.pk, work.updated_at.isoformat(), work.kudos_count, work.comment_count,
             work.bookmark_count, work.hit_count, _viewer_class(work, viewer)]
    return '"' + hashlib.sha256(":".join(map(str, parts)).encode()).hexdigest()[:32] + '"'


def _if_none_match(request: HttpRequest, etag: str) -> bool:
    header = request.META.get("HTTP_IF_NONE_MATCH", "")
    if not header:
        return False
    tags = [t.strip().removeprefix("W/") for t in header.split(",")]
    return "*" in tags or etag in tags


@api_view("GET", "PATCH")
def work_detail(request: HttpRequest, work_id: int) -> HttpResponse:
    work = _work_for(request, work_id)
    if request.method == "PATCH":
        data = read_json(request)
        chapter = None
        if "body" in data:
            chapter = _chapter_input({"body": data.get("body"), "text_format": data.get("text_format", "auto")})
        works.work_update(actor=request.user, work=work, meta=_meta(data, work), chapter=chapter)
        if p.get_bool(data, "posted", work.posted) and not work.posted:
            works.work_post(actor=request.user, work=work)
        work = _work_for(request, work.pk)
        return json_response(work_json(work, request.user))
    etag = _etag(work, request.user)
    if _if_none_match(request, etag):
        response = HttpResponse(status=304)
    else:
        response = json_response(work_json(work, request.user))
    response["ETag"] = etag
    response["Cache-Control"] = "private, no-cache"
    patch_vary_headers(response, ("Authorization", "Cookie"))
    return response


@api_view("GET", "POST")
def chapters_collection(request: HttpRequest, work_id: int) -> HttpResponse:
    work = _work_for(request, work_id)
    if request.method == "POST":
        data = read_json(request)
        chapter = works.chapter_add(
            actor=request.user, work=work, chapter=_chapter_input(data), posted=p.get_bool(data, "posted", True)
        )
        response = json_response(chapter_json(chapter), status=201)
        response["Location"] = api_url("chapter", work.pk, chapter.pk)
        return response
    include_body = p.query_bool(request.GET, "body")
    items = [chapter_json(c, body=include_body) for c in chapters_for_viewer(work, request.user)]
    return json_response({"items": items, "next_cursor": None, "next": None})


@api_view("GET")
def chapter_detail(request: HttpRequest, work_id: int, chapter_id: int) -> HttpResponse:
    work = _work_for(request, work_id)
    for chapter in chapters_for_viewer(work, request.user):
        if chapter.pk == chapter_id:
            return json_response(chapter_json(chapter))
    raise NotFound("No such chapter.")


# --- Comments and kudos ------------------------------------------------------------------


def _flatten(nodes: list, out: list) -> list:
    for node in nodes:
        out.append(comment_json(node))
        _flatten(node.replies, out)
    return out


def _offset_page(items: list, request: HttpRequest, key: str) -> HttpResponse:
    limit = parse_limit(request.GET.get("limit"))
    offset = 0
    cursor = request.GET.get("cursor")
    if cursor:
        state = decode_cursor(cursor)
        offset = state.get("o")
        if state.get("s") != key or not isinstance(offset, int) or offset < 0:
            raise ApiError(400, "invalid_cursor", "The cursor is not one this API gave out.")
    chunk = items[offset : offset + limit]
    more = offset + limit < len(items)
    next_cursor = encode_cursor({"s": key, "o": offset + limit}) if more else None
    return json_response(_page(chunk, next_cursor, request))


@api_view("GET", "POST")
def work_comments(request: HttpRequest, work_id: int) -> HttpResponse:
    work = _work_for(request, work_id)
    if request.method == "POST":
        data = read_json(request)
        chapter = parent = None
        chapter_id = p.get_id(data, "chapter_id")
        parent_id = p.get_id(data, "parent_id")
        if chapter_id is not None:
            chapter = Chapter.objects.filter(pk=chapter_id, work=work).first()
            if chapter is None:
                raise NotFound("No such chapter.")
        if parent_id is not None:
            parent = Comment.objects.filter(pk=parent_id, work=work).first()
            if parent is None:
                raise NotFound("No such comment.")
        comment = feedback.comment_create(
            actor=request.user, work=work, body=p.get_str(data, "body"), chapter=chapter, parent=parent
        )
        for node in _flatten_nodes(comment_thread(work, request.user)):
            if node.comment.pk == comment.pk:
                return json_response(comment_json(node), status=201)
        raise NotFound("No such comment.")  # pragma: no cover - a new comment is in its thread
    items = _flatten(comment_thread(work, request.user), [])
    return _offset_page(items, request, "comments")


def _flatten_nodes(nodes: list) -> list:
    out = []
    for node in nodes:
        out.append(node)
        out.extend(_flatten_nodes(node.replies))
    return out


@api_view("GET", "POST")
def work_kudos(request: HttpRequest, work_id: int) -> HttpResponse:
    work = _work_for(request, work_id)
    if request.method == "POST":
        try:
            feedback.kudos_give(actor=request.user, work=work)
        except ValidationError as exc:
            raise ApiError(409, "conflict", exc.messages[0] if exc.messages else "Already done.")
        status = 201
    else:
        status = 200
    work.refresh_from_db(fields=["kudos_count"])
    summary = kudos_summary(work, request.user)
    return json_response({
        "work_id": work.pk,
        "total": work.kudos_count,
        "users": [u.username for u in summary["users"]],
        "guests": summary["guests"],
        "given": summary["given"],
        "can_comment": comment_permission_for(work, request.user)["allowed"],
    }, status=status)


# --- Tags, search --------------------------------------------------------------------------


@api_view("GET")
def tag_detail(request: HttpRequest, name: str) -> HttpResponse:
    tag = tag_by_url_name(name)
    data = tag_as_json(tag)
    # The command line counts every work; here only those this viewer can find.
    data["works"] = tag_works_count(tag, request.user)
    data["url"] = api_url("tag", tag.url_name).replace("/api/v1/tags/", "/tags/", 1)
    data["works_url"] = api_url("tag_works", tag.url_name)
    return json_response(data)


@api_view("GET")
def tag_works(request: HttpRequest, name: str) -> HttpResponse:
    tag = tag_by_url_name(name)
    return _works_page(request, base=works_under_tag(tag, request.user))


@api_view("GET")
def tag_autocomplete_view(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind")
    if kind is not None and kind not in TagKind.values:
        raise p.bad("kind", f"kind must be one of: {', '.join(TagKind.values)}.")
    limit = parse_limit(request.GET.get("limit"), default=10)
    items = tag_autocomplete(
        term=request.GET.get("term", ""), kind=kind, fandoms=request.GET.getlist("fandom"), limit=min(limit, 50)
    )
    return json_response({"items": items})


@api_view("GET")
def search(request: HttpRequest) -> HttpResponse:
    return _works_page(request, default_sort="relevance")


# --- Users and bookmarks ---------------------------------------------------------------------


@api_view("GET")
def user_detail(request: HttpRequest, username: str) -> HttpResponse:
    user = user_get(username)
    return json_response(user_json(user, list(pseuds_of(user))))


@api_view("GET")
def user_works(request: HttpRequest, username: str) -> HttpResponse:
    user = user_get(username)
    return _works_page(request, base=works_by_user(user, request.user))


@api_view("GET")
def user_bookmarks(request: HttpRequest, username: str) -> HttpResponse:
    owner = user_get(username)
    qs = bookmarks_for_user(owner, request.user)
    limit = parse_limit(request.GET.get("limit"))
    cursor = request.GET.get("cursor")
    if cursor:
        state = decode_cursor(cursor)
        last_id = state.get("i")
        if state.get("s") != "bookmarks" or not isinstance(last_id, int):
            raise ApiError(400, "invalid_cursor", "The cursor is not one this API gave out.")
        # created_at and id grow together, so id alone is a stable seek key here.
        qs = qs.filter(Q(pk__lt=last_id))
    rows = list(qs.order_by("-id")[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = encode_cursor({"s": "bookmarks", "i": rows[-1].pk}) if more and rows else None
    return json_response(_page([bookmark_json(b, request.user) for b in rows], next_cursor, request))


@api_view("POST")
def bookmarks_collection(request: HttpRequest) -> HttpResponse:
    data = read_json(request)
    work_id = p.get_id(data, "work_id", required=True)
    work = _work_for(request, work_id)
    existed = feedback_bookmark_exists(request.user, work)
    bookmark = feedback.bookmark_save(
        actor=request.user, work=work, notes=p.get_str(data, "notes"), tags=p.get_list(data, "tags"),
        private=p.get_bool(data, "private"), rec=p.get_bool(data, "rec"),
    )
    bookmark = bookmark_get_own(bookmark.pk, request.user)
    response = json_response(bookmark_json(bookmark, request.user), status=200 if existed else 201)
    response["Location"] = api_url("bookmark", bookmark.pk)
    return response


def feedback_bookmark_exists(user: Any, work: Work) -> bool:
    from ficarchive.feedback.selectors import bookmark_of

    return bookmark_of(work, user) is not None


@api_view("GET", "DELETE")
def bookmark_detail(request: HttpRequest, bookmark_id: int) -> HttpResponse:
    if request.method == "GET" and not request.user.is_authenticated:
        raise NotFound("No such bookmark.")
    bookmark = bookmark_get_own(bookmark_id, request.user)
    if request.method == "DELETE":
        feedback.bookmark_delete(actor=request.user, bookmark=bookmark)
        return HttpResponse(status=204)
    return json_response(bookmark_json(bookmark, request.user))
