"""The OpenAPI 3.1 description of /api/v1/: the shared schemas (``components.schemas``)
and the small builders the paths use."""

from __future__ import annotations

from typing import Any

from ficarchive.discovery.forms import SORTS
from ficarchive.tags.vocabulary import ArchiveWarning, Category, Rating, TagKind
from ficarchive.works.models import CommentPermission
from ficarchive.works.text import TEXT_FORMATS

from .schema_types import BOOL, DATETIME, INT, NINT, NSTR, STR, STRS, URL, obj, page_of, ref

SCHEMAS: dict[str, Any] = {
    "Error": obj(
        {
            "error": obj(
                {
                    "code": {
                        "type": "string",
                        "description": "Machine-readable: not_found, forbidden, unauthorized, invalid_token, insufficient_scope, csrf_failed, invalid, invalid_json, invalid_parameter, invalid_query, invalid_cursor, method_not_allowed, conflict, too_large, rate_limited, account_restricted (a suspended, banned or unconfirmed account writing).",
                    },
                    "message": STR,
                    "fields": {"type": "object", "additionalProperties": STRS},
                },
                required=["code", "message"],
            ),
        }
    ),
    "Creator": obj({"pseud": STR, "user": NSTR, "name": STR, "url": URL}),
    "SeriesRef": obj({"id": INT, "title": STR, "position": INT}),
    "Work": obj(
        {
            "id": INT,
            "url": URL,
            "api_url": URL,
            "title": STR,
            "creators": {
                "oneOf": [{"type": "array", "items": ref("Creator")}, {"type": "null"}],
                "description": "null when the work is anonymous and the viewer is neither a creator nor an admin.",
            },
            "byline": {"type": "string", "description": 'Creators\' names, or "Anonymous".'},
            "anonymous": BOOL,
            "rating": {"enum": list(Rating.values)},
            "warnings": STRS,
            "categories": STRS,
            "fandoms": STRS,
            "relationships": STRS,
            "characters": STRS,
            "tags": STRS,
            "summary": STR,
            "notes": STR,
            "end_notes": STR,
            "language": STR,
            "words": INT,
            "chapters": INT,
            "expected_chapters": NINT,
            "chapters_display": STR,
            "complete": BOOL,
            "posted": BOOL,
            "restricted": BOOL,
            "hidden_by_admin": BOOL,
            "comment_permission": {"enum": list(CommentPermission.values)},
            "published_at": DATETIME,
            "revised_at": DATETIME,
            "kudos": INT,
            "comments": INT,
            "bookmarks": INT,
            "hits": INT,
            "series": {"type": "array", "items": ref("SeriesRef")},
            "downloads": obj({ext: URL for ext in ("epub", "azw3", "mobi", "pdf", "html")}),
        }
    ),
    "WorkPage": obj(
        {
            "items": {"type": "array", "items": ref("Work")},
            "next_cursor": NSTR,
            "next": NSTR,
            "sort": {"enum": list(SORTS)},
            "dir": {"enum": ["asc", "desc"]},
        }
    ),
    "Chapter": obj(
        {
            "id": INT,
            "work_id": INT,
            "position": INT,
            "title": STR,
            "heading": STR,
            "url": URL,
            "api_url": URL,
            "summary": STR,
            "notes": STR,
            "end_notes": STR,
            "words": INT,
            "posted": {
                "type": "boolean",
                "description": "false for a draft chapter, and for every chapter of a draft work until the work is posted (as on AO3).",
            },
            "published_at": DATETIME,
            "body": {
                "type": "string",
                "description": "Sanitized HTML; in lists only with body=true.",
            },
        },
        required=[
            "id",
            "work_id",
            "position",
            "title",
            "heading",
            "url",
            "api_url",
            "words",
            "posted",
            "published_at",
        ],
    ),
    "ChapterPage": page_of("Chapter"),
    "Comment": obj(
        {
            "id": INT,
            "work_id": INT,
            "chapter_id": NINT,
            "parent_id": NINT,
            "author": {
                "type": ["string", "null"],
                "description": 'null for a deleted comment; "Anonymous Creator" on anonymous works.',
            },
            "author_url": NSTR,
            "by_creator": BOOL,
            "body": STR,
            "deleted": BOOL,
            "created_at": DATETIME,
            "edited_at": DATETIME,
            "can_edit": {"type": "boolean", "description": "The viewer wrote it and may edit it."},
            "can_delete": {
                "type": "boolean",
                "description": "The viewer wrote it, made the work, or is an admin.",
            },
            "api_url": URL,
        }
    ),
    "CommentPage": page_of("Comment"),
    "Series": obj(
        {
            "id": INT,
            "title": STR,
            "url": URL,
            "api_url": URL,
            "creators": {
                "type": "array",
                "items": ref("Creator"),
                "description": "Creators of the works shown, anonymous ones left out.",
            },
            "summary": STR,
            "notes": STR,
            "complete": BOOL,
            "words": {"type": "integer", "description": "Words in the works this viewer may see."},
            "works": {
                "type": "array",
                "items": ref("Work"),
                "description": "The works this viewer may see, in series order.",
            },
        }
    ),
    "InboxItem": obj(
        {
            "id": INT,
            "read": BOOL,
            "created_at": DATETIME,
            "reply": {
                "type": "boolean",
                "description": "A reply to one of your comments (else a comment on your work).",
            },
            "work": obj({"id": INT, "title": STR, "url": URL, "api_url": URL}),
            "comment": obj(
                {
                    "id": INT,
                    "chapter_id": NINT,
                    "parent_id": NINT,
                    "author": NSTR,
                    "author_url": NSTR,
                    "body": STR,
                    "created_at": DATETIME,
                    "edited_at": DATETIME,
                    "api_url": URL,
                }
            ),
        }
    ),
    "InboxPage": page_of("InboxItem"),
    "InboxUpdate": {
        "type": "object",
        "properties": {
            "action": {"enum": ["read", "unread", "delete"]},
            "item_ids": {
                "type": "array",
                "items": {"type": "integer", "minimum": 1},
                "maxItems": 1000,
            },
        },
        "required": ["action", "item_ids"],
    },
    "InboxUpdated": obj(
        {
            "action": {"enum": ["read", "unread", "delete"]},
            "count": {
                "type": "integer",
                "description": "How many of your items changed (ids not yours are skipped).",
            },
            "unread": {"type": "integer", "description": "Unread items left."},
        }
    ),
    "Suggestion": obj(
        {
            "kind": {"enum": list(TagKind.values)},
            "name": STR,
            "score": {"type": "number", "minimum": 0, "maximum": 1},
            "strength": {"enum": ["strong", "moderate", "weak"]},
            "passages": {
                "type": "array",
                "items": obj(
                    {
                        "chapter": {"type": "integer", "description": "Chapter position."},
                        "before": STR,
                        "cue": {
                            "type": "string",
                            "description": "The words that called for the tag.",
                        },
                        "after": STR,
                    }
                ),
            },
            "more_passages": {"type": "integer", "description": "Further passages not shown."},
        }
    ),
    "Suggestions": obj(
        {
            "work_id": INT,
            "count": INT,
            "items": {
                "type": "array",
                "items": ref("Suggestion"),
                "description": "Open proposals, in the order of AO3's tag fields, best first.",
            },
            "dismissed": {
                "type": "array",
                "items": obj(
                    {"kind": {"enum": list(TagKind.values)}, "name": STR, "dismissed_at": DATETIME}
                ),
            },
            "page": {
                "type": "string",
                "format": "uri",
                "description": "The suggestions page on the site.",
            },
        }
    ),
    "SuggestionInput": {
        "type": "object",
        "properties": {
            "kind": {"enum": list(TagKind.values)},
            "name": {"type": "string", "minLength": 1},
        },
        "required": ["kind", "name"],
    },
    "Kudos": obj(
        {
            "work_id": INT,
            "total": INT,
            "users": STRS,
            "guests": INT,
            "given": BOOL,
            "can_comment": BOOL,
        }
    ),
    "Tag": obj(
        {
            "name": STR,
            "kind": {"enum": list(TagKind.values)},
            "canonical": BOOL,
            "unwrangled": BOOL,
            "synonym_of": NSTR,
            "synonyms": STRS,
            "parents": STRS,
            "children": STRS,
            "fandoms": STRS,
            "characters": STRS,
            "uses": INT,
            "works": {
                "type": "integer",
                "description": "Works under the tag's closure this viewer can find.",
            },
            "url": URL,
            "works_url": URL,
        }
    ),
    "TagSuggestion": obj(
        {
            "id": INT,
            "name": STR,
            "kind": {"enum": list(TagKind.values)},
            "canonical": BOOL,
            "uses": INT,
            "synonym_of": NINT,
        }
    ),
    "TagSuggestions": obj({"items": {"type": "array", "items": ref("TagSuggestion")}}),
    "Pseud": obj({"name": STR, "url": URL, "default": BOOL}),
    "User": obj(
        {
            "username": STR,
            "url": URL,
            "api_url": URL,
            "joined": {"type": "string", "format": "date"},
            "profile": STR,
            "pseuds": {"type": "array", "items": ref("Pseud")},
        }
    ),
    "Bookmark": obj(
        {
            "id": INT,
            "user": NSTR,
            "pseud": STR,
            "work_id": INT,
            "work": ref("Work"),
            "notes": STR,
            "tags": STRS,
            "private": BOOL,
            "rec": BOOL,
            "created_at": DATETIME,
            "updated_at": DATETIME,
        }
    ),
    "BookmarkPage": page_of("Bookmark"),
    "Index": obj(
        {
            "name": STR,
            "version": STR,
            "openapi": URL,
            "docs": URL,
            "links": {"type": "object", "additionalProperties": URL},
            "authenticated_as": NSTR,
        }
    ),
    "ChapterInput": {
        "type": "object",
        "properties": {
            "body": {
                "type": "string",
                "description": "The text: HTML, or plain text with blank lines between paragraphs.",
            },
            "title": STR,
            "summary": STR,
            "notes": STR,
            "end_notes": STR,
            "text_format": {"enum": list(TEXT_FORMATS)},
            "posted": {
                "type": "boolean",
                "description": "Adding a chapter only: false keeps it a draft chapter.",
            },
        },
        "required": ["body"],
    },
    "WorkInput": {
        "type": "object",
        "properties": {
            "title": STR,
            "rating": {"enum": list(Rating.values)},
            "warnings": {
                "type": "array",
                "items": {"enum": list(ArchiveWarning.values)},
                "minItems": 1,
            },
            "fandoms": {"type": "array", "items": STR, "minItems": 1},
            "categories": {"type": "array", "items": {"enum": list(Category.values)}},
            "relationships": STRS,
            "characters": STRS,
            "tags": {"type": "array", "items": STR, "description": "Additional (freeform) tags."},
            "summary": STR,
            "notes": STR,
            "end_notes": STR,
            "language": STR,
            "restricted": BOOL,
            "anonymous": BOOL,
            "expected_chapters": {"type": ["integer", "null"], "minimum": 1},
            "in_progress": BOOL,
            "comment_permission": {"enum": list(CommentPermission.values)},
            "draft": BOOL,
            "chapters": {"type": "array", "items": ref("ChapterInput"), "minItems": 1},
        },
        "required": ["title", "rating", "warnings", "fandoms", "chapters"],
    },
    "WorkPatch": {
        "type": "object",
        "description": "Fields left out keep their values. body replaces the text of a one-chapter work; posted: true posts a draft.",
        "properties": {
            "title": STR,
            "rating": {"enum": list(Rating.values)},
            "warnings": {
                "type": "array",
                "items": {"enum": list(ArchiveWarning.values)},
                "minItems": 1,
            },
            "fandoms": {"type": "array", "items": STR, "minItems": 1},
            "categories": {"type": "array", "items": {"enum": list(Category.values)}},
            "relationships": STRS,
            "characters": STRS,
            "tags": STRS,
            "summary": STR,
            "notes": STR,
            "end_notes": STR,
            "language": STR,
            "restricted": BOOL,
            "anonymous": BOOL,
            "expected_chapters": {"type": ["integer", "null"], "minimum": 1},
            "in_progress": BOOL,
            "comment_permission": {"enum": list(CommentPermission.values)},
            "posted": {
                "type": "boolean",
                "description": "true posts a draft; false on a posted work is a 400 (no way back to draft, as on AO3).",
            },
            "body": STR,
            "text_format": {"enum": list(TEXT_FORMATS)},
        },
    },
    "ChapterPatch": {
        "type": "object",
        "description": "Fields left out keep their values.",
        "properties": {
            "body": {
                "type": "string",
                "description": "The new text: HTML, or plain text with blank lines between paragraphs.",
            },
            "title": STR,
            "summary": STR,
            "notes": STR,
            "end_notes": STR,
            "text_format": {"enum": list(TEXT_FORMATS)},
        },
    },
    "ChapterOrder": {
        "type": "object",
        "properties": {
            "chapter_ids": {
                "type": "array",
                "items": {"type": "integer", "minimum": 1},
                "maxItems": 1000,
                "description": "Every chapter id of the work, once each, in the new order.",
            }
        },
        "required": ["chapter_ids"],
    },
    "CommentPatch": {"type": "object", "properties": {"body": STR}, "required": ["body"]},
    "CommentInput": {
        "type": "object",
        "properties": {
            "body": STR,
            "chapter_id": {"type": "integer", "minimum": 1},
            "parent_id": {"type": "integer", "minimum": 1},
        },
        "required": ["body"],
    },
    "BookmarkInput": {
        "type": "object",
        "properties": {
            "work_id": {"type": "integer", "minimum": 1},
            "notes": STR,
            "tags": STRS,
            "private": BOOL,
            "rec": BOOL,
        },
        "required": ["work_id"],
    },
}
