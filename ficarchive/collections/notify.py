"""Telling people about collection events (assignments sent, gifts, invitations).

Until the notifications app lands, ``collection_notify`` sends one mail per account
through Django's mail (FICARCHIVE_EMAIL_*; files in FICARCHIVE_HOME without a host), after
the transaction commits. The lead wires this one function to the notifications app."""

from __future__ import annotations

import functools
from collections.abc import Iterable

from django.core.mail import send_mail
from django.db import transaction

from ficarchive.accounts.models import User


def _send(subject: str, body: str, address: str) -> None:
    send_mail(subject, body, None, [address], fail_silently=True)


def collection_notify(*, users: Iterable[User | None], subject: str, body: str) -> int:
    """Queue ``subject``/``body`` (plain text) to each account with an address, once the
    writer's transaction commits. Returns how many mails are queued."""
    addresses = sorted({u.email for u in users if u is not None and u.email})
    for address in addresses:
        transaction.on_commit(functools.partial(_send, subject, body, address))
    return len(addresses)
