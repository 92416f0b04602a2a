"""The OpenAPI description of what the collections issue adds to works: ``collections``,
``gift_to`` and ``series`` on the work body, ``collections`` and ``gift_to`` on one work's
answer (optional: listings leave them out)."""

from __future__ import annotations

from typing import Any

from .schema_paths import FILTER_PARAMS, PAGE_PARAMS, _op, _path, _q
from .schema_types import BOOL, DATETIME, INT, NSTR, STR, STRS, URL, obj, page_of

# Collections, gifts and series on a work (the collections issue). Optional on the Work
# object: a single work's answer carries them, listings leave them out.
WORK_PROPERTIES: dict[str, Any] = dict(
    {
        "collections": {
            **STRS,
            "description": "Names of the collections the work is approved in (single work only).",
        },
        "gift_to": {**STRS, "description": "Gift recipients, refused gifts left out."},
    }
)
WORK_INPUT_PROPERTIES: dict[str, Any] = {
    "collections": {
        **STRS,
        "description": "Collection names to add the work to (moderated ones hold it for approval). An unknown or closed collection is a 400 naming the field collections, and nothing is made or changed.",
    },
    "gift_to": {
        **STRS,
        "description": 'The work\'s gift recipients, exactly: user names, "pseud (user)", or free text (a name with no account is a gift to that name, as AO3 allows). A refused gift or yourself is a 400 naming the field gift_to.',
    },
    "series": {
        "type": "array",
        "items": {
            "type": "object",
            "properties": {"id": INT, "title": STR, "position": {"type": "integer", "minimum": 1}},
        },
        "description": "Series to add the work to: an existing one by id, or the creator's by title (made when new). An unknown id or a bad entry is a 400 naming the field series (someone else's series: 403), and nothing is made or changed.",
    },
}


def add_to(schemas: dict[str, Any]) -> None:
    """Add the properties to the Work, WorkInput and WorkPatch schemas (none required)."""
    schemas["Work"]["properties"].update(WORK_PROPERTIES)
    schemas["WorkInput"]["properties"].update(WORK_INPUT_PROPERTIES)
    schemas["WorkPatch"]["properties"].update(WORK_INPUT_PROPERTIES)


# --- The collection endpoints: /collections, one collection, its works and bookmarks -----

_COLLECTION = {
    "name": STR,
    "title": STR,
    "description": {"type": "string", "description": "Sanitized HTML."},
    "parent": {**NSTR, "description": "The parent collection's name, if a sub-collection."},
    "moderated": BOOL,
    "closed": BOOL,
    "anonymous": {**BOOL, "description": "Creators hidden until the reveal."},
    "unrevealed": {**BOOL, "description": "Works hidden until the reveal."},
    "revealed_at": DATETIME,
    "challenge": {
        "type": ["string", "null"],
        "enum": ["gift_exchange", "prompt_meme", None],
        "description": "The challenge the collection runs, if any.",
    },
    "created_at": DATETIME,
    "url": URL,
    "api_url": URL,
    "works_url": URL,
    "bookmarks_url": URL,
}
SCHEMAS: dict[str, Any] = {
    "Collection": obj(_COLLECTION),
    "CollectionPage": page_of("Collection"),
    "CollectionDetail": obj(
        {
            **_COLLECTION,
            "maintainers": {**STRS, "description": "Owners' and moderators' user names."},
            "children": {**STRS, "description": "Sub-collections' names."},
            "mystery_works": {
                **INT,
                "description": "Unrevealed works you may not see yet (a count, never a title).",
            },
        }
    ),
}


def paths() -> dict[str, Any]:
    """The collection endpoints' paths (read-only; ``schema`` merges them)."""
    name = _path("name", {"type": "string", "minLength": 1}, "The collection's name.")
    flag = {"type": "boolean"}
    return {
        "/collections": {
            "get": _op(
                "collections_list",
                "Every collection, newest first",
                ("200", "CollectionPage", "A page of collections"),
                params=PAGE_PARAMS,
            )
        },
        "/collections/{name}": {
            "parameters": [name],
            "get": _op(
                "collection_get", "One collection", ("200", "CollectionDetail", "The collection")
            ),
        },
        "/collections/{name}/works": {
            "parameters": [name],
            "get": _op(
                "collection_works",
                "The collection's works (sub-collections included), with the browse filters",
                ("200", "WorkPage", "A page of works"),
                params=FILTER_PARAMS,
            ),
        },
        "/collections/{name}/bookmarks": {
            "parameters": [name],
            "get": _op(
                "collection_bookmarks",
                "The collection's approved public bookmarks of works you may list, newest first",
                ("200", "BookmarkPage", "A page of bookmarks"),
                params=[
                    _q("tag", STR, "A tag on the work (synonyms, subtags) or the bookmarker's."),
                    _q("rec", flag, "Recommendations only."),
                    _q("with_notes", flag, "Bookmarks with notes only."),
                    _q("bookmarker", STR, "One account's bookmarks (user name)."),
                    *PAGE_PARAMS,
                ],
            ),
        },
    }
