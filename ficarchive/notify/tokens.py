"""Signed unsubscribe tokens and private feed tokens.

An unsubscribe link must work without logging in (RFC 8058 one-click), so the token
itself is the authority: ``django.core.signing`` signs ``{"u": user id, "s": subscription
id}`` or ``{"u": user id, "k": [kinds]}`` with the site's secret key under its own salt.
Nothing is stored; a token stops working when what it names is gone (the subscription
deleted) or when the secret key changes. They do not expire, as AO3's do not: a mail read
a month later must still be able to stop the next one."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.core import signing
from django.utils.translation import gettext as _

from ficarchive.accounts.models import User

SALT = "ficarchive.notify.unsubscribe"


class BadToken(Exception):
    """The token was not made by this site (altered, truncated, another key)."""


def unsubscribe_token(user: User, target: dict[str, Any]) -> str:
    """The URL-safe token for stopping ``target`` (``{"s": id}`` or ``{"k": [kinds]}``)."""
    return signing.dumps({"u": user.pk, **target}, salt=SALT, compress=True)


def unsubscribe_read(token: str) -> dict[str, Any]:
    """What a token says; raises BadToken when its signature does not hold."""
    try:
        data = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        raise BadToken(_("This unsubscribe link is not valid.")) from None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        raise BadToken(_("This unsubscribe link is not valid."))
    return data


def feed_secret() -> tuple[str, str]:
    """A new feed secret and the SHA-256 digest kept of it."""
    secret = secrets.token_urlsafe(24)
    return secret, feed_digest(secret)


def feed_digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()
