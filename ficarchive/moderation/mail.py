"""The archive's transactional mails (sign-up confirmation, invitations, email changes,
report outcomes, suspension notices), sent by the job queue as the notifications app sends
its own: the job ``moderation.mail``.

The notify app's ``OutgoingMail`` is a reader's notification mail (tied to an account, built
from notifications, with an unsubscribe link); a transactional mail goes to any address
(an invite-queue request has no account yet) and is not something one unsubscribes from,
so it rides the same queue (``core.jobs``, the same Message-ID rule and back-off as
``notify.mail``) as a job of its own. Moderation sits below site, so both apps call it.

**Once and only once**, as far as SMTP allows (see ``notify.mail``): the job is queued in
the caller's transaction (it exists exactly when the write that asked for it committed),
with a ``key`` that makes asking twice a no-op, and its Message-ID is fixed when it is
queued. The queue claims the job once; an SMTP failure raises and the queue retries it
with back-off (up to ``MAX_ATTEMPTS``); a crash between the server's acceptance and the
"done" mark sends it again under the same Message-ID, which servers and clients treat as
the same message (RFC 5322 §3.6.4).

The mail is rendered when it is queued, in the recipient's language when the caller passes
``language`` (``accounts.middleware.recipient_language``: the account's preference), else
in the language then active (for an address with no account, the request's that asked
for it; the archive's default from the command line), as a text part (the template, whose first
line is the subject) and an HTML part drawn from the same text."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation

from ficarchive.core.jobs import job_enqueue
from ficarchive.notify.mail import smtp_send
from ficarchive.notify.tasks import new_message_id

MAIL_JOB = "moderation.mail"
MAX_ATTEMPTS = 12  # 30 s doubling, capped at an hour: about eight hours of outage


def mail_queue(
    *,
    to: str,
    template: str,
    context: dict[str, Any],
    key: str | None = None,
    language: str | None = None,
) -> str:
    """Queue one mail to ``to``, rendered now from ``template`` (a path without ``.txt``;
    the first line of the rendering is the subject, the rest the text body). ``key`` names
    the event (``"report-outcome:12"``): a second call with the same key queues nothing.
    Call it inside the transaction of the write the mail tells of. Returns the
    Message-ID. ``language`` (a code of ``settings.LANGUAGES``) renders the mail in the
    recipient's language whatever the request's; None keeps the active one. Lazy strings
    in ``context`` are rendered in it too. ValueError when ``to`` is empty."""
    if not (to or "").strip():
        raise ValueError("A mail needs an address.")
    if language:
        with translation.override(language):
            payload = _render(template, context)
    else:
        payload = _render(template, context)
    message_id = new_message_id()
    payload.update(to=to.strip(), message_id=message_id)
    job_enqueue(MAIL_JOB, payload, key=key or f"mail:{message_id}")
    return message_id


def _render(template: str, context: dict[str, Any]) -> dict[str, Any]:
    """Subject, text and HTML of the mail, in the active language."""
    site = settings.SITE_NAME
    ctx = {**context, "site_name": site, "site_url": settings.SITE_URL}
    rendered = render_to_string(f"{template}.txt", ctx)
    subject, _, body = rendered.partition("\n")
    subject, body = " ".join(subject.split()), body.strip("\n") + "\n"
    html = render_to_string(
        "moderation/mail/message.html",
        {
            "subject": subject,
            "body": body,
            "site_name": site,
            "site_url": settings.SITE_URL,
            "language": translation.get_language() or settings.LANGUAGE_CODE,
            "bidi": translation.get_language_bidi(),
        },
    )
    return {"subject": subject[:250], "text": body, "html": html}


def mail_deliver(payload: dict[str, Any]) -> None:
    """The job ``moderation.mail``: send the queued mail under its Message-ID. Raises on an
    SMTP failure, so the queue retries it later."""
    site = settings.SITE_NAME
    message = EmailMultiAlternatives(
        subject=payload["subject"],
        body=payload["text"],
        from_email=f"{site} <{settings.DEFAULT_FROM_EMAIL}>",
        to=[payload["to"]],
        headers={
            "Message-ID": payload["message_id"],
            "Auto-Submitted": "auto-generated",  # RFC 3834: no auto-replies, please
        },
    )
    message.attach_alternative(payload["html"], "text/html")
    # The notification mails' sender: one held SMTP connection per worker thread.
    smtp_send(message)
