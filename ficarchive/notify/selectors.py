"""Reads of the notify app. Everything shown about a work goes through ``works.access``."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

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
)
from .tokens import feed_digest

# The kinds the inbox page shows from here; comments and replies it lists itself.
INBOX_KINDS = (NotificationKind.SUBSCRIPTION, NotificationKind.KUDOS, NotificationKind.GIFT)


def subscriptions_of(user: User) -> QuerySet[Subscription]:
    """The user's subscriptions, newest first, with their targets loaded (page it: a
    reader may hold 10,000)."""
    return Subscription.objects.filter(user=user).select_related("work", "series", "creator")


def subscription_of(viewer: Viewer, **target: Any) -> Subscription | None:
    """The viewer's subscription to this work, series or creator, if any."""
    account = user_or_none(viewer)
    if account is None:
        return None
    return Subscription.objects.filter(user_id=account.pk, **target).first()


def target_label(sub: Subscription, viewer: Viewer) -> tuple[str, str]:
    """What a subscription is to, as the viewer may see it now: (title, address). A work
    or series the viewer lost sight of shows as unavailable, so the list never leaks."""
    if sub.creator_id is not None:
        return sub.creator.username, f"/users/{sub.creator.username}"
    if sub.work_id is not None:
        work = sub.work
        if work is not None and Work.objects.filter(access.visible_q(viewer), pk=work.pk).exists():
            return work.title, work.get_absolute_url()
        return "(a work no longer available)", ""
    series = sub.series
    if (
        series is not None
        and Work.objects.filter(access.visible_q(viewer), serial_works__series=series).exists()
    ):
        return series.title, f"/series/{series.pk}"
    return "(a series no longer available)", ""


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
