"""`ficarchive sendtestemail ADDRESS`: check the mail set-up by sending one message now.

Replaces Django's command of the same name: the same purpose, with the archive's name
in the message, the transport said on stdout, and a failure as one line on stderr with a
non-zero exit (not a traceback)."""

from __future__ import annotations

import smtplib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email

from ficarchive.notify.mail import SMTP_TIMEOUT
from ficarchive.notify.tasks import new_message_id


def transport() -> str:
    """Where mail goes, in words: the SMTP server, or the folder of mail files."""
    backend = settings.EMAIL_BACKEND.rsplit(".", 2)[-2]
    if backend == "smtp":
        tls = "TLS" if settings.EMAIL_USE_TLS else "no TLS"
        return f"SMTP {settings.EMAIL_HOST}:{settings.EMAIL_PORT} ({tls})"
    if backend == "filebased":
        return f"files in {settings.EMAIL_FILE_PATH}"
    return f"the {backend} backend"


class Command(BaseCommand):
    help = "Send a test email to ADDRESS through the configured mail server (FICARCHIVE_EMAIL_*)."

    def add_arguments(self, parser):
        parser.add_argument("address", help="where to send it")

    def handle(self, *args, **options):
        address = options["address"]
        try:
            validate_email(address)
        except ValidationError:
            raise CommandError(f"{address!r} is not an email address.") from None
        site = settings.SITE_NAME
        message = EmailMultiAlternatives(
            subject=f"[{site}] Test email",
            body=f"This is a test email from {site} ({settings.SITE_URL}).\nMail is set up.\n",
            from_email=f"{site} <{settings.DEFAULT_FROM_EMAIL}>",
            to=[address],
            headers={"Message-ID": new_message_id(), "Auto-Submitted": "auto-generated"},
        )
        message.attach_alternative(
            f'<p>This is a test email from <a href="{settings.SITE_URL}">{site}</a>.</p>'
            "<p>Mail is set up.</p>",
            "text/html",
        )
        try:
            with get_connection(timeout=SMTP_TIMEOUT) as connection:
                connection.send_messages([message])
        except (TimeoutError, smtplib.SMTPException, OSError) as exc:
            raise CommandError(f"Could not send through {transport()}: {exc}") from None
        self.stdout.write(f"Sent a test email to {address} through {transport()}.")
