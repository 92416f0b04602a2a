"""The OpenAPI description of the subscription endpoints (issue 13), merged into the
document by ``schema``."""

from __future__ import annotations

from typing import Any

from .schema_paths import PAGE_PARAMS, _op, _path
from .schema_types import DATETIME, INT, NINT, NSTR, obj, page_of

SUBSCRIPTION_ID = _path(
    "subscription_id", {"type": "integer", "minimum": 1}, "The subscription's id."
)

SCHEMAS: dict[str, Any] = {
    "Subscription": obj(
        {
            "id": INT,
            "kind": {
                "enum": ["work", "user", "series"],
                "description": "work: new chapters; user: a creator's new works (never anonymous ones); series: new parts.",
            },
            "work": NINT,
            "series": NINT,
            "user": NSTR,
            "title": {
                "type": ["string", "null"],
                "description": "The target's title or name; null while you may not see it.",
            },
            "url": {"type": ["string", "null"], "format": "uri"},
            "api_url": {"type": "string", "format": "uri"},
            "created_at": DATETIME,
        }
    ),
    "SubscriptionPage": page_of("Subscription"),
    "SubscriptionInput": {
        "type": "object",
        "description": "Exactly one of work, user or series.",
        "properties": {
            "work": {"type": "integer", "minimum": 1},
            "user": {"type": "string", "minLength": 1, "maxLength": 150},
            "series": {"type": "integer", "minimum": 1},
        },
        "minProperties": 1,
        "maxProperties": 1,
    },
}


def paths() -> dict[str, Any]:
    return {
        "/subscriptions": {
            "get": _op(
                "subscription_list",
                "Your subscriptions, newest first",
                ("200", "SubscriptionPage", "A page of subscriptions"),
                params=PAGE_PARAMS,
            ),
            "post": _op(
                "subscription_create",
                "Subscribe to a work (new chapters), a creator (new works) or a series (new parts); 404 for what you may not see",
                ("201", "Subscription", "The new subscription"),
                body="SubscriptionInput",
                write=True,
                extra={
                    "200": {
                        "description": "You were already subscribed: that subscription",
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/Subscription"}
                            }
                        },
                    }
                },
            ),
        },
        "/subscriptions/{subscription_id}": {
            "parameters": [SUBSCRIPTION_ID],
            "get": _op(
                "subscription_get",
                "One of your subscriptions",
                ("200", "Subscription", "The subscription"),
            ),
            "delete": _op(
                "subscription_delete",
                "Unsubscribe",
                ("204", None, "Deleted"),
                write=True,
            ),
        },
    }
