"""An account's standing: email confirmed, terms accepted, suspended or banned.

The columns live on ``User`` and only this module writes them. ``write_refusal`` is the one
rule every write door asks (the site's middleware in ``moderation``, the API's
``api_view``): a suspended, banned or unconfirmed account may read but not post, comment,
give kudos or bookmark. AO3 does the same for suspended accounts ("read-only until").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ficarchive.core.audit import audit_record
from ficarchive.core.viewers import Viewer

from .models import PreviousUsername, User

# How long an old user name keeps redirecting to the new one (and stays reserved).
RENAME_REDIRECT_DAYS = 30

# Told of a new suspension or ban, in the writer's transaction, whichever door made it (the
# admin, `ficarchive user suspend`): ``fn(user, event)`` with event "suspended" or
# "banned". Moderation registers the notice mail (it sits above accounts).
_STANDING_LISTENERS: list[Callable[[User, str], None]] = []


def standing_listener_register(fn: Callable[[User, str], None]) -> None:
    """Add a listener of new suspensions and bans (idempotent)."""
    if fn not in _STANDING_LISTENERS:
        _STANDING_LISTENERS.append(fn)


def _standing_changed(user: User, event: str) -> None:
    for fn in _STANDING_LISTENERS:
        fn(user, event)


def suspended(user: User, *, now: dt.datetime | None = None) -> bool:
    """True while ``user.suspended_until`` is in the future."""
    until = user.suspended_until
    return until is not None and until > (now or timezone.now())


def write_refusal(user: object) -> str | None:
    """Why this account may not write now, as one sentence for the reader; ``None`` when it
    may (guests, the operator and accounts in good standing)."""
    if not isinstance(user, User):
        return None
    if user.banned:
        return _("This account is banned: it can read the archive but not post or respond.")
    if suspended(user):
        until = timezone.localtime(user.suspended_until).date().isoformat()
        refusal = _(
            "Your account is suspended until %(until)s: you can read, but not post, comment, "
            "give kudos or bookmark."
        ) % {"until": until}
        if user.suspension_reason:
            refusal += " " + _("Reason: %(reason)s") % {"reason": user.suspension_reason}
        return refusal
    if not user.email_confirmed:
        return _(
            "Please confirm your email address first: open the link we sent to %(address)s "
            "(you can have it sent again from your preferences)."
        ) % {"address": user.email or _("your address")}
    return None


@transaction.atomic
def user_suspend(*, actor: Viewer, user: User, until: dt.date, reason: str) -> User:
    """Suspend until the start of ``until`` (a date in the site's time zone), with the reason
    the user will see. ValidationError for a date not in the future or an empty reason."""
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError({"reason": ["Give the reason the user will be shown."]})
    end = timezone.make_aware(dt.datetime.combine(until, dt.time.min))
    if end <= timezone.now():
        raise ValidationError({"until": ["The suspension must end after today."]})
    user.suspended_until, user.suspension_reason = end, reason[:2000]
    user.save(update_fields=["suspended_until", "suspension_reason"])
    audit_record(
        actor=actor,
        action="user.suspend",
        target=user.username,
        detail={"until": until.isoformat(), "reason": reason},
    )
    _standing_changed(user, "suspended")
    return user


@transaction.atomic
def user_unsuspend(*, actor: Viewer, user: User) -> User:
    """End a suspension now (nothing happens to an account not suspended)."""
    if user.suspended_until is None and not user.suspension_reason:
        return user
    user.suspended_until, user.suspension_reason = None, ""
    user.save(update_fields=["suspended_until", "suspension_reason"])
    audit_record(actor=actor, action="user.unsuspend", target=user.username)
    return user


@transaction.atomic
def user_ban_set(*, actor: Viewer, user: User, banned: bool, reason: str = "") -> User:
    """Ban (read-only for good) or lift a ban; the reason goes to the audit log."""
    if user.banned == banned:
        return user
    user.banned = banned
    user.save(update_fields=["banned"])
    audit_record(
        actor=actor,
        action="user.ban" if banned else "user.unban",
        target=user.username,
        detail={"reason": reason} if reason else {},
    )
    if banned:
        _standing_changed(user, "banned")
    return user


@transaction.atomic
def user_email_confirm(*, user: User, email: str) -> User:
    """Mark ``email`` as the account's confirmed address (the confirmation link was opened).
    Sets the address too, for an email change confirmed at the new address."""
    validate_email(email)
    if User.objects.filter(email__iexact=email).exclude(pk=user.pk).exists():
        raise ValidationError(_("Another account uses this address now."))
    user.email, user.email_confirmed = email, True
    user.save(update_fields=["email", "email_confirmed"])
    return user


@transaction.atomic
def user_mark_unconfirmed(*, user: User) -> User:
    """Sign-up in a mode that asks for confirmation: the account may read, not write."""
    user.email_confirmed = False
    user.save(update_fields=["email_confirmed"])
    return user


@transaction.atomic
def user_tos_accept(*, user: User, version: int) -> User:
    """Record that the account accepted this version of the terms of service."""
    if version > user.tos_version:
        user.tos_version = version
        user.save(update_fields=["tos_version"])
    return user


@transaction.atomic
def users_purge_unconfirmed(*, older_than: dt.datetime) -> list[str]:
    """Delete accounts that never confirmed their address and joined before ``older_than``
    (the sign-up confirmation's purge). Accounts with works keep them orphan-free: only
    accounts with no creatorships are removed. Returns the removed user names."""
    stale = User.objects.filter(
        email_confirmed=False, date_joined__lt=older_than, system_role="", is_staff=False
    ).exclude(pseuds__creatorships__isnull=False)
    names = list(stale.values_list("username", flat=True))
    if names:
        User.objects.filter(username__in=names).delete()
        audit_record(actor=None, action="user.purge_unconfirmed", target=f"{len(names)} accounts")
    return names


@transaction.atomic
def user_delete(*, user: User) -> None:
    """Delete the account with its pseuds (its works must have been orphaned or deleted
    first: ``site.account.account_delete`` does that). Comments stay, signed by no one, as
    AO3 keeps the replies to them readable."""
    name = user.username
    User.objects.filter(pk=user.pk).delete()
    audit_record(actor=None, action="user.delete", target=name)


def previous_name_owner(name: str) -> User | None:
    """The account that was called ``name`` within the last ``RENAME_REDIRECT_DAYS``."""
    since = timezone.now() - dt.timedelta(days=RENAME_REDIRECT_DAYS)
    found = (
        PreviousUsername.objects.filter(name__iexact=name, changed_at__gte=since)
        .select_related("user")
        .first()
    )
    return found.user if found and found.user.is_active else None


@transaction.atomic
def user_rename(*, user: User, new_name: str, password: str) -> User:
    """Change the account's user name (the password confirms it). The default pseud of the
    same name follows, its works re-indexed; the old name redirects for
    ``RENAME_REDIRECT_DAYS`` days and no one else may take it meanwhile. ValidationError by
    field, nothing changed. AO3 likewise allows a rename and keeps the old name's links."""
    from .services import _check_username, pseud_update

    if not user.check_password(password or ""):
        raise ValidationError({"password": [_("That is not your password.")]})
    if user.system_role:
        raise ValidationError(_("The archive's own accounts keep their names."))
    new_name = (new_name or "").strip()
    if new_name.lower() != user.username.lower() or new_name == user.username:
        new_name = _check_username(new_name, allow_reserved=False)
    if previous_name_owner(new_name) not in (None, user):
        raise ValidationError(
            {"username": [_("The user name %(name)s is already taken.") % {"name": repr(new_name)}]}
        )
    old = user.username
    PreviousUsername.objects.create(user=user, name=old)
    user.username = new_name
    user.save(update_fields=["username"])
    default = user.pseuds.filter(name=old).first()
    if default is not None:
        pseud_update(
            actor=user,
            pseud=default,
            name=new_name,
            description=default.description,
            is_default=default.is_default,
        )
    audit_record(actor=user, action="user.rename", target=new_name, detail={"from": old})
    return user
