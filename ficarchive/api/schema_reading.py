"""The OpenAPI description of history, Marked for Later, the reading list, reading
settings and author statistics (merged into ``schema`` beside ``schema_paths``)."""

from __future__ import annotations

from typing import Any

from ficarchive.reading.models import ListStatus

from .schema_paths import PAGE_PARAMS, WORK_ID, _op, _q
from .schema_types import BOOL, DATETIME, INT, STR, obj, page_of, ref

STATUS = {"enum": list(ListStatus.values)}
FIGURES = {name: INT for name in ("hits", "kudos", "comments", "bookmarks", "subscribers", "words")}
DATED = {name: INT for name in ("hits", "kudos", "comments", "bookmarks")}

READING_SCHEMAS: dict[str, Any] = {
    "HistoryItem": obj(
        {
            "work": ref("Work"),
            "last_chapter": {
                "oneOf": [
                    {"type": "null"},
                    obj({"id": INT, "position": INT, "title": STR}),
                ]
            },
            "visited_at": DATETIME,
            "views": INT,
            "marked_for_later": BOOL,
        }
    ),
    "HistoryPage": page_of("HistoryItem"),
    "LaterItem": obj({"work": ref("Work"), "marked_at": DATETIME}),
    "LaterPage": page_of("LaterItem"),
    "ReadingListItem": obj({"work": ref("Work"), "status": STATUS, "updated_at": DATETIME}),
    "ReadingListPage": page_of("ReadingListItem"),
    "ReadingListInput": obj({"status": STATUS}),
    "ReadingSettings": obj({"history_enabled": BOOL, "reading_list_public": BOOL}),
    "ReadingSettingsInput": {
        **obj({"history_enabled": BOOL, "reading_list_public": BOOL}, required=[]),
        "minProperties": 1,
        "additionalProperties": False,
    },
    "AuthorStats": obj(
        {
            "year": {"type": ["integer", "null"]},
            "years": {"type": "array", "items": INT},
            "totals": obj(FIGURES),
            "works": {"type": "array", "items": obj({"id": INT, "title": STR, **FIGURES})},
            "series": {"type": "array", "items": obj({"period": STR, **DATED})},
        }
    ),
}


def reading_paths() -> dict[str, Any]:
    """The paths of this part of the API."""
    me = ("400", "429")
    return {
        "/works/{work_id}/later": {
            "parameters": [WORK_ID],
            "put": _op(
                "later_mark",
                "Mark for Later (a work the reader may see; 404 otherwise)",
                ("200", "LaterItem", "The work on the Marked for Later list"),
                write=True,
            ),
            "delete": _op(
                "later_unmark",
                "Mark as Read: take the work off Marked for Later",
                ("204", None, "Off the list"),
                write=True,
            ),
        },
        "/works/{work_id}/reading_list": {
            "parameters": [WORK_ID],
            "put": _op(
                "reading_list_set",
                "Put the work on the reading list with a status, or change it",
                ("200", "ReadingListItem", "The entry"),
                body="ReadingListInput",
                write=True,
            ),
            "delete": _op(
                "reading_list_remove",
                "Take the work off the reading list",
                ("204", None, "Off the list"),
                write=True,
            ),
        },
        "/me/later": {
            "get": _op(
                "me_later",
                "Marked for Later, last marked first (works the reader may still open)",
                ("200", "LaterPage", "A page of works"),
                params=PAGE_PARAMS,
                errors=me,
            )
        },
        "/me/history": {
            "get": _op(
                "me_history",
                "History, last visited first: each work with the last chapter read, when and how often",
                ("200", "HistoryPage", "A page of history"),
                params=PAGE_PARAMS,
                errors=me,
                description="Every chapter opened on the site or read through GET /works/{work_id}/chapters/{chapter_id} (with the body) is recorded, unless history is turned off.",
            ),
            "delete": _op(
                "me_history_clear",
                "Clear the history (works marked for later stay marked)",
                ("204", None, "Cleared"),
                errors=me,
                write=True,
            ),
        },
        "/me/history/{work_id}": {
            "parameters": [WORK_ID],
            "delete": _op(
                "me_history_delete",
                "Clear one work from the history",
                ("204", None, "Cleared"),
                errors=("400", "404", "429"),
                write=True,
            ),
        },
        "/me/reading_list": {
            "get": _op(
                "me_reading_list",
                "The reading list, last changed first",
                ("200", "ReadingListPage", "A page of entries"),
                params=[_q("status", STATUS, "Only this status."), *PAGE_PARAMS],
                errors=me,
            )
        },
        "/me/reading_settings": {
            "get": _op(
                "me_reading_settings",
                "History on or off; reading list public or private",
                ("200", "ReadingSettings", "The settings"),
                errors=me,
            ),
            "patch": _op(
                "me_reading_settings_update",
                "Change the reading settings",
                ("200", "ReadingSettings", "The settings"),
                body="ReadingSettingsInput",
                errors=me,
                write=True,
            ),
        },
        "/me/stats": {
            "get": _op(
                "me_stats",
                "Author statistics: each posted work's hits, kudos, comments, bookmarks, subscribers and words, totals, and the dated figures by month (a year) or by year",
                ("200", "AuthorStats", "The figures"),
                params=[
                    _q(
                        "year",
                        {"type": "integer", "minimum": 1900, "maximum": 9999},
                        "Only what came in this year (default: all years).",
                    )
                ],
                errors=me,
            )
        },
    }
