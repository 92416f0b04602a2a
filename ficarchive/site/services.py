"""Writes of the site app: the sign-up mode, invitations and the invite queue, sign-up
itself, email confirmation, and accepting the terms of service.

Mail is queued on the job queue in the write's own transaction (``site.mail``); links are signed with Django's
``signing`` (no table of tokens): a confirmation link carries the account and the address,
and expires after ``SiteSettings.invitation_days``."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ficarchive.accounts import standing
from ficarchive.accounts.models import User
from ficarchive.accounts.selectors import account_of
from ficarchive.accounts.services import user_create
from ficarchive.core.audit import audit_record
from ficarchive.core.errors import PermissionDenied
from ficarchive.core.viewers import Viewer, is_admin
from ficarchive.moderation.selectors import address_refusal

from . import mail
from .models import Invitation, InviteRequest, SignupMode, SiteSettings
from .selectors import invitations_left, site_settings, tos_version

CONFIRM_SALT = "ficarchive.site.confirm"
# Unambiguous letters and digits (no 0/O, 1/l/I), as AO3's invitation tokens.
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghjkmnpqrstuvwxyz23456789"
CODE_LENGTH = 20
MAX_CODES_AT_ONCE = 1000


@transaction.atomic
def signup_mode_set(*, actor: Viewer, mode: str) -> SiteSettings:
    """Set the sign-up mode (``open``, ``confirm``, ``invite``, ``queue``)."""
    if not is_admin(actor):
        raise PermissionDenied(_("Only admins change how people sign up."))
    if mode not in SignupMode.values:
        raise ValidationError(
            _("Choose one of %(modes)s.") % {"modes": ", ".join(SignupMode.values)}
        )
    settings_row = site_settings()
    before = settings_row.signup_mode
    settings_row.signup_mode = mode
    settings_row.save(update_fields=["signup_mode"])
    audit_record(
        actor=actor, action="site.signup_mode", target="site", detail={"from": before, "to": mode}
    )
    return settings_row


SETTINGS_NUMBERS = ("invites_per_day", "user_invitations", "unconfirmed_days", "invitation_days")


@transaction.atomic
def site_settings_update(*, actor: Viewer, **values: int) -> SiteSettings:
    """Change the numbers of the site settings (invites per day, invitations each user
    earns, days before unconfirmed accounts are purged, days links and codes last).
    ValidationError for an unknown name or a negative number."""
    if not is_admin(actor):
        raise PermissionDenied(_("Only admins change the site settings."))
    row = site_settings()
    changed = {}
    for name, value in values.items():
        if name not in SETTINGS_NUMBERS:
            raise ValidationError(f"Unknown setting {name!r}.")
        if not isinstance(value, int) or value < 0:
            raise ValidationError({name: [_("Give a whole number, 0 or more.")]})
        if getattr(row, name) != value:
            changed[name] = value
            setattr(row, name, value)
    if changed:
        row.save(update_fields=list(changed))
        audit_record(actor=actor, action="site.settings", target="site", detail=changed)
    return row


def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _i in range(CODE_LENGTH))


@transaction.atomic
def invitations_create(
    *, actor: Viewer, count: int = 1, email: str = "", send: bool = False
) -> list[Invitation]:
    """Make ``count`` invitation codes. Admins and the operator make any number; a user
    makes as many as they have left (``SiteSettings.user_invitations`` each). With
    ``email`` and ``send``, the code is mailed there."""
    if count < 1 or count > MAX_CODES_AT_ONCE:
        raise ValidationError(
            _("Make between 1 and %(max)s codes at once.") % {"max": MAX_CODES_AT_ONCE}
        )
    account = account_of(actor)
    if not is_admin(actor):
        if account is None:
            raise PermissionDenied(_("Log in to invite people."))
        left = invitations_left(account)
        if count > left:
            raise ValidationError(
                ngettext(
                    "You have %(count)s invitation left to give.",
                    "You have %(count)s invitations left to give.",
                    left,
                )
                % {"count": left}
            )
    days = site_settings().invitation_days
    expires = timezone.now() + dt.timedelta(days=days) if days else None
    made = [
        Invitation.objects.create(
            code=_new_code(), creator=account, email=email.strip(), expires_at=expires
        )
        for _i in range(count)
    ]
    audit_record(actor=actor, action="invitation.create", target=f"{count} codes")
    if send and email:
        for invitation in made:
            mail.invitation_send(invitation)
    return made


def invitation_check(code: str) -> Invitation:
    """The invitation for ``code`` if it can still be used; ValidationError saying why not
    (unknown, already used, expired)."""
    code = (code or "").strip()
    invitation = Invitation.objects.filter(code=code).first() if code else None
    if invitation is None:
        raise ValidationError({"invitation": [_("This invitation code is not one we gave out.")]})
    if invitation.used_by_id is not None or invitation.used_at is not None:
        raise ValidationError({"invitation": [_("This invitation has already been used.")]})
    if invitation.expires_at is not None and invitation.expires_at <= timezone.now():
        raise ValidationError(
            {"invitation": [_("This invitation has expired. Ask for a new one, please.")]}
        )
    return invitation


def _address_accepted(email: str) -> str:
    """The address, stripped, when it is well formed and not banned (moderation's rule).
    Raises ``ValidationError`` on the ``email`` field."""
    email = (email or "").strip()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError({"email": [_("Please enter a valid email address.")]})
    refusal = address_refusal(email)
    if refusal:
        raise ValidationError({"email": [refusal]})
    return email


@transaction.atomic
def invite_request_create(*, email: str) -> tuple[InviteRequest, int]:
    """Join the invite queue; returns the request and its place (1 = next). Asking again
    with the same address returns the existing place."""
    email = _address_accepted(email)
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": [_("An account already uses this address: log in.")]})
    existing = InviteRequest.objects.filter(email__iexact=email).first()
    request = existing or InviteRequest.objects.create(email=email)
    from .selectors import queue_position

    return request, queue_position(request)


@transaction.atomic
def invite_queue_send(*, actor: Viewer, count: int | None = None) -> list[str]:
    """Send the next ``count`` (default ``SiteSettings.invites_per_day``) queued requests
    an invitation, oldest first; returns the addresses. Run daily (``ficarchive site
    queue-send``), as AO3 sends its queue in daily batches."""
    n = site_settings().invites_per_day if count is None else count
    pending = list(
        InviteRequest.objects.select_for_update()
        .filter(invitation__isnull=True)
        .order_by("created_at", "id")[:n]
    )
    sent = []
    for req in pending:
        (invitation,) = invitations_create(actor=actor, email=req.email, send=True)
        req.invitation = invitation
        req.save(update_fields=["invitation"])
        sent.append(req.email)
    return sent


@dataclass
class SignupInput:
    username: str
    email: str
    password: str
    invitation: str = ""
    tos_accepted: bool = False


@transaction.atomic
def account_sign_up(*, data: SignupInput) -> User:
    """Sign up under the archive's mode. ``invite`` and ``queue`` need an unused, unexpired
    code; ``confirm`` (the default) makes an account that reads at once and writes once its
    address is confirmed (an invitation mailed to that same address confirms it already);
    a banned address is refused. The terms of service must be accepted when the archive has
    them. ValidationError by field, nothing written."""
    mode = site_settings().signup_mode
    errors: dict[str, list[str]] = {}
    invitation = None
    if data.invitation.strip():
        try:
            invitation = invitation_check(data.invitation)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    elif mode in (SignupMode.INVITE, SignupMode.QUEUE):
        errors["invitation"] = [_("Signing up here needs an invitation code.")]
    refusal = address_refusal(data.email)
    if refusal:
        errors["email"] = [refusal]
    elif User.objects.filter(email__iexact=data.email.strip()).exists() and data.email.strip():
        errors["email"] = [_("An account already uses this address.")]
    version = tos_version()
    if version and not data.tos_accepted:
        errors["tos"] = [_("Please read and accept the Terms of Service.")]
    if errors:
        raise ValidationError(errors)
    user = user_create(username=data.username, email=data.email, password=data.password)
    if version:
        standing.user_tos_accept(user=user, version=version)
    if invitation is not None:
        invitation.used_by, invitation.used_at = user, timezone.now()
        invitation.save(update_fields=["used_by", "used_at"])
    mailed_here = invitation is not None and invitation.email.lower() == user.email.lower()
    if mode != SignupMode.OPEN and not mailed_here:
        standing.user_mark_unconfirmed(user=user)
        mail.confirmation_send(user, confirmation_token(user))
    return user


def confirmation_token(user: User, email: str | None = None) -> str:
    """A signed token for confirming ``email`` (default: the account's) for ``user``."""
    return signing.dumps({"u": user.pk, "e": email or user.email}, salt=CONFIRM_SALT)


@transaction.atomic
def email_confirm(*, token: str) -> User:
    """Open a confirmation link: the address becomes the account's, confirmed.
    ValidationError with one clear sentence for a link that is expired, damaged, already
    used, or whose address another account took meanwhile."""
    max_age = dt.timedelta(days=site_settings().invitation_days or 30)
    try:
        data = signing.loads(token, salt=CONFIRM_SALT, max_age=max_age)
    except signing.SignatureExpired:
        raise ValidationError(
            _(
                "This confirmation link has expired. Log in and ask for a new one from your "
                "preferences."
            )
        )
    except signing.BadSignature:
        raise ValidationError(_("This confirmation link is not valid: check it was copied whole."))
    user = User.objects.select_for_update().filter(pk=data.get("u")).first()
    if user is None:
        raise ValidationError(_("The account of this confirmation link no longer exists."))
    email = data.get("e") or ""
    if user.email_confirmed and user.email.lower() == email.lower():
        raise ValidationError(_("This address is already confirmed; the link has been used."))
    previous = user.email
    standing.user_email_confirm(user=user, email=email)
    if previous and previous.lower() != email.lower():
        mail.email_changed_notice(previous, user)
    return user


def confirmation_resend(*, user: User) -> None:
    """Mail a new confirmation link to an unconfirmed account's address."""
    if user.email_confirmed:
        raise ValidationError(_("Your address is already confirmed."))
    mail.confirmation_send(user, confirmation_token(user))


def email_change_request(*, user: User, email: str, password: str) -> None:
    """Ask to change the address: a link goes to the new address (the change happens when
    it is opened); the old address is told once it is done. Needs the password."""
    if not user.check_password(password):
        raise ValidationError({"password": [_("That is not your password.")]})
    email = _address_accepted(email)
    if User.objects.filter(email__iexact=email).exclude(pk=user.pk).exists():
        raise ValidationError({"email": [_("Another account uses this address.")]})
    mail.confirmation_send(user, confirmation_token(user, email), email=email)


@transaction.atomic
def tos_accept(*, user: User) -> User:
    """The user accepts the current terms of service."""
    return standing.user_tos_accept(user=user, version=tos_version())


def unconfirmed_purge(*, now: dt.datetime | None = None) -> list[str]:
    """Delete accounts still unconfirmed ``SiteSettings.unconfirmed_days`` after sign-up."""
    days = site_settings().unconfirmed_days
    cutoff = (now or timezone.now()) - dt.timedelta(days=days)
    return standing.users_purge_unconfirmed(older_than=cutoff)
