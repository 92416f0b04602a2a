"""Personal access tokens: making, revoking and looking them up. The JSON API (Bearer),
OPDS (Basic with the token as password, or Bearer) and `ficarchive user token` all come
here, so no app above accounts needs another to check a token."""

from __future__ import annotations

import hashlib
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from ficarchive.core.errors import NotFound, PermissionDenied

from .models import ApiToken, TokenScope, User

TOKEN_PREFIX = "fa_"  # noqa: S105 - a marker, not a secret
TOKEN_NAME_MAX = 100
TOKENS_PER_USER_MAX = 50


def token_hash(raw: str) -> str:
    """The SHA-256 hex digest stored for a token."""
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


@transaction.atomic
def token_create(*, actor: User, name: str, scope: str = TokenScope.READ) -> tuple[ApiToken, str]:
    """Make a token for the actor; returns it and the secret ("fa_..."), which is never
    stored and cannot be shown again. Raises PermissionDenied for a guest, ValidationError
    ({"name": ..., "scope": ...}) for an empty or over-long name, an unknown scope or a
    user at TOKENS_PER_USER_MAX tokens."""
    if actor is None or not actor.is_authenticated:
        raise PermissionDenied("Log in to make tokens.")
    name = " ".join((name or "").split())
    errors: dict[str, list[str]] = {}
    if not name:
        errors["name"] = [_("Give the token a name, so you know later what it is for.")]
    elif len(name) > TOKEN_NAME_MAX:
        errors["name"] = [
            _("A token name can be at most %(count)d characters.") % {"count": TOKEN_NAME_MAX}
        ]
    if scope not in TokenScope.values:
        errors["scope"] = [_("Choose read or write.")]
    if ApiToken.objects.filter(user=actor).count() >= TOKENS_PER_USER_MAX:
        errors["name"] = [
            _("You have %(count)d tokens; revoke one first.") % {"count": TOKENS_PER_USER_MAX}
        ]
    if errors:
        raise ValidationError(errors)
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=actor, name=name, scope=scope, token_hash=token_hash(raw), prefix=raw[:10]
    )
    return token, raw


@transaction.atomic
def token_revoke(*, actor: User, token_id: int) -> None:
    """Revoke (delete) one of the actor's tokens; it stops working at once. Raises
    PermissionDenied for a guest, NotFound for a token that is not the actor's."""
    if actor is None or not actor.is_authenticated:
        raise PermissionDenied("Log in to manage tokens.")
    deleted, _kinds = ApiToken.objects.filter(pk=token_id, user=actor).delete()
    if not deleted:
        raise NotFound("No such token.")


@transaction.atomic
def tokens_revoke_all(*, user: User) -> int:
    """Revoke every personal access token of ``user`` (after a password change or reset:
    whoever knew the old password may have made tokens with it). Returns how many."""
    deleted, _kinds = ApiToken.objects.filter(user=user).delete()
    return deleted


def tokens_revoke_on_password_change(
    sender: type, instance: User, created: bool = False, **kwargs: object
) -> None:
    """``post_save`` of ``User``: when the save carries a new password
    (``set_password`` keeps the raw one in ``_password`` until the save is done), revoke
    every token of the account, whichever door changed it."""
    if not created and getattr(instance, "_password", None) is not None:
        tokens_revoke_all(user=instance)


def tokens_of(user: User) -> QuerySet[ApiToken]:
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
