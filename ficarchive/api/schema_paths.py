"""The OpenAPI 3.1 description of /api/v1/: its paths, parameters and responses."""

from __future__ import annotations

from typing import Any

from ficarchive.discovery.forms import SORTS
from ficarchive.tags.vocabulary import ArchiveWarning, Category, Rating, TagKind

from .schema_types import STR, STRS, ref


def _q(
    name: str, schema: dict, description: str, *, required: bool = False, explode: bool = False
) -> dict:
    param = {
        "name": name,
        "in": "query",
        "required": required,
        "schema": schema,
        "description": description,
    }
    if explode:
        param.update(style="form", explode=True)
    return param


def _path(name: str, schema: dict, description: str) -> dict:
    return {
        "name": name,
        "in": "path",
        "required": True,
        "schema": schema,
        "description": description,
    }


def _list(values: list[str]) -> dict:
    return {"type": "array", "items": {"enum": values}}


PAGE_PARAMS = [
    _q("limit", {"type": "integer", "minimum": 1, "maximum": 100}, "Items per page (default 20)."),
    _q("cursor", STR, "The next_cursor of the previous page."),
]
FILTER_PARAMS = [
    _q("rating", _list(list(Rating.values)), "Only these ratings.", explode=True),
    _q("exclude_rating", _list(list(Rating.values)), "Not these ratings.", explode=True),
    _q(
        "warning",
        _list(list(ArchiveWarning.values)),
        "Only works with these warnings.",
        explode=True,
    ),
    _q("exclude_warning", _list(list(ArchiveWarning.values)), "Not these warnings.", explode=True),
    _q("category", _list(list(Category.values)), "Only these categories.", explode=True),
    _q("exclude_category", _list(list(Category.values)), "Not these categories.", explode=True),
    _q(
        "tag",
        STRS,
        "Works under each of these tags (synonyms and subtags included); commas also separate.",
        explode=True,
    ),
    _q("exclude_tag", STRS, "No work under any of these tags.", explode=True),
    _q("crossover", {"enum": ["only", "exclude"]}, "Only crossovers, or none."),
    _q("complete", {"enum": ["complete", "in_progress"]}, "Complete or in-progress works only."),
    _q(
        "words_from",
        {"type": "integer", "minimum": 0, "maximum": 999999999},
        "At least this many words.",
    ),
    _q(
        "words_to",
        {"type": "integer", "minimum": 0, "maximum": 999999999},
        "At most this many words.",
    ),
    _q("date_from", {"type": "string", "format": "date"}, "Updated on or after (YYYY-MM-DD)."),
    _q("date_to", {"type": "string", "format": "date"}, "Updated on or before (YYYY-MM-DD)."),
    _q("language", STR, "Language code, e.g. en."),
    _q(
        "hide",
        _list(["read", "kudosed", "bookmarked"]),
        "Signed-in readers: leave out works already read, given kudos or bookmarked.",
        explode=True,
    ),
    _q(
        "updated_since_read",
        {"enum": ["true", "false"]},
        "Signed-in readers: only works with a chapter posted since they last read them.",
    ),
    _q(
        "q",
        STR,
        'Search within results, in the search page\'s query language (words, "phrases", -excluded, field:value).',
    ),
    _q(
        "sort",
        {"enum": list(SORTS)},
        "Order: " + ", ".join(SORTS) + ". Default: updated (relevance when q is given).",
    ),
    _q("dir", {"enum": ["asc", "desc"]}, "Direction; the sort's own default when left out."),
    *PAGE_PARAMS,
]
WORK_ID = _path("work_id", {"type": "integer", "minimum": 1}, "The work's id.")
TAG_NAME = _path(
    "name",
    STR,
    "The tag's name, escaped as in the site's tag addresses (/ → *s*, & → *a*, . → *d*, ? → *q*, # → *h*).",
)
USERNAME = _path("username", STR, "The user name.")
COMMENT_ID = _path("comment_id", {"type": "integer", "minimum": 1}, "The comment's id.")


def _resp(ref_name: str | None, description: str, headers: dict | None = None) -> dict:
    out: dict[str, Any] = {"description": description}
    if ref_name:
        out["content"] = {"application/json": {"schema": ref(ref_name)}}
    if headers:
        out["headers"] = headers
    return out


ERRORS = {
    "400": "Invalid input",
    "401": "Missing or bad token",
    "403": "Not allowed",
    "404": "Not found (or not visible to you)",
    "405": "Method not allowed",
    "409": "Already done",
    "413": "Body too large",
    "429": "Too many requests",
}
RETRY = {"Retry-After": {"schema": {"type": "string"}, "description": "Seconds to wait."}}


def _errors(*codes: str) -> dict:
    return {code: _resp("Error", ERRORS[code], RETRY if code == "429" else None) for code in codes}


