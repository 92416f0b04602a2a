"""Writes of moderation: blocks, account notes and warnings, banned addresses, and the
admin's actions on an account (suspend, ban, hide all works), each in the audit log.

Account standing itself (the columns on ``User``) is written by ``accounts.standing``;
works are hidden through ``works.services.work_hide``."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ficarchive.accounts import standing
from ficarchive.accounts.middleware import recipient_language
from ficarchive.accounts.models import User
from ficarchive.core.audit import audit_record
from ficarchive.core.errors import NotFound, PermissionDenied
from ficarchive.core.viewers import Viewer, is_admin, is_user
from ficarchive.works.models import Work
from ficarchive.works.services import work_hide

from .mail import mail_queue
from .models import AccountNote, BannedAddress, Block, NoteKind
from .selectors import warnings_forget

MAX_BLOCKS = 2000  # AO3 allows 2,000 blocked users


def _require_user(actor: Viewer) -> User:
    if not is_user(actor) or not isinstance(actor, User):
        raise PermissionDenied(_("Log in to block or mute users."))
    return actor


def _require_admin(actor: Viewer) -> None:
    if not is_admin(actor):
        raise PermissionDenied(_("Only admins can do this."))


def user_by_name(name: str) -> User:
    """The account named ``name`` (any case); ValidationError naming it otherwise."""
    name = (name or "").strip()
    user = User.objects.filter(username__iexact=name).first() if name else None
    if user is None:
        raise ValidationError(
            {"user": [_("There is no user named %(name)s.") % {"name": repr(name)}]}
        )
    return user


@transaction.atomic
def block_add(*, actor: Viewer, username: str) -> Block:
    """Block a user by name. Blocking yourself, an admin, or the archive's own accounts is
    refused (AO3: official accounts cannot be blocked). Blocking twice returns the block."""
    me = _require_user(actor)
    target = user_by_name(username)
    if target.pk == me.pk:
        raise ValidationError({"user": [_("You cannot block yourself.")]})
    if is_admin(target) or target.system_role:
        raise ValidationError({"user": [_("You cannot block the archive's official accounts.")]})
    existing = Block.objects.filter(blocker=me, blocked=target).first()
    if existing is not None:
        return existing
    if Block.objects.filter(blocker=me).count() >= MAX_BLOCKS:
        raise ValidationError(
            {"user": [_("You can block at most %(max)s users.") % {"max": MAX_BLOCKS}]}
        )
    try:
        with transaction.atomic():
            return Block.objects.create(blocker=me, blocked=target)
    except IntegrityError:  # a double click racing the first
        return Block.objects.get(blocker=me, blocked=target)


@transaction.atomic
def block_remove(*, actor: Viewer, block_id: int) -> None:
    """Unblock (only the actor's own blocks); NotFound for any other id."""
    me = _require_user(actor)
    deleted, _created = Block.objects.filter(blocker=me, pk=block_id).delete()
    if not deleted:
        raise NotFound(_("No such block."))


def _address_value(value: str) -> str:
    value = (value or "").strip().lower().lstrip("@")
    if not value or " " in value or "." not in value.rpartition("@")[2]:
        raise ValidationError(
            {"value": [_("Give an email address (name@example.org) or a domain (example.org).")]}
        )
    return value


@transaction.atomic
def banned_address_add(*, actor: Viewer, value: str, reason: str = "") -> BannedAddress:
    """Ban an email address or a whole domain from sign-up and guest comments."""
    _require_admin(actor)
    value = _address_value(value)
    banned, _created = BannedAddress.objects.get_or_create(
        value=value, defaults={"reason": reason[:300]}
    )
    audit_record(actor=actor, action="address.ban", target=value, detail={"reason": reason})
    return banned


@transaction.atomic
def banned_address_remove(*, actor: Viewer, value: str) -> None:
    """Lift the ban of an address or domain."""
    _require_admin(actor)
    value = _address_value(value)
    BannedAddress.objects.filter(value=value).delete()
    audit_record(actor=actor, action="address.unban", target=value)


@transaction.atomic
def account_note_add(*, actor: Viewer, user: User, body: str, warning: bool = False) -> AccountNote:
    """An admin's note on an account, or (``warning=True``) a warning its owner is shown
    on their next page until they dismiss it."""
    _require_admin(actor)
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": [_("Write the note.")]})
    note = AccountNote.objects.create(
        user=user,
        kind=NoteKind.WARNING if warning else NoteKind.NOTE,
        author=actor if isinstance(actor, User) else None,
        body=body[:5000],
    )
    transaction.on_commit(lambda: warnings_forget(user.pk))
    audit_record(
        actor=actor,
        action="user.warn" if warning else "user.note",
        target=user.username,
        detail={"note": note.pk},
    )
    return note


@transaction.atomic
def warning_seen(*, actor: Viewer, note_id: int) -> None:
    """The warned user dismisses a warning."""
    me = _require_user(actor)
    AccountNote.objects.filter(
        pk=note_id, user=me, kind=NoteKind.WARNING, seen_at__isnull=True
    ).update(seen_at=timezone.now())
    warnings_forget(me.pk)
    transaction.on_commit(lambda: warnings_forget(me.pk))


@transaction.atomic
def user_suspend(*, actor: Viewer, user: User, until: dt.date, reason: str) -> User:
    """Suspend an account until a date (read-only meanwhile); see ``accounts.standing``.
    The account's owner is mailed the date and the reason (``standing_notice``)."""
    _require_admin(actor)
    return standing.user_suspend(actor=actor, user=user, until=until, reason=reason)


@transaction.atomic
def user_unsuspend(*, actor: Viewer, user: User) -> User:
    """End a suspension now."""
    _require_admin(actor)
    return standing.user_unsuspend(actor=actor, user=user)


@transaction.atomic
def user_ban(*, actor: Viewer, user: User, banned: bool = True, reason: str = "") -> User:
    """Ban an account (read-only for good) or lift the ban; a new ban is mailed to the
    account's owner (``standing_notice``)."""
    _require_admin(actor)
    if banned and (is_admin(user) or user.system_role):
        raise ValidationError(_("Admins and the archive's own accounts cannot be banned."))
    return standing.user_ban_set(actor=actor, user=user, banned=banned, reason=reason)


def standing_notice(user: User, event: str) -> None:
    """Queue the mail telling an account's owner of a new suspension (its end date and
    reason, as AO3's notice) or ban; registered with ``accounts.standing`` so that every
    door (the admin, ``ficarchive user suspend``) sends it, in the writer's transaction."""
    if not user.email:
        return
    stamp = f"{timezone.now():%Y%m%d%H%M%S%f}"
    if event == "suspended" and user.suspended_until is not None:
        until = timezone.localtime(user.suspended_until).date()
        mail_queue(
            to=user.email,
            template="moderation/mail/suspended",
            context={"user": user, "until": until, "reason": user.suspension_reason},
            key=f"suspended:{user.pk}:{until.isoformat()}:{stamp}",
            language=recipient_language(user),
        )
    elif event == "banned":
        mail_queue(
            to=user.email,
            template="moderation/mail/banned",
            context={"user": user},
            key=f"banned:{user.pk}:{stamp}",
            language=recipient_language(user),
        )


@transaction.atomic
def work_hidden_notice(work: Work, reason: str) -> None:
    """Queue one mail to each creator of a work an admin has just hidden (AO3 tells them),
    in the creator's language, with ``reason`` when given; registered with
    ``works.services.work_hidden_listener_register``, so every door (the work page, the
    admin, hiding an account's works) sends it, in the hiding transaction. The key names
    the work, the creator and the moment: one mail per creator per hiding."""
    stamp = f"{timezone.now():%Y%m%d%H%M%S%f}"
    creators = User.objects.filter(pseuds__creatorships__work=work, system_role="").distinct()
    for user in creators.order_by("pk"):
        if not user.email:
            continue
        mail_queue(
            to=user.email,
            template="moderation/mail/work_hidden",
            context={"user": user, "work": work, "reason": reason},
            key=f"work-hidden:{work.pk}:{user.pk}:{stamp}",
            language=recipient_language(user),
        )


def user_works_hide(*, actor: Viewer, user: User, hidden: bool = True) -> int:
    """Hide (or show again) every work the account is a creator of, together; returns how
    many works changed. Each goes through ``work_hide`` (indexes and audit per work)."""
    _require_admin(actor)
    works = Work.objects.filter(creatorships__pseud__user=user).exclude(hidden_by_admin=hidden)
    changed = 0
    for work in works.distinct().order_by("pk"):
        work_hide(actor=actor, work=work, hidden=hidden)  # type: ignore[arg-type]
        changed += 1
    audit_record(
        actor=actor,
        action="user.works_hide" if hidden else "user.works_unhide",
        target=user.username,
        detail={"works": changed},
    )
    return changed
