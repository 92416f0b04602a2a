"""The OpenAPI description of ``/api/v1/me/blocks`` and ``/api/v1/me/mutes`` (blocking and
muting users, issue 14): their paths and schemas, merged into the description by
``schema``."""

from __future__ import annotations

from typing import Any

from .schema_paths import PAGE_PARAMS, _op, _path
from .schema_types import DATETIME, INT, NSTR, STR, obj, page_of, ref

SCHEMAS: dict[str, Any] = {
    "UserRelation": obj({"id": INT, "user": NSTR, "created_at": DATETIME}),
    "UserRelationList": page_of("UserRelation"),
    "UserRelationInput": obj({"user": STR}),
}


def _pair(kind: str, verb: str, effect: str) -> dict[str, Any]:
    """The collection and item paths of blocks or mutes."""
    item_id = f"{kind}_id"
    return {
        f"/me/{kind}s": {
            "get": _op(
                f"{kind}s_list",
                f"The users you {verb}, newest first",
                ("200", "UserRelationList", f"A page of your {kind}s"),
                params=PAGE_PARAMS,
                errors=("400", "429"),
            ),
            "post": _op(
                f"{kind}_add",
                f"{verb.capitalize()} a user by name: {effect}; 404 for a user that does not exist",
                ("201", "UserRelation", f"The new {kind}"),
                body="UserRelationInput",
                write=True,
                extra={
                    "200": {
                        "description": f"Already {verb}: the existing {kind}",
                        "content": {"application/json": {"schema": ref("UserRelation")}},
                    }
                },
            ),
        },
        f"/me/{kind}s/{{{item_id}}}": {
            "parameters": [_path(item_id, {"type": "integer", "minimum": 1}, f"The {kind}'s id.")],
            "get": _op(
                f"{kind}_get",
                f"One of your {kind}s; 404 for anyone else's",
                ("200", "UserRelation", f"The {kind}"),
            ),
            "delete": _op(
                f"{kind}_delete",
                f"Remove one of your {kind}s",
                ("204", None, "Removed"),
                write=True,
            ),
        },
    }


def paths() -> dict[str, Any]:
    return {
        **_pair(
            "block",
            "blocked",
            "they can no longer comment on, reply to or give kudos to your works, and you no "
            "longer see their comments",
        ),
        **_pair("mute", "muted", "their works, series, bookmarks and comments are hidden from you"),
    }
