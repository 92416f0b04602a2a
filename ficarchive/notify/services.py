"""Writes of the notify app: subscriptions, mail preferences, unsubscribing by token,
notifications read, gifts announced, feed tokens. Web views, the API and other apps call
these; each checks who may do what itself.

Errors: NotFound when the actor may not see what they name (the same answer as "no such
thing", so a restricted work or an anonymous series never leaks), ValidationError for bad
input, BadToken for an unsubscribe link this site did not sign."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from ficarchive.accounts.models import User
from ficarchive.accounts.selectors import user_get
from ficarchive.core.errors import NotFound
from ficarchive.core.jobs import job_enqueue, jobs_enqueue
from ficarchive.works import access
from ficarchive.works.selectors import series_get_for_viewer

from .models import (
    FeedToken,
    Frequency,
    MailPreference,
    Notification,
    NotificationKind,
    Subscription,
    SubscriptionKind,
)
from .selectors import unread_count_forget
from .tasks import FANOUT
from .tokens import BadToken, feed_secret, unsubscribe_read


def _target(
    actor: User, *, work: int | None, user: str | None, series: int | None
) -> tuple[str, dict[str, object]]:
    given = [x for x in (work, user, series) if x is not None]
    if len(given) != 1:
        raise ValidationError(_("Name exactly one of work, user or series."))
    if work is not None:
        found = access.access_work(actor, work)
        if not found.posted:  # a draft has no readers to tell
            raise NotFound(_("No such work."))
        return SubscriptionKind.WORK, {"work": found}
    if series is not None:
        found_series, _works = series_get_for_viewer(series, actor)
        return SubscriptionKind.SERIES, {"series": found_series}
    creator = user_get(str(user))
    if creator.pk == actor.pk:
        raise ValidationError({"user": [_("You can't subscribe to yourself.")]})
    return SubscriptionKind.USER, {"creator": creator}


def subscription_create(
    *,
    actor: User,
    work: int | None = None,
    user: str | None = None,
    series: int | None = None,
) -> tuple[Subscription, bool]:
    """Subscribe the actor to one work (its new chapters), one creator (new works and chapters) or one
    series (new parts), as AO3 does; exactly one of the three. Returns the subscription and
    whether it is new (subscribing twice keeps the first). NotFound when the actor may not
    see the work or series, or no such user; ValidationError otherwise."""
    kind, target = _target(actor, work=work, user=user, series=series)
    existing = Subscription.objects.filter(user=actor, kind=kind, **target).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            return Subscription.objects.create(user=actor, kind=kind, **target), True
    except IntegrityError:  # a second click racing the first
        return Subscription.objects.get(user=actor, kind=kind, **target), False


@transaction.atomic
def subscription_delete(*, actor: User, subscription_id: int) -> None:
    """Unsubscribe; NotFound unless the subscription is the actor's own."""
    deleted, _rows = Subscription.objects.filter(pk=subscription_id, user=actor).delete()
    if not deleted:
        raise NotFound(_("No such subscription."))


@transaction.atomic
def mail_preferences_update(*, actor: User, frequencies: dict[str, str]) -> None:
    """Set how mail of each kind reaches the actor (``{kind: frequency}``); kinds not named
    keep their setting. ValidationError, and nothing changed, for an unknown kind or
    frequency."""
    for kind, freq in frequencies.items():
        if kind not in NotificationKind.values or freq not in Frequency.values:
            raise ValidationError(
                _("Unknown mail setting %(kind)s=%(frequency)s.")
                % {"kind": kind, "frequency": freq}
            )
    for kind, freq in frequencies.items():
        MailPreference.objects.update_or_create(user=actor, kind=kind, defaults={"frequency": freq})


@transaction.atomic
def unsubscribe_apply(*, token: str) -> str:
    """Do what a mail's unsubscribe link says, without a log-in (the signature is the
    authority): delete the subscription it names, or turn off mail of the kinds it names.
    Returns a sentence saying what changed. BadToken, and nothing changed, for a token
    this site did not sign."""
    data = unsubscribe_read(token)
    user = User.objects.filter(pk=data["u"], is_active=True).first()
    if user is None:
        raise BadToken(_("This unsubscribe link is not valid."))
    if "s" in data:
        deleted, _rows = Subscription.objects.filter(pk=data["s"], user=user).delete()
        return _("You are unsubscribed.") if deleted else _("You were already unsubscribed.")
    kinds = [k for k in data.get("k", []) if k in NotificationKind.values]
    if not kinds:
        raise BadToken(_("This unsubscribe link is not valid."))
    mail_preferences_update(actor=user, frequencies=dict.fromkeys(kinds, Frequency.OFF))
    names = ", ".join(str(NotificationKind(k).label).lower() for k in kinds)
    return _("You will get no more email about %(kinds)s.") % {"kinds": names}


def notifications_mark_read(*, actor: User, ids: Iterable[int] | None = None) -> int:
    """Mark the actor's notifications read (all of them when ``ids`` is None)."""
    qs = Notification.objects.filter(user=actor, read=False)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    changed = qs.update(read=True)
    unread_count_forget([actor.pk])
    return changed


def notification_gift(*, work_id: int, user_ids: Iterable[int], occasion: str = "") -> None:
    """Tell these readers that a work was given to them (called by whatever records gifts,
    inside its transaction). The notification and mail follow on the job queue; a gift to
    the work's own creators is not announced; the inbox and the mail show it only while the
    reader may see the work (``works.access``). ``occasion`` tells one announcement of the
    same gift from another (the reveal of an unrevealed collection: "reveal:ID"), so its
    job is queued anew; each reader still gets the notification once."""
    users = sorted(set(user_ids))
    if users:
        key = f"fanout:gift:{work_id}:{occasion}:{','.join(map(str, users))}"[:200]
        job_enqueue(FANOUT, {"event": "gift", "id": work_id, "users": users}, key=key)


def notification_reveal(*, work_ids: Iterable[int], occasion: str) -> None:
    """Revealed works (a collection's reveal): their creators' subscribers hear of them now
    as of new works (the "work" fan-out, keyed anew by ``occasion``), since while the works
    were unrevealed or anonymous nobody could be told. A reader already told of a work is
    not told again (the notification's key)."""
    jobs_enqueue(
        (FANOUT, {"event": "work", "id": pk}, f"fanout:work:{pk}:{occasion}"[:200], None)
        for pk in sorted(set(work_ids))
    )


@transaction.atomic
def feed_token_renew(*, actor: User) -> str:
    """A new secret address for the actor's subscriptions feed, replacing the old one
    (which stops working). Returns the secret; only its digest is kept."""
    secret, digest = feed_secret()
    FeedToken.objects.update_or_create(user=actor, defaults={"digest": digest})
    return secret


@transaction.atomic
def feed_token_revoke(*, actor: User) -> None:
    """Turn the actor's subscriptions feed off."""
    FeedToken.objects.filter(user=actor).delete()
