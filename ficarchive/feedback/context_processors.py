"""Template context for every page: the unread count shown by the header's Inbox link."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from .selectors import inbox_unread_count_cached


def inbox_unread(request: HttpRequest) -> dict[str, Any]:
    """`inbox_unread`: the viewer's unread comment notifications (0 for guests). Lazy, so a
    page that does not show it (or a guest's page) costs nothing; cached between pages
    (see selectors.inbox_unread_count_cached)."""

    def count() -> int:
        user = getattr(request, "user", None)
        return inbox_unread_count_cached(user) if user is not None else 0

    return {"inbox_unread": SimpleLazyObject(count)}
