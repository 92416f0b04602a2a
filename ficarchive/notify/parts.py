"""This app's parts of other apps' pages (registered in ``NotifyConfig.ready``): the
subscribe button on work, series and user pages, and the notifications in the inbox.
Each runs after the page's own access check."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from ficarchive.accounts.standing import write_refusal
from ficarchive.core.viewers import is_user
from ficarchive.works import access
from ficarchive.works.models import Chapter, Series, Work

from .selectors import notifications_for, subscription_of

INBOX_SHOWN = 20


def _button(request: HttpRequest, field: str, value: Any, **target: Any) -> dict[str, Any] | None:
    # No button for a read-only account: the write door (moderation.middleware) refuses it.
    if not is_user(request.user) or write_refusal(request.user):
        return None
    return {
        "template": "notify/_subscribe.html",
        "field": field,
        "value": value,
        "subscription": subscription_of(request.user, **target),
    }


def work_part(request: HttpRequest, work: Work, chapter: Chapter | None) -> dict[str, Any]:
    """Subscribe to a posted work (signed-in readers). Not offered to the work's own
    creators, as AO3 does not; one who already subscribed (before being added as a
    co-creator) still sees Unsubscribe. The API still accepts such a subscription."""
    if not work.posted:
        return {}
    button = _button(request, "work", work.pk, kind="work", work_id=work.pk)
    if button and button["subscription"] is None and access.is_creator(request.user, work):
        return {}
    return button or {}


def series_part(request: HttpRequest, series: Series) -> dict[str, Any] | None:
    return _button(request, "series", series.pk, kind="series", series_id=series.pk)


def profile_part(request: HttpRequest, owner: Any) -> dict[str, Any] | None:
    """Subscribe to a creator (not to yourself); your own profile links your list."""
    if is_user(request.user) and request.user.pk == owner.pk:
        return {"template": "notify/_own_profile.html", "owner": owner}
    return _button(request, "user", owner.username, kind="user", creator_id=owner.pk)


def inbox_part(request: HttpRequest, owner: Any) -> dict[str, Any]:
    """The newest subscription updates, kudos and gifts, above the comments."""
    from .mail import item_for

    notes = list(notifications_for(owner)[:INBOX_SHOWN])
    cache: dict[int, Work | None] = {}
    rows = []
    for n in notes:
        item = item_for(n, owner, cache)
        if item is not None:
            rows.append((n, item))
    return {"template": "notify/_inbox.html", "rows": rows, "owner": owner}