def _op(
    op_id: str,
    summary: str,
    ok: tuple[str, str | None, str],
    *,
    params: list | None = None,
    body: str | None = None,
    errors: tuple[str, ...] = ("400", "404", "429"),
    write: bool = False,
    description: str = "",
    ok_headers: dict | None = None,
    extra: dict | None = None,
) -> dict:
    op: dict[str, Any] = {"operationId": op_id, "summary": summary, "parameters": params or []}
    if description:
        op["description"] = description
    if body:
        op["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": ref(body)}},
        }
    responses = {ok[0]: _resp(ok[1], ok[2], ok_headers)}
    responses.update(extra or {})
    all_errors = set(errors) | ({"401", "403", "413"} if write else {"401"})
    responses.update(_errors(*sorted(all_errors)))
    op["responses"] = responses
    if write:
        op["security"] = [{"bearerAuth": []}, {"sessionCookie": []}]
        op["x-scope"] = "write"
    return op


def _paths() -> dict[str, Any]:
    etag = {"ETag": {"schema": STR, "description": "Send back in If-None-Match."}}
    return {
        "/": {
            "get": _op("index", "Where everything is", ("200", "Index", "Links"), errors=("429",))
        },
        "/openapi.json": {
            "get": {
                "operationId": "openapi",
                "summary": "This description",
                "responses": {
                    "200": {
                        "description": "OpenAPI 3.1 JSON",
                        "content": {"application/json": {"schema": {"type": "object"}}},
                    }
                },
            }
        },
        "/works": {
            "get": _op(
                "works_list",
                "Browse works with every filter and sort of the browse page",
                ("200", "WorkPage", "A page of works"),
                params=FILTER_PARAMS,
            ),
            "post": _op(
                "work_create",
                "Post a work (or save a draft)",
                ("201", "Work", "The new work"),
                body="WorkInput",
                write=True,
            ),
        },
        "/works/{work_id}": {
            "parameters": [WORK_ID],
            "get": _op(
                "work_get",
                "A work's metadata, tags, counts and download links",
                ("200", "Work", "The work"),
                ok_headers=etag,
                params=[
                    {
                        "name": "If-None-Match",
                        "in": "header",
                        "required": False,
                        "schema": STR,
                        "description": "An ETag from an earlier answer.",
                    }
                ],
                extra={"304": {"description": "Not modified since the ETag sent"}},
            ),
            "patch": _op(
                "work_update",
                "Edit a work (its creators)",
                ("200", "Work", "The work as edited"),
                body="WorkPatch",
                write=True,
            ),
            "delete": _op(
                "work_delete",
                "Delete a work with its chapters, comments, kudos and bookmarks (its creators, or an admin)",
                ("204", None, "Deleted"),
                write=True,
            ),
        },
        "/works/{work_id}/orphan": {
            "parameters": [WORK_ID],
            "post": _op(
                "work_orphan",
                "Orphan a work: your name leaves it for orphan_account's; it stays up (its creators)",
                ("204", None, "Orphaned"),
                write=True,
            ),
        },
        "/works/{work_id}/chapters": {
            "parameters": [WORK_ID],
            "get": _op(
                "chapters_list",
                "A work's chapters, in order",
                ("200", "ChapterPage", "The chapters"),
                params=[_q("body", {"type": "boolean"}, "Include each chapter's text.")],
            ),
            "post": _op(
                "chapter_add",
                "Add a chapter at the end (the work's creators)",
                ("201", "Chapter", "The new chapter"),
                body="ChapterInput",
                write=True,
            ),
        },
        "/works/{work_id}/chapters/{chapter_id}": {
            "parameters": [
                WORK_ID,
                _path("chapter_id", {"type": "integer", "minimum": 1}, "The chapter's id."),
            ],
            "get": _op(
                "chapter_get", "One chapter with its text", ("200", "Chapter", "The chapter")
            ),
            "patch": _op(
                "chapter_update",
                "Edit a chapter's title, notes or text (the work's creators)",
                ("200", "Chapter", "The chapter as edited"),
                body="ChapterPatch",
                write=True,
            ),
            "delete": _op(
                "chapter_delete",
                "Delete a chapter; the last one cannot go (the work's creators)",
                ("204", None, "Deleted"),
                write=True,
            ),
        },
        "/works/{work_id}/chapters/order": {
            "parameters": [WORK_ID],
            "put": _op(
                "chapters_reorder",
                "Put the chapters in a new order (the work's creators)",
                ("200", "ChapterPage", "The chapters, renumbered"),
                body="ChapterOrder",
                write=True,
            ),
        },
        "/works/{work_id}/comments": {
            "parameters": [WORK_ID],
            "get": _op(
                "comments_list",
                "A work's comments, threads in order (replies follow their parent)",
                ("200", "CommentPage", "The comments"),
                params=PAGE_PARAMS,
            ),
            "post": _op(
                "comment_create",
                "Comment on a work, a chapter, or reply",
                ("201", "Comment", "The new comment"),
                body="CommentInput",
                write=True,
            ),
        },
        "/works/{work_id}/kudos": {
            "parameters": [WORK_ID],
            "get": _op("kudos_get", "Who left kudos", ("200", "Kudos", "Kudos")),
            "post": _op(
                "kudos_give",
                "Leave kudos",
                ("201", "Kudos", "Kudos, with yours"),
                write=True,
                errors=("400", "404", "409", "429"),
            ),
        },
        "/works/{work_id}/suggestions": {
            "parameters": [WORK_ID],
            "get": _op(
                "suggestions_get",
                "Tags the text may call for, with the passages behind each (the work's creators; 404 for anyone else)",
                ("200", "Suggestions", "Open proposals and dismissals"),
            ),
        },
        **{
            f"/works/{{work_id}}/suggestions/{verb}": {
                "parameters": [WORK_ID],
                "post": _op(
                    f"suggestion_{verb}",
                    summary,
                    ("200", "Suggestions", "The proposals left"),
                    body="SuggestionInput",
                    write=True,
                ),
            }
            for verb, summary in (
                (
                    "accept",
                    'Add a proposed tag to the work (a rating replaces the rating; a warning replaces "No Archive Warnings Apply")',
                ),
                ("dismiss", "Drop a proposed tag: it is not proposed for this work again"),
                ("restore", "Propose a dismissed tag again"),
            )
        },
        "/comments/{comment_id}": {
            "parameters": [COMMENT_ID],
            "get": _op("comment_get", "One comment", ("200", "Comment", "The comment")),
            "patch": _op(
                "comment_update",
                "Edit your comment",
                ("200", "Comment", "The comment as edited"),
                body="CommentPatch",
                write=True,
            ),
            "delete": _op(
                "comment_delete",
                "Delete a comment (its author, the work's creators, or an admin); one with replies stays as deleted",
                ("204", None, "Deleted"),
                write=True,
            ),
        },
        "/series/{series_id}": {
            "parameters": [
                _path("series_id", {"type": "integer", "minimum": 1}, "The series' id.")
            ],
            "get": _op(
                "series_get",
                "A series and its works this viewer may see, in order",
                ("200", "Series", "The series"),
            ),
        },
        "/tags/autocomplete": {
            "get": _op(
                "tags_autocomplete",
                "Tags starting with a term",
                ("200", "TagSuggestions", "Suggestions"),
                params=[
                    _q("term", STR, "The start of a tag name."),
                    _q("kind", {"enum": list(TagKind.values)}, "Only tags of this kind."),
                    _q("fandom", STRS, "Prefer tags of these fandoms.", explode=True),
                    _q(
                        "limit",
                        {"type": "integer", "minimum": 1, "maximum": 100},
                        "At most this many (up to 50; default 10).",
                    ),
                ],
            ),
        },
        "/tags/{name}": {
            "parameters": [TAG_NAME],
            "get": _op("tag_get", "A tag and its wrangling", ("200", "Tag", "The tag")),
        },
        "/tags/{name}/works": {
            "parameters": [TAG_NAME],
            "get": _op(
                "tag_works",
                "Works under a tag (synonyms and subtags included), with the browse filters",
                ("200", "WorkPage", "A page of works"),
                params=FILTER_PARAMS,
            ),
        },
        "/search": {
            "get": _op(
                "search",
                "Search works: q in the query language, and every filter",
                ("200", "WorkPage", "A page of works, best match first"),
                params=FILTER_PARAMS,
            )
        },
        "/users/{username}": {
            "parameters": [USERNAME],
            "get": _op(
                "user_get", "A user's public profile and pseuds", ("200", "User", "The user")
            ),
        },
        "/users/{username}/works": {
            "parameters": [USERNAME],
            "get": _op(
                "user_works",
                "A user's works (anonymous ones only for the user and admins)",
                ("200", "WorkPage", "A page of works"),
                params=FILTER_PARAMS,
            ),
        },
        "/users/{username}/bookmarks": {
            "parameters": [USERNAME],
            "get": _op(
                "user_bookmarks",
                "A user's bookmarks (private ones only for the user)",
                ("200", "BookmarkPage", "A page of bookmarks"),
                params=PAGE_PARAMS,
            ),
        },
        "/users/{username}/inbox": {
            "parameters": [USERNAME],
            "get": _op(
                "inbox_list",
                "Your inbox: comments on your works and replies to your comments, newest first (404 for anyone else's)",
                ("200", "InboxPage", "A page of notifications"),
                params=[_q("unread", {"type": "boolean"}, "Unread ones only."), *PAGE_PARAMS],
            ),
            "post": _op(
                "inbox_update",
                "Mark some of your inbox items read or unread, or delete them (the comments stay)",
                ("200", "InboxUpdated", "What changed"),
                body="InboxUpdate",
                write=True,
            ),
        },
        "/bookmarks": {
            "post": _op(
                "bookmark_save",
                "Bookmark a work, or update your bookmark of it",
                ("201", "Bookmark", "The new bookmark"),
                body="BookmarkInput",
                write=True,
                extra={"200": _resp("Bookmark", "Your existing bookmark, updated")},
            )
        },
        "/bookmarks/{bookmark_id}": {
            "parameters": [
                _path("bookmark_id", {"type": "integer", "minimum": 1}, "The bookmark's id.")
            ],
            "get": _op(
                "bookmark_get", "One of your bookmarks", ("200", "Bookmark", "The bookmark")
            ),
            "delete": _op(
                "bookmark_delete",
                "Delete one of your bookmarks",
                ("204", None, "Deleted"),
                write=True,
            ),
        },
    }
