"""Jobs: fan an event out to notifications, gather digests, (in ``mail``) send.

A fan-out job handles one event for at most ``BATCH`` subscribers, in a constant number
of queries, then queues itself again for the next batch (keyset on the subscription id):
a work with 10,000 subscribers is 20 short jobs, never one long transaction. Each batch
makes the notifications, the immediate mails and their send jobs in bulk, and queues one
digest job per reader and period for the rest (keyed by the period, so a reader hearing
of many events gets one digest).

The recipient's right to see what a notification is about is checked where it is shown:
the inbox lists notifications through ``works.access`` and ``notify.mail`` checks again
when it builds the mail. Here only what would reveal something to *every* recipient is
refused: a creator subscription never hears of an anonymous work."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from email.utils import make_msgid
from typing import Any
from urllib.parse import urlparse

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from ficarchive.accounts.models import User
from ficarchive.core.jobs import job_enqueue, jobs_enqueue
from ficarchive.feedback.models import Comment, InboxItem, Kudos
from ficarchive.works import access
from ficarchive.works.models import Chapter, Creatorship, SerialWork, Work

from .models import (
    DEFAULT_FREQUENCY,
    Frequency,
    MailPreference,
    Notification,
    NotificationKind,
    OutgoingMail,
    Subscription,
    SubscriptionKind,
)
from .selectors import unread_count_forget

FANOUT = "notify.fanout"
DIGEST = "notify.digest"
SEND = "notify.send"
BATCH = 500  # subscribers per fan-out job
DIGEST_MAX = 200  # notifications in one digest; the rest wait for the next one


def new_message_id() -> str:
    """A fresh RFC 5322 Message-ID under the site's host name."""
    return make_msgid(domain=urlparse(settings.SITE_URL).hostname or "localhost")


def digest_slot_end(frequency: str, now: dt.datetime | None = None) -> dt.datetime:
    """When the digest holding a notification made ``now`` is sent: the next full hour
    (hourly) or the next midnight UTC (daily)."""
    now = now or timezone.now()
    if frequency == Frequency.HOURLY:
        return now.replace(minute=0, second=0, microsecond=0) + dt.timedelta(hours=1)
    return now.replace(hour=0, minute=0, second=0, microsecond=0) + dt.timedelta(days=1)


def deliver(kind: str, key: str, user_ids: Iterable[int], **fields: Any) -> int:
    """Make the notification ``key`` for these readers (once each: a repeat is ignored),
    with a mail queued now or a digest queued for later, per each reader's preference.
    ``fields`` are the notification's links (work, chapter, series, comment, kudos,
    subject). A bounded number of queries whatever the number of readers (callers batch
    by ``BATCH``). Returns how many readers were offered it."""
    users = dict(
        User.objects.filter(pk__in=set(user_ids), is_active=True).values_list("pk", "email")
    )
    if not users:
        return 0
    prefs = dict(
        MailPreference.objects.filter(user_id__in=users, kind=kind).values_list(
            "user_id", "frequency"
        )
    )
    default = DEFAULT_FREQUENCY[NotificationKind(kind)]
    Notification.objects.bulk_create(
        [
            Notification(
                user_id=uid,
                kind=kind,
                key=key,
                mail_due=prefs.get(uid, default) if email else Frequency.OFF,
                **fields,
            )
            for uid, email in users.items()
        ],
        ignore_conflicts=True,
    )
    unread_count_forget(users)
    awaiting = list(
        Notification.objects.filter(user_id__in=users, key=key, mail__isnull=True)
        .exclude(mail_due=Frequency.OFF)
        .only("pk", "user_id", "mail_due")
    )
    _mail_now([n for n in awaiting if n.mail_due == Frequency.IMMEDIATE])
    digests_queue({(n.user_id, n.mail_due) for n in awaiting if n.mail_due != Frequency.IMMEDIATE})
    return len(users)


def _mail_now(notifications: list[Notification]) -> None:
    if not notifications:
        return
    mails = [
        OutgoingMail(user_id=n.user_id, frequency=Frequency.IMMEDIATE, message_id=new_message_id())
        for n in notifications
    ]
    OutgoingMail.objects.bulk_create(mails, batch_size=500)
    ids = dict(
        OutgoingMail.objects.filter(message_id__in=[m.message_id for m in mails]).values_list(
            "message_id", "pk"
        )
    )
    for n, m in zip(notifications, mails, strict=True):
        n.mail_id = ids[m.message_id]
    Notification.objects.bulk_update(notifications, ["mail"], batch_size=500)
    jobs_enqueue((SEND, {"mail": pk}, f"send:{pk}", None) for pk in ids.values())


