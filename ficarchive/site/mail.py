"""The site's mails, queued on the job queue through ``moderation.mail`` (text and HTML,
the archive's name, retried with back-off, sent once). Each renders a subject and a text
body from ``site/mail/*.txt``; call them inside the transaction of the write they tell of.

Language: a mail to an account is written in its owner's language preference; one they
asked for themselves in this request (a confirmation link) falls back to the request's
language, and an invitation (an address with no account yet) is in the language of the
request that sent it."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from ficarchive.accounts.middleware import recipient_language
from ficarchive.accounts.models import User
from ficarchive.moderation.mail import mail_queue

from .models import Invitation


def _send(
    to: str, template: str, context: dict, *, key: str | None = None, user: User | None = None
) -> None:
    # The owner's preference; else the request's language (they asked for it themselves).
    language = recipient_language(user, fallback=translation.get_language()) if user else None
    mail_queue(to=to, template=f"site/mail/{template}", context=context, key=key, language=language)


def confirmation_send(user: User, token: str, *, email: str | None = None) -> None:
    """The link that confirms an address (at sign-up, or a new address). Each call is a
    new mail (a new link asked for)."""
    link = settings.SITE_URL + reverse("site:confirm_email", args=[token])
    _send(
        email or user.email,
        "confirm",
        {"user": user, "link": link, "change": bool(email)},
        user=user,
    )


def invitation_send(invitation: Invitation) -> None:
    """An invitation code with its sign-up link (once per invitation)."""
    link = settings.SITE_URL + reverse("site:signup") + f"?invitation={invitation.code}"
    _send(
        invitation.email,
        "invitation",
        {"invitation": invitation, "link": link},
        key=f"invitation:{invitation.pk}",
    )


def email_changed_notice(old_address: str, user: User) -> None:
    """Tell the old address that the account's address changed (as AO3 does)."""
    _send(old_address, "email_changed", {"user": user}, user=user)
