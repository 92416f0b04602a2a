"""Reads of the notify app. Everything shown about a work goes through ``works.access``."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet

from ficarchive.accounts.models import User
from ficarchive.core.viewers import Viewer, user_or_none
from ficarchive.works import access
from ficarchive.works.models import Work

from .models import (
    DEFAULT_FREQUENCY,
    FeedToken,
    MailPreference,
    Notification,
    NotificationKind,
    Subscription,
    SubscriptionKind,
)
from .tokens import feed_digest

# The kinds the inbox page shows from here; comments and replies it lists itself.
INBOX_KINDS = (NotificationKind.SUBSCRIPTION, NotificationKind.KUDOS, NotificationKind.GIFT)


def subscriptions_of(user: User) -> QuerySet[Subscription]:
    """The user's subscriptions, newest first, with their targets loaded (page it: a
    reader may hold 10,000)."""
    return Subscription.objects.filter(user=user).select_related("work", "series", "creator")


def subscriber_counts(work_ids: list[int]) -> dict[int, int]:
    """Readers subscribed to each work, ``{work id: count}`` (works with none left out), in
    one grouped query; the author statistics page reads it (``reading.stats``)."""
    rows = (
        Subscription.objects.filter(kind=SubscriptionKind.WORK, work_id__in=list(work_ids))
        .values("work_id")
        .annotate(n=Count("id"))
        .values_list("work_id", "n")
    )
    return {work_id: n for work_id, n in rows}


def subscription_of(viewer: Viewer, **target: Any) -> Subscription | None:
    """The viewer's subscription to this work, series or creator, if any."""
    account = user_or_none(viewer)
    if account is None:
        return None
    return Subscription.objects.filter(user_id=account.pk, **target).first()


def target_labels(subs: list[Subscription], viewer: Viewer) -> list[tuple[str, str]]:
    """What each subscription is to, as the viewer may see it now: (title, address), in two
    queries for a page of any length. A work or series the viewer lost sight of shows as
    unavailable, so the list never leaks its title."""
    work_ids = [s.work_id for s in subs if s.work_id is not None]
    series_ids = [s.series_id for s in subs if s.series_id is not None]
    visible = Work.objects.filter(access.visible_q(viewer))
    works = set(visible.filter(pk__in=work_ids).values_list("pk", flat=True)) if work_ids else set()
    series = (
        set(
            visible.filter(serial_works__series_id__in=series_ids).values_list(
                "serial_works__series_id", flat=True
            )
        )
        if series_ids
        else set()
    )
    out = []
    for sub in subs:
        if sub.creator is not None:
            out.append((sub.creator.username, f"/users/{sub.creator.username}"))
        elif sub.work is not None:
            shown = sub.work_id in works
            out.append(
                (sub.work.title, sub.work.get_absolute_url())
                if shown
                else ("(a work no longer available)", "")
            )
        elif sub.series is not None:
            shown = sub.series_id in series
            out.append(
                (sub.series.title, f"/series/{sub.series_id}")
                if shown
                else ("(a series no longer available)", "")
            )
    return out


def mail_preferences_of(user: User) -> dict[str, str]:
    """Every kind's frequency for this user, defaults filled in."""
    chosen = dict(MailPreference.objects.filter(user=user).values_list("kind", "frequency"))
    return {str(k): chosen.get(k, str(v)) for k, v in DEFAULT_FREQUENCY.items()}


def notifications_for(
    owner: User, *, kinds: tuple[str, ...] = INBOX_KINDS
) -> QuerySet[Notification]:
    """The owner's notifications of these kinds about works they may see now, newest first."""
    visible = Work.objects.filter(access.visible_q(owner), posted=True).values("pk")
    return (
        Notification.objects.filter(user=owner, kind__in=kinds, work__in=visible)
        .select_related("work", "chapter", "series", "kudos__user")
        .order_by("-id")
    )


def feed_owner(secret: str) -> User | None:
    """The reader whose subscriptions feed this secret opens, if any."""
    token = FeedToken.objects.filter(digest=feed_digest(secret)).select_related("user").first()
    return token.user if token is not None and token.user.is_active else None