def digests_queue(wanted: Iterable[tuple[int, str]]) -> None:
    """Queue the digest of each (reader, frequency) for the end of its current period;
    one job per period, however many notifications it gathers."""
    rows = []
    for uid, freq in wanted:
        end = digest_slot_end(freq)
        rows.append(
            (DIGEST, {"user": uid, "frequency": freq}, f"digest:{uid}:{freq}:{end:%Y%m%d%H}", end)
        )
    jobs_enqueue(rows)


# --- Fan-out ----------------------------------------------------------------------------


def _creator_user_ids(work_id: int) -> set[int]:
    return set(
        Creatorship.objects.filter(work_id=work_id, pseud__user__isnull=False).values_list(
            "pseud__user_id", flat=True
        )
    )


def _subscribers(
    payload: dict[str, Any], kind: str | None = None, *, where: Q | None = None, **target: Any
) -> list[int]:
    """One batch of a target's subscribers after the cursor (``kind`` and ``target``, or a
    ``where`` joining several kinds); queues the next batch."""
    after = int(payload.get("after", 0))
    chosen = where if where is not None else Q(kind=kind, **target)
    rows = list(
        Subscription.objects.filter(chosen, pk__gt=after)
        .order_by("pk")
        .values_list("pk", "user_id")[:BATCH]
    )
    if len(rows) == BATCH:
        nxt = {**payload, "after": rows[-1][0]}
        key = f"fanout:{payload['event']}:{payload['id']}:{payload.get('tag', '')}:{rows[-1][0]}"
        job_enqueue(FANOUT, nxt, key=key)
    return [uid for _, uid in rows]


def _creator_subscribers_q(work: Work, creators: set[int]) -> Q:
    """The subscriptions to the work's creators, or none when the work does not show its
    creators (anonymous: a creator subscription must never tie them to it)."""
    if not creators or not access.creators_shown(work, None):
        return Q(pk__in=[])
    return Q(kind=SubscriptionKind.USER, creator_id__in=creators)


def _fanout_chapter(payload: dict[str, Any]) -> None:
    """A new chapter: the work's subscribers and, as on AO3 ("an email every time they post
    a new work or a new chapter"), its creators' subscribers; once each (one key)."""
    chapter = Chapter.objects.select_related("work").filter(pk=payload["id"], posted=True).first()
    if chapter is None:
        return
    creators = _creator_user_ids(chapter.work_id)
    where = Q(kind=SubscriptionKind.WORK, work_id=chapter.work_id) | _creator_subscribers_q(
        chapter.work, creators
    )
    readers = set(_subscribers(payload, where=where)) - creators
    deliver(
        NotificationKind.SUBSCRIPTION,
        f"chapter:{chapter.pk}",
        readers,
        work_id=chapter.work_id,
        chapter_id=chapter.pk,
        subject="chapter",
    )


def _fanout_work(payload: dict[str, Any]) -> None:
    work = Work.objects.filter(pk=payload["id"]).prefetch_related("creatorships__pseud").first()
    if work is None:
        return
    creators = _creator_user_ids(work.pk)
    if not payload.get("after"):
        # A draft posted into a series: its series' subscribers hear of it now.
        jobs_enqueue(
            (FANOUT, {"event": "series_part", "id": pk}, f"fanout:series_part:{pk}:posted", None)
            for pk in SerialWork.objects.filter(work=work).values_list("pk", flat=True)
        )
    # A creator subscription must never tie a creator to an anonymous work; an unrevealed
    # one could not be read: both are told at their collection's reveal (notify.services.
    # notification_reveal), not now, when the mail would be cancelled and never sent.
    if not access.creators_shown(work, None) or access.is_unrevealed(work):
        return
    readers = set(_subscribers(payload, SubscriptionKind.USER, creator_id__in=creators))
    deliver(
        NotificationKind.SUBSCRIPTION,
        f"work:{work.pk}",
        readers - creators,
        work_id=work.pk,
        subject="work",
    )


