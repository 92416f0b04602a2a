"""The site's mails, through Django's mail API (the notifications app will route them
through its queue once it lands). Each renders a subject and a text body from
``site/mail/*.txt``."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse

from ficarchive.accounts.models import User

from .models import Invitation


def _send(to: str, template: str, context: dict) -> None:
    context = {**context, "site_name": settings.SITE_NAME, "site_url": settings.SITE_URL}
    text = render_to_string(f"site/mail/{template}.txt", context)
    subject, _, body = text.partition("\n")
    send_mail(subject.strip(), body.lstrip("\n"), settings.DEFAULT_FROM_EMAIL, [to])


def confirmation_send(user: User, token: str, *, email: str | None = None) -> None:
    """The link that confirms an address (at sign-up, or a new address)."""
    link = settings.SITE_URL + reverse("site:confirm_email", args=[token])
    _send(email or user.email, "confirm", {"user": user, "link": link, "change": bool(email)})


def invitation_send(invitation: Invitation) -> None:
    """An invitation code with its sign-up link."""
    link = settings.SITE_URL + reverse("site:signup") + f"?invitation={invitation.code}"
    _send(invitation.email, "invitation", {"invitation": invitation, "link": link})


def email_changed_notice(old_address: str, user: User) -> None:
    """Tell the old address that the account's address changed (as AO3 does)."""
    _send(old_address, "email_changed", {"user": user})
