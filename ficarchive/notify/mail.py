"""Building and sending the mails: the job ``notify.send``.

**Once and only once.** SMTP has no way to ask a server "did you already accept this?",
so no sender can make delivery exactly-once across a crash that falls between the
server's "250 OK" and our own record of it. What we do instead:

1. The ``OutgoingMail`` row and its ``Message-ID`` are made (and committed) before any
   attempt, by the job that decided to send it; the send job is keyed by the row, so the
   row is queued once.
2. A worker *claims* the row (pending → sending, one conditional UPDATE, committed)
   before it talks to the server, so two workers never send it at the same time, and a
   row already ``sent`` or ``cancelled`` is never sent again (a repeated job is a no-op).
3. It sends, then records ``sent`` in one UPDATE. An SMTP failure puts the row back to
   ``pending`` and raises, and the job queue retries it with back-off: the outage delays
   the mail and loses none.
4. Only a crash in the instant between the server's acceptance and step 3 leaves a row in
   ``sending``. After ``CLAIM_STALE`` (shorter than the job queue's ``STALE_AFTER``, so the
   re-queued job finds the claim stale) the mail is sent again **with the same
   Message-ID**: the send is idempotent per outgoing record, since mail servers and
   clients treat a second message with an identical Message-ID as the same message
   (RFC 5322 §3.6.4: the Message-ID is "a unique message identifier that refers to a
   particular version of a particular message"). We choose this over marking the row
   sent unverified, which would lose the mail.
   The same holds for the one immediate retry on a fresh connection when a kept one
   fails (``_send``): a failure before the server's "250" is the usual case (an idle
   connection dropped), and a repeat after it carries the same Message-ID.

**Nothing the reader may not see.** Each notification is checked again here, as the
recipient, through ``works.access``: a work that became restricted-to-nobody, a draft,
hidden or deleted since the event drops out of the mail; a mail left empty is cancelled.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ficarchive.accounts.middleware import recipient_language
from ficarchive.accounts.models import User
from ficarchive.core.errors import NotFound
from ficarchive.feedback.selectors import inbox_for, inbox_with_authors
from ficarchive.works import access
from ficarchive.works.models import Work

from .models import (
    Frequency,
    MailPreference,
    MailStatus,
    Notification,
    NotificationKind,
    OutgoingMail,
    Subscription,
)
from .tokens import unsubscribe_token

log = logging.getLogger(__name__)

CLAIM_STALE = dt.timedelta(minutes=5)
SMTP_TIMEOUT = 30  # seconds; a hung server fails the attempt rather than the worker


@dataclass
class Item:
    """One thing a mail tells of, as the recipient may see it."""

    kind: str
    headline: str
    url: str
    excerpt: str = ""


def absolute(path: str) -> str:
    return settings.SITE_URL + path


def _work_for(user: User, work_id: int | None, cache: dict[int, Work | None]) -> Work | None:
    if work_id is None:
        return None
    if work_id not in cache:
        try:
            cache[work_id] = access.access_work(user, work_id)
        except NotFound:
            cache[work_id] = None
    found = cache[work_id]
    return found if found is not None and found.posted else None


def _byline(work: Work, user: User) -> str:
    pseuds = access.creators_of(work, user)
    return _("Anonymous") if pseuds is None else ", ".join(p.name for p in pseuds)


def item_for(n: Notification, user: User, cache: dict[int, Work | None]) -> Item | None:
    """The notification as ``user`` may see it now, or None when they may not."""
    work = _work_for(user, n.work_id, cache)
    if work is None:
        return None
    if n.kind == NotificationKind.SUBSCRIPTION:
        if n.subject == "chapter":
            chapter = n.chapter
            if chapter is None or not chapter.posted:
                return None
            return Item(
                n.kind,
                _("%(work)s: %(chapter)s by %(creators)s")
                % {"work": work.title, "chapter": chapter.heading, "creators": _byline(work, user)},
                absolute(chapter.get_absolute_url()),
                chapter.summary,
            )
        if n.subject == "work":
            # Never tie a creator to a work that is anonymous now (by choice, or since it
            # joined an anonymous collection while the digest waited): the fan-out's rule.
            if not access.creators_shown(work, None):
                return None
            return Item(
                n.kind,
                _("%(creators)s posted a new work: %(work)s")
                % {"creators": _byline(work, user), "work": work.title},
                absolute(work.get_absolute_url()),
                work.summary,
            )
        if n.subject == "series":
            shown = [e for e in access.series_shown(work, user) if e.series_id == n.series_id]
            if not shown:
                return None
            return Item(
                n.kind,
                _("New work in the series %(series)s: %(work)s")
                % {"series": shown[0].series.title, "work": work.title},
                absolute(work.get_absolute_url()),
                work.summary,
            )
        return None
    if n.kind in (NotificationKind.COMMENT, NotificationKind.REPLY):
        rows: list[Any] = inbox_with_authors(
            inbox_for(user, user).filter(comment_id=int(n.comment_id or 0)), user
        )
        if not rows or rows[0].comment.deleted:
            return None
        said = (
            _("%(name)s replied to your comment on %(work)s")
            if n.kind == NotificationKind.REPLY
            else _("%(name)s commented on %(work)s")
        )
        return Item(
            n.kind,
            said % {"name": rows[0].author_name, "work": work.title},
            absolute(reverse("feedback:comment", args=[n.comment_id])),
            rows[0].comment.body,
        )
    if n.kind == NotificationKind.KUDOS:
        if n.kudos and n.kudos.user:
            headline = _("%(name)s left kudos on %(work)s") % {
                "name": n.kudos.user.username,
                "work": work.title,
            }
        else:
            headline = _("A guest left kudos on %(work)s") % {"work": work.title}
        return Item(n.kind, headline, absolute(work.get_absolute_url()))
    if n.kind == NotificationKind.GIFT:
        return Item(
            n.kind,
            _("%(creators)s gave you a gift: %(work)s")
            % {"creators": _byline(work, user), "work": work.title},
            absolute(work.get_absolute_url()),
            work.summary,
        )
    return None


def _unsubscribe_target(user: User, notes: list[Notification]) -> dict[str, Any]:
    """What the mail's one-click unsubscribe stops: the subscription a single update came
    from, else mail of the kinds in it."""
    if len(notes) == 1 and notes[0].kind == NotificationKind.SUBSCRIPTION:
        n = notes[0]
        sub = Subscription.objects.filter(user=user).filter(
            Q(work_id=n.work_id, kind="work")
            | Q(kind="user", creator__pseuds__creatorships__work_id=n.work_id)
            if n.subject == "chapter"
            else Q(series_id=n.series_id, kind="series")
            if n.subject == "series"
            else Q(kind="user", creator__pseuds__creatorships__work_id=n.work_id)
        )
        first = sub.first()
        if first is not None:
            return {"s": first.pk}
    return {"k": sorted({n.kind for n in notes})}


def _creator_followed(subs: Any, work_id: int | None) -> bool:
    """Whether the reader follows a creator of the work and the work names its creators
    (never tie a creator to an anonymous work: the fan-out's rule)."""
    if not subs.filter(kind="user", creator__pseuds__creatorships__work_id=work_id or 0).exists():
        return False
    work = Work.objects.filter(pk=work_id or 0).first()
    return work is not None and access.creators_shown(work, None)


def still_wanted(user: User, notes: list[Notification]) -> list[Notification]:
    """Drop what the reader stopped wanting since the notification was made: mail of a kind
    now turned off, updates of a subscription since deleted (an unsubscribe link clicked
    while a digest was waiting). Three queries, whatever the number of notifications, and
    two more for each chapter heard of through a creator subscription alone."""
    off = set(
        MailPreference.objects.filter(user=user, frequency=Frequency.OFF).values_list(
            "kind", flat=True
        )
    )
    subs = Subscription.objects.filter(user=user)
    works = set(subs.filter(kind="work").values_list("work_id", flat=True))
    series = set(subs.filter(kind="series").values_list("series_id", flat=True))
    kept = []
    for n in notes:
        if n.kind in off:
            continue
        if n.kind == NotificationKind.SUBSCRIPTION:
            if n.subject == "chapter" and n.work_id not in works:
                # Heard through a creator subscription (AO3: new works and chapters):
                # only while it is still held and the work still names its creators.
                if not _creator_followed(subs, n.work_id):
                    continue
            if n.subject == "series" and n.series_id not in series:
                continue
            if (
                n.subject == "work"
                and not subs.filter(
                    kind="user", creator__pseuds__creatorships__work_id=n.work_id or 0
                ).exists()
            ):
                continue
        kept.append(n)
    return kept


def mail_build(mail: OutgoingMail) -> EmailMultiAlternatives | None:
    """The message for this record as its recipient may read it now, or None when nothing
    in it is left to tell (or the reader has no address). Written in the recipient's
    interface language (``accounts.middleware.recipient_language``), never in that of
    whoever caused it or of the worker."""
    user = mail.user
    if not user.email or not user.is_active:
        return None
    with translation.override(recipient_language(user)):
        return _mail_build(mail, user)


def _mail_build(mail: OutgoingMail, user: User) -> EmailMultiAlternatives | None:
    notes = still_wanted(
        user,
        list(
            Notification.objects.filter(mail=mail)
            .select_related("chapter", "series", "kudos__user")
            .order_by("pk")
        ),
    )
    cache: dict[int, Work | None] = {}
    items = [i for i in (item_for(n, user, cache) for n in notes) if i is not None]
    if not items:
        return None
    target = _unsubscribe_target(user, notes)
    unsubscribe_url = absolute(
        reverse("notify:unsubscribe", args=[unsubscribe_token(user, target)])
    )
    what = _("this subscription") if "s" in target else _("these emails")
    site = settings.SITE_NAME
    if len(items) == 1:
        subject = f"[{site}] {items[0].headline}"
    else:
        subject = f"[{site}] " + ngettext(
            "%(count)d update (%(frequency)s)", "%(count)d updates (%(frequency)s)", len(items)
        ) % {"count": len(items), "frequency": str(mail.get_frequency_display()).lower()}
    context = {
        "site_name": site,
        "site_url": settings.SITE_URL,
        "user": user,
        "items": items,
        "unsubscribe_url": unsubscribe_url,
        "unsubscribe_what": what,
        "preferences_url": absolute(reverse("notify:preferences", args=[user.username])),
    }
    message = EmailMultiAlternatives(
        subject=subject[:250],
        body=render_to_string("notify/mail.txt", context),
        from_email=f"{site} <{settings.DEFAULT_FROM_EMAIL}>",
        to=[user.email],
        headers={
            "Message-ID": mail.message_id,
            # RFC 2369 and RFC 8058: a one-click unsubscribe the mail client can POST to.
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",  # RFC 3834: no auto-replies, please
        },
    )
    message.attach_alternative(render_to_string("notify/mail.html", context), "text/html")
    return message


_held = threading.local()
CONNECTION_KEPT = 60.0  # seconds a worker keeps one SMTP connection for the next mails


def smtp_send(message: EmailMultiAlternatives) -> None:
    """Send on this thread's open connection to the mail server (one SMTP handshake for a
    run of mails, not one per mail), opening one when there is none, the settings changed,
    or it is older than ``CONNECTION_KEPT``. A kept connection that fails (the server
    dropped it while idle) is replaced once at once; a fresh one that fails raises."""
    key = (settings.EMAIL_BACKEND, settings.EMAIL_HOST, settings.EMAIL_PORT)
    held = getattr(_held, "value", None)
    if held is not None and (held[0] != key or time.monotonic() - held[2] > CONNECTION_KEPT):
        _drop()
        held = None
    if held is not None:
        try:
            held[1].send_messages([message])
            return
        except Exception:
            _drop()
    connection = get_connection(timeout=SMTP_TIMEOUT)
    connection.open()
    _held.value = (key, connection, time.monotonic())
    try:
        connection.send_messages([message])
    except Exception:
        _drop()
        raise


def _drop() -> None:
    held = getattr(_held, "value", None)
    _held.value = None
    if held is not None:
        try:
            held[1].close()
        except Exception:  # closing a dead connection may fail too; it is gone either way
            log.debug("closing an SMTP connection failed", exc_info=True)


def mail_send(payload: dict[str, Any]) -> None:
    """The job ``notify.send`` (``{"mail": id}``): claim, build, send, record. Raises on an
    SMTP failure after putting the record back, so the job queue retries it later."""
    now = timezone.now()
    mail_id = int(payload["mail"])
    claimed = (
        OutgoingMail.objects.filter(pk=mail_id)
        .filter(
            Q(status=MailStatus.PENDING)
            | Q(status=MailStatus.SENDING, claimed_at__lt=now - CLAIM_STALE)
        )
        .update(status=MailStatus.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    )
    if not claimed:
        return  # sent, cancelled, gone, or another worker is sending it right now
    try:
        mail = OutgoingMail.objects.select_related("user").get(pk=mail_id)
        message = mail_build(mail)
        if message is None:
            OutgoingMail.objects.filter(pk=mail_id).update(status=MailStatus.CANCELLED)
            return
        smtp_send(message)
    except Exception as exc:  # back to pending, so the queue's retry finds it
        OutgoingMail.objects.filter(pk=mail_id).update(
            status=MailStatus.PENDING, error=f"{exc.__class__.__name__}: {exc}"[:2000]
        )
        raise
    OutgoingMail.objects.filter(pk=mail_id).update(
        status=MailStatus.SENT, sent_at=timezone.now(), subject=message.subject, error=""
    )
