"""Template context for every page: the header's Inbox count, of every kind a reader is
told of (comments and replies from ``feedback``'s inbox, and this app's subscription
updates, kudos and gifts). It replaces ``feedback.context_processors.inbox_unread`` in
the settings: the same ``inbox_unread`` name, the whole count."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from ficarchive.core.viewers import user_or_none
from ficarchive.feedback.selectors import inbox_unread_count_cached

from .selectors import unread_count_cached


def inbox_unread(request: HttpRequest) -> dict[str, Any]:
    """``inbox_unread``: the viewer's unread inbox items of every kind (0 for guests).
    Lazy, so a page that does not show it costs nothing; both halves are cached between
    pages, each dropped by the app whose writes change it."""

    def count() -> int:
        account = user_or_none(getattr(request, "user", None))
        if account is None:
            return 0
        return inbox_unread_count_cached(account) + unread_count_cached(account)

    return {"inbox_unread": SimpleLazyObject(count)}
