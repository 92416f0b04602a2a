"""The OpenAPI description of the subscription, notification and mail preference
endpoints (issue 13), merged into the document by ``schema``."""

from __future__ import annotations

from typing import Any

from .schema_paths import PAGE_PARAMS, _op, _path
from .schema_types import BOOL, DATETIME, INT, NINT, NSTR, STR, URL, obj, page_of

KINDS = ["subscription", "comment", "reply", "kudos", "gift"]
_PREFERENCE = obj(
    {
        "enabled": BOOL,
        "frequency": {
            "type": ["string", "null"],
            "enum": ["immediate", "hourly", "daily", None],
            "description": "Null when the kind is off.",
        },
    }
)
_PREFERENCE_INPUT = {
    "type": "object",
    "description": "enabled false turns the kind's mail off (then send no frequency); a frequency alone turns it on at that frequency.",
    "properties": {
        "enabled": BOOL,
        # Null is the same as leaving it out, so what GET answers can be sent back as it is.
        "frequency": {"type": ["string", "null"], "enum": ["immediate", "hourly", "daily", None]},
    },
    "minProperties": 1,
    "additionalProperties": False,
}

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
    "Notification": obj(
        {
            "id": INT,
            "kind": {"enum": KINDS},
            "subject": {
                "type": ["string", "null"],
                "description": "For subscription updates: chapter, work (a creator's new work) or series (a new part).",
            },
            "read": BOOL,
            "created_at": DATETIME,
            "work": NINT,
            "chapter": NINT,
            "series": NINT,
            "comment": NINT,
            "headline": STR,
            "url": URL,
            "excerpt": STR,
        }
    ),
    "NotificationPage": page_of("Notification"),
    "NotificationsRead": {
        "type": "object",
        "description": 'Either {"ids": [ID, ...]} (up to 1000) or {"all": true}.',
        "properties": {
            "ids": {
                "type": "array",
                "items": {"type": "integer", "minimum": 1},
                "minItems": 1,
                "maxItems": 1000,
            },
            "all": {"const": True},
        },
        "minProperties": 1,
        "maxProperties": 1,
    },
    "NotificationsMarked": obj({"marked": INT}),
    "MailPreferences": obj({kind: _PREFERENCE for kind in KINDS}),
    "MailPreferencesInput": {
        "type": "object",
        "description": "The kinds to change; the others keep their setting.",
        "properties": {kind: _PREFERENCE_INPUT for kind in KINDS},
        "minProperties": 1,
        "additionalProperties": False,
    },
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
        "/me/notifications": {
            "get": _op(
                "notification_list",
                "Your notifications of every kind, newest first (those about works you may no longer see are left out)",
                ("200", "NotificationPage", "A page of notifications"),
                params=[
                    *PAGE_PARAMS,
                    {
                        "name": "unread",
                        "in": "query",
                        "required": False,
                        "schema": {"enum": ["true", "false"]},
                        "description": "true: unread ones only.",
                    },
                    {
                        "name": "kind",
                        "in": "query",
                        "required": False,
                        "schema": {"enum": KINDS},
                        "description": "One kind only.",
                    },
                ],
            ),
        },
        "/me/notifications/read": {
            "post": _op(
                "notification_mark_read",
                "Mark some or all of your notifications read",
                ("200", "NotificationsMarked", "How many were marked"),
                body="NotificationsRead",
                write=True,
                errors=("400", "429"),
            ),
        },
        "/me/mail-preferences": {
            "get": _op(
                "mail_preferences_get",
                "How mail of each kind reaches you",
                ("200", "MailPreferences", "Every kind's setting"),
                errors=("429",),
            ),
            "put": _op(
                "mail_preferences_set",
                "Turn kinds of mail on or off and choose immediate, hourly or daily",
                ("200", "MailPreferences", "Every kind's setting after the change"),
                body="MailPreferencesInput",
                write=True,
                errors=("400", "429"),
            ),
        },
    }
