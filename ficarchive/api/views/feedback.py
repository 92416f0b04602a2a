"""Comments, kudos, bookmarks and the inbox, under the same rules as their pages."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse

from ficarchive.accounts.selectors import user_get
from ficarchive.feedback import services as feedback
from ficarchive.feedback.models import Comment
from ficarchive.feedback.selectors import (
    CommentNode,
    bookmark_get_own,
    bookmark_of,
    bookmarks_for_user,
    comment_get_for_viewer,
    comment_permission_for,
    comment_thread,
    inbox_for,
    inbox_unread_count,
    inbox_with_authors,
    kudos_summary,
)
from ficarchive.works.models import Chapter, Work

from .. import params as p
from ..http import ApiError, api_view, json_response, read_json
from ..serializers import api_url, bookmark_json, comment_json, inbox_item_json
from .common import actor, id_page, offset_page, work_for

# --- Comments ------------------------------------------------------------------------------


def _flatten(nodes: list[CommentNode], out: list[CommentNode]) -> list[CommentNode]:
    for node in nodes:
        out.append(node)
        _flatten(node.replies, out)
    return out


def _node(work: Work, request: HttpRequest, comment_id: int) -> CommentNode:
    """The comment as its thread shows it to this viewer (byline, what they may do)."""
    for node in _flatten(comment_thread(work, request.user), []):
        if node.comment.pk == comment_id:
            return node
    raise ApiError(404, "not_found", "No such comment.")


@api_view("GET", "POST")
def work_comments(request: HttpRequest, work_id: int) -> HttpResponse:
    work = work_for(request, work_id)
    if request.method == "POST":
        data = read_json(request)
        chapter = parent = None
        chapter_id = p.get_id(data, "chapter_id")
        parent_id = p.get_id(data, "parent_id")
        if chapter_id is not None:
            chapter = Chapter.objects.filter(pk=chapter_id, work=work).first()
            if chapter is None:
                raise ApiError(404, "not_found", "No such chapter.")
        if parent_id is not None:
            parent = Comment.objects.filter(pk=parent_id, work=work).first()
            if parent is None:
                raise ApiError(404, "not_found", "No such comment.")
        comment = feedback.comment_create(
            actor=request.user,
            work=work,
            body=p.get_str(data, "body"),
            chapter=chapter,
            parent=parent,
        )
        response = json_response(comment_json(_node(work, request, comment.pk)), status=201)
        response["Location"] = api_url("comment", comment.pk)
        return response
    items = [comment_json(n) for n in _flatten(comment_thread(work, request.user), [])]
    return offset_page(items, request, "comments")


@api_view("GET", "PATCH", "DELETE")
def comment_detail(request: HttpRequest, comment_id: int) -> HttpResponse:
    """One comment; its author edits it; its author, the work's creators or an admin delete it."""
    comment = comment_get_for_viewer(comment_id, request.user)
    if request.method == "DELETE":
        feedback.comment_delete(actor=actor(request), comment=comment)
        return HttpResponse(status=204)
    if request.method == "PATCH":
        data = read_json(request)
        if "body" not in data:
            raise p.field_error("body", "body is required.")
        feedback.comment_edit(actor=actor(request), comment=comment, body=p.get_str(data, "body"))
    return json_response(comment_json(_node(comment.work, request, comment.pk)))


# --- Kudos ---------------------------------------------------------------------------------


@api_view("GET", "POST")
def work_kudos(request: HttpRequest, work_id: int) -> HttpResponse:
    work = work_for(request, work_id)
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
    return json_response(
        {
            "work_id": work.pk,
            "total": work.kudos_count,
            "users": [u.username for u in summary["users"]],
            "guests": summary["guests"],
            "given": summary["given"],
            "can_comment": comment_permission_for(work, request.user)["allowed"],
        },
        status=status,
    )


# --- Bookmarks -----------------------------------------------------------------------------


@api_view("GET")
def user_bookmarks(request: HttpRequest, username: str) -> HttpResponse:
    owner = user_get(username)
    return id_page(
        bookmarks_for_user(owner, request.user),
        request,
        "bookmarks",
        lambda rows: [bookmark_json(b, request.user) for b in rows],
    )


@api_view("POST")
def bookmarks_collection(request: HttpRequest) -> HttpResponse:
    data = read_json(request)
    work_id = p.get_id(data, "work_id", required=True)
    if work_id is None:
        raise p.field_error("work_id", "work_id is required.")
    work = work_for(request, work_id)
    existed = bookmark_of(work, request.user) is not None
    bookmark = feedback.bookmark_save(
        actor=actor(request),
        work=work,
        notes=p.get_str(data, "notes"),
        tags=p.get_list(data, "tags"),
        private=p.get_bool(data, "private"),
        rec=p.get_bool(data, "rec"),
    )
    bookmark = bookmark_get_own(bookmark.pk, request.user)
    response = json_response(bookmark_json(bookmark, request.user), status=200 if existed else 201)
    response["Location"] = api_url("bookmark", bookmark.pk)
    return response


@api_view("GET", "DELETE")
def bookmark_detail(request: HttpRequest, bookmark_id: int) -> HttpResponse:
    if request.method == "GET" and not request.user.is_authenticated:
        raise ApiError(404, "not_found", "No such bookmark.")
    bookmark = bookmark_get_own(bookmark_id, request.user)
    if request.method == "DELETE":
        feedback.bookmark_delete(actor=request.user, bookmark=bookmark)
        return HttpResponse(status=204)
    return json_response(bookmark_json(bookmark, request.user))


# --- Inbox ---------------------------------------------------------------------------------

INBOX_ACTIONS = ("read", "unread", "delete")


@api_view("GET", "POST")
def inbox(request: HttpRequest, username: str) -> HttpResponse:
    """The owner's comment notifications, newest first (only the owner: 404 for anyone
    else); POST marks some read or unread, or deletes them from the inbox."""
    owner = user_get(username)
    items = inbox_for(owner, request.user, unread_only=p.query_bool(request.GET, "unread"))
    if request.method == "POST":
        data = read_json(request)
        action = p.get_str(data, "action")
        if action not in INBOX_ACTIONS:
            raise p.field_error("action", "action must be read, unread or delete.")
        ids = p.get_ids(data, "item_ids")
        who = actor(request)
        if action == "delete":
            count = feedback.inbox_delete(actor=who, item_ids=ids)
        else:
            count = feedback.inbox_mark_read(actor=who, item_ids=ids, read=action == "read")
        return json_response(
            {"action": action, "count": count, "unread": inbox_unread_count(owner)}
        )
    return id_page(
        items,
        request,
        "inbox",
        lambda rows: [inbox_item_json(i) for i in inbox_with_authors(rows, request.user)],
    )
