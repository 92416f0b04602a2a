"""Reads of the API app: tokens."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from .models import ApiToken
from .services import TOKEN_PREFIX, token_hash


def tokens_of(user: Any) -> QuerySet[ApiToken]:
    """A user's tokens, newest first."""
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-id")


def token_lookup(raw: str) -> ApiToken | None:
    """The live token with this secret, its user active; None otherwise. Notes the time
    of use (at most once a minute, to spare the database a write per request)."""
    if not raw.startswith(TOKEN_PREFIX) or len(raw) > 200:
        return None
    token = ApiToken.objects.select_related("user").filter(token_hash=token_hash(raw)).first()
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
