"""Writes of the API app: making and revoking personal access tokens."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from ficarchive.core.errors import NotFound, PermissionDenied

from .models import ApiToken, TokenScope

TOKEN_PREFIX = "fa_"  # noqa: S105 - a marker, not a secret
TOKEN_NAME_MAX = 100
TOKENS_PER_USER_MAX = 50


def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


@transaction.atomic
def token_create(*, actor: Any, name: str, scope: str = TokenScope.READ) -> tuple[ApiToken, str]:
    """Make a token for the actor; returns it and the secret, which is never stored and
    cannot be shown again."""
    if actor is None or not actor.is_authenticated:
        raise PermissionDenied("Log in to make tokens.")
    name = " ".join((name or "").split())
    errors: dict[str, list[str]] = {}
    if not name:
        errors["name"] = ["Give the token a name, so you know later what it is for."]
    elif len(name) > TOKEN_NAME_MAX:
        errors["name"] = [f"A token name can be at most {TOKEN_NAME_MAX} characters."]
    if scope not in TokenScope.values:
        errors["scope"] = ["Choose read or write."]
    if ApiToken.objects.filter(user=actor).count() >= TOKENS_PER_USER_MAX:
        errors["name"] = [f"You have {TOKENS_PER_USER_MAX} tokens; revoke one first."]
    if errors:
        raise ValidationError(errors)
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=actor, name=name, scope=scope, token_hash=token_hash(raw), prefix=raw[:10]
    )
    return token, raw


@transaction.atomic
def token_revoke(*, actor: Any, token_id: int) -> None:
    """Revoke (delete) one of the actor's tokens; it stops working at once."""
    if actor is None or not actor.is_authenticated:
        raise PermissionDenied("Log in to manage tokens.")
    deleted, _ = ApiToken.objects.filter(pk=token_id, user=actor).delete()
    if not deleted:
        raise NotFound("No such token.")