def _fanout_series_part(payload: dict[str, Any]) -> None:
    entry = SerialWork.objects.select_related("work").filter(pk=payload["id"]).first()
    if entry is None or not entry.work.posted:
        return  # a draft's series hear of it when it is posted (_fanout_work)
    readers = set(_subscribers(payload, SubscriptionKind.SERIES, series_id=entry.series_id))
    creators = _creator_user_ids(entry.work_id)
    # Those who follow a creator of the work hear of it as their new work ("work:ID"):
    # one mail for one work, not a second for its series.
    readers -= set(
        Subscription.objects.filter(
            _creator_subscribers_q(entry.work, creators), user_id__in=readers
        ).values_list("user_id", flat=True)
    )
    deliver(
        NotificationKind.SUBSCRIPTION,
        f"series:{entry.series_id}:work:{entry.work_id}",
        readers - creators,
        work_id=entry.work_id,
        series_id=entry.series_id,
        subject="series",
    )


def _fanout_comment(payload: dict[str, Any]) -> None:
    comment = Comment.objects.select_related("parent").filter(pk=payload["id"]).first()
    if comment is None:
        return
    recipients = set(InboxItem.objects.filter(comment=comment).values_list("user_id", flat=True))
    replied = comment.parent.user_id if comment.parent is not None else None
    for kind, users in (
        (NotificationKind.REPLY, {u for u in recipients if u == replied}),
        (NotificationKind.COMMENT, {u for u in recipients if u != replied}),
    ):
        deliver(
            kind, f"comment:{comment.pk}", users, work_id=comment.work_id, comment_id=comment.pk
        )


def _fanout_kudos(payload: dict[str, Any]) -> None:
    kudos = Kudos.objects.filter(pk=payload["id"]).first()
    if kudos is None:
        return
    deliver(
        NotificationKind.KUDOS,
        f"kudos:{kudos.pk}",
        _creator_user_ids(kudos.work_id) - {kudos.user_id},
        work_id=kudos.work_id,
        kudos_id=kudos.pk,
    )


def _fanout_gift(payload: dict[str, Any]) -> None:
    """A gift, to its recipients; none while the work is unrevealed (AO3 tells recipients
    at the reveal: the collections app announces the gifts again then). Were it told now,
    the mail would be cancelled as showing what the reader may not see, and the reveal
    would find the notification already made."""
    work = Work.objects.filter(pk=payload["id"]).first()
    if work is None or access.is_unrevealed(work):
        return
    deliver(
        NotificationKind.GIFT,
        f"gift:{payload['id']}",
        set(payload["users"]) - _creator_user_ids(payload["id"]),
        work_id=payload["id"],
    )


_FANOUTS = {
    "chapter": _fanout_chapter,
    "work": _fanout_work,
    "series_part": _fanout_series_part,
    "comment": _fanout_comment,
    "kudos": _fanout_kudos,
    "gift": _fanout_gift,
}


def fanout_run(payload: dict[str, Any]) -> None:
    """The job ``notify.fanout``: ``{"event": "chapter"|"work"|"series_part"|"comment"|
    "kudos"|"gift", "id": ..., "after": subscription id}``. Safe to run twice (the
    notification keys and job keys make repeats no-ops)."""
    _FANOUTS[payload["event"]](payload)


def digest_run(payload: dict[str, Any]) -> None:
    """The job ``notify.digest``: gather a reader's notifications awaiting this frequency's
    digest into one mail and queue it; leftovers past ``DIGEST_MAX`` go to the next one."""
    uid, freq = int(payload["user"]), str(payload["frequency"])
    waiting = Notification.objects.filter(user_id=uid, mail_due=freq, mail__isnull=True)
    ids = list(waiting.order_by("pk").values_list("pk", flat=True)[: DIGEST_MAX + 1])
    if not ids:
        return
    if len(ids) > DIGEST_MAX:
        ids = ids[:DIGEST_MAX]
        end = digest_slot_end(freq, timezone.now() + dt.timedelta(minutes=1))
        job_enqueue(DIGEST, payload, key=f"digest:{uid}:{freq}:{end:%Y%m%d%H}", run_after=end)
    mail = OutgoingMail.objects.create(user_id=uid, frequency=freq, message_id=new_message_id())
    Notification.objects.filter(pk__in=ids).update(mail=mail)
    job_enqueue(SEND, {"mail": mail.pk}, key=f"send:{mail.pk}")
