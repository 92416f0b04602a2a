"""Reads of the notify app. Everything shown about a work goes through ``works.access``."""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from ficarchive.accounts.models import User
from ficarchive.core.viewers import Viewer, user_or_none
from ficarchive.reading.selectors import read_work_ids, updated_work_ids
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


def series_subscriber_counts(series_ids: list[int]) -> dict[int, int]:
    """Readers subscribed to each series, ``{series id: count}`` (series with none left
    out), in one grouped query; series blurbs show it (``works.series_stats``)."""
    rows = (
        Subscription.objects.filter(kind=SubscriptionKind.SERIES, series_id__in=list(series_ids))
        .values("series_id")
        .annotate(n=Count("id"))
        .values_list("series_id", "n")
    )
    return {series_id: n for series_id, n in rows}


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
                else (_("(a work no longer available)"), "")
            )
        elif sub.series is not None:
            shown = sub.series_id in series
            out.append(
                (sub.series.title, f"/series/{sub.series_id}")
                if shown
                else (_("(a series no longer available)"), "")
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


UNREAD_COUNT_TTL = 30  # seconds; bounds staleness after writes in another process (the worker)


def _unread_key(user_id: int) -> str:
    return f"notify:unread:{user_id}"


def unread_count_cached(owner: Any) -> int:
    """How many of the inbox's notifications (``INBOX_KINDS``: comments and replies are
    feedback's count) the owner has not read, about works they may see now: the same rows
    as the inbox page. Cached (dropped by ``unread_count_forget``, and after
    ``UNREAD_COUNT_TTL``), so the header costs no query on most pages."""
    key = _unread_key(owner.pk)
    count = cache.get(key)
    if count is None:
        count = notifications_for(owner).filter(read=False).count()
        cache.set(key, count, UNREAD_COUNT_TTL)
    return int(count)


def unread_count_forget(user_ids: Any) -> None:
    """Drop the cached unread counts of these users (their notifications changed)."""
    cache.delete_many([_unread_key(uid) for uid in set(user_ids)])


def feed_owner(secret: str) -> User | None:
    """The reader whose subscriptions feed this secret opens, if any."""
    token = FeedToken.objects.filter(digest=feed_digest(secret)).select_related("user").first()
    return token.user if token is not None and token.user.is_active else None


def _follows_q(user: User, *, since_subscribed: bool) -> Q:
    """Works ``user`` follows (a ``Q`` on a ``Work`` annotated with ``changed_at``): a work
    subscribed to, a part of a subscribed series, or a work of a subscribed creator that
    credits them for this reader (``access.credited_q``: an anonymous work never shows up
    under its creator). With ``since_subscribed``, only when the work changed after the
    subscription that brings it was made."""
    subs = Subscription.objects.filter(user_id=user.pk)
    since = {"created_at__lt": OuterRef("changed_at")} if since_subscribed else {}
    direct = subs.filter(kind=SubscriptionKind.WORK, work_id=OuterRef("pk"), **since)
    series = subs.filter(
        kind=SubscriptionKind.SERIES, series__serial_works__work_id=OuterRef("pk"), **since
    )
    creator = subs.filter(
        kind=SubscriptionKind.USER, creator__pseuds__creatorships__work_id=OuterRef("pk"), **since
    )
    return Q(Exists(direct)) | Q(Exists(series)) | (Q(Exists(creator)) & access.credited_q(user))


def _followed_ids_q(user: User) -> Q:
    """Works among the reader's follows at all (``pk`` in three id subqueries), so the
    database starts from the followed ids instead of testing ``_follows_q``'s correlated
    ``EXISTS`` on every visible work (fine at 10k works, slow at 1M)."""
    subs = Subscription.objects.filter(user_id=user.pk)
    return (
        Q(pk__in=subs.filter(kind=SubscriptionKind.WORK).values("work_id"))
        | Q(
            pk__in=subs.filter(kind=SubscriptionKind.SERIES).values("series__serial_works__work_id")
        )
        | Q(
            pk__in=subs.filter(kind=SubscriptionKind.USER).values(
                "creator__pseuds__creatorships__work_id"
            )
        )
    )


def subscription_updates_for(user: User) -> QuerySet[Work]:
    """The works ``user`` follows (``_follows_q``) that changed since they last read them,
    newest change first: read before and a chapter posted since (``reading``'s "N new
    chapters"), or never read and posted or revised after the reader subscribed (a
    creator's new work, a series' new part). Only works the reader may open now
    (``access.visible_q``), posted ones. Each work carries ``changed_at`` (its revision
    time; its creation time when it has none). One query; slice it."""
    read = read_work_ids(user.pk)
    return (
        Work.objects.filter(_followed_ids_q(user))
        .filter(access.visible_q(user), posted=True)
        .annotate(changed_at=Coalesce("revised_at", "updated_at"))
        .filter(
            (Q(pk__in=updated_work_ids(user.pk)) & _follows_q(user, since_subscribed=False))
            | (~Q(pk__in=read) & _follows_q(user, since_subscribed=True))
        )
        .order_by("-changed_at", "-id")
    )


def unsubscribe_what(data: dict[str, Any]) -> str:
    """What a mail's unsubscribe link (``tokens.unsubscribe_read``'s ``data``) would stop,
    as one sentence for its page, before the reader presses the button: the subscription
    by its title as the reader may see it (``target_labels``), the kinds of mail, or that
    it is already gone."""
    user = User.objects.filter(pk=int(data.get("u") or 0), is_active=True).first()
    if user is None:
        return ""
    if "s" in data:
        sub = (
            Subscription.objects.filter(pk=data["s"], user=user)
            .select_related("work", "series", "creator")
            .first()
        )
        if sub is None:
            return _("You were already unsubscribed.")
        title, _url = target_labels([sub], user)[0]
        return _("Stop the emails of your subscription to “%(title)s”.") % {"title": title}
    kinds = [k for k in data.get("k", []) if k in NotificationKind.values]
    names = ", ".join(str(NotificationKind(k).label).lower() for k in kinds)
    return _("Stop all email about %(kinds)s.") % {"kinds": names} if names else ""
