"""Writes to accounts and pseuds. The sign-up form, the command line and the API all
create users and pseuds through these functions."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

import regex
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ficarchive.core import changes
from ficarchive.core.audit import AuditLog, audit_record
from ficarchive.core.chars import name_repair, name_tidy
from ficarchive.core.errors import PermissionDenied
from ficarchive.core.html import sanitize_html
from ficarchive.core.viewers import Viewer, is_admin, is_user

from .models import (
    ORPHAN_ACCOUNT,
    Pseud,
    SystemRole,
    User,
    pseud_name_validator,
    username_validator,
)

# The names the archive's own accounts go by, and names that would pass for the archive
# itself: no path that creates accounts (sign-up, API, `ficarchive user create`) takes
# them, in any case; only system_account() makes these accounts.
SYSTEM_ACCOUNT_NAMES = {SystemRole.ORPHAN: ORPHAN_ACCOUNT, SystemRole.ARCHIVIST: "archivist"}
SYSTEM_USERNAMES = {*SYSTEM_ACCOUNT_NAMES.values(), "ficarchive", "operator"}
# Names that would shadow a page or impersonate the archive's staff: refused at sign-up;
# the operator may still give them out from the command line.
RESERVED_USERNAMES = SYSTEM_USERNAMES | {
    "admin",
    "administrator",
    "anonymous",
    "guest",
    "login",  # "/users/login" is AO3's log-in address (accounts/urls.py), not a profile
    "support",
    "staff",
}
# "/users/NAME/pseuds/new" is the form for a new pseud, so no pseud may be called that.
# "Anonymous" is the byline of anonymous works; a pseud of that name would pass for one.
RESERVED_PSEUD_NAMES = {"new", "anonymous"}
PSEUD_DESCRIPTION_MAX = 500


def _may_manage(actor: Viewer, owner: User) -> bool:
    """The account's owner and admins (``core.viewers.is_admin``) manage its pseuds."""
    return (is_user(actor) and actor.pk == owner.pk) or is_admin(actor)  # type: ignore[union-attr]


def _check_username(username: str, *, allow_reserved: bool) -> str:
    username = name_tidy(username)
    username_validator(username)
    if username.lower() in SYSTEM_USERNAMES:
        raise ValidationError(
            {
                "username": _("The user name %(name)s is reserved for the archive's own use.")
                % {"name": repr(username)}
            }
        )
    if not allow_reserved and username.lower() in RESERVED_USERNAMES:
        raise ValidationError(
            {"username": _("The user name %(name)s is reserved.") % {"name": repr(username)}}
        )
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError(
            {"username": _("The user name %(name)s is already taken.") % {"name": repr(username)}}
        )
    return username


@transaction.atomic
def user_create(
    *,
    username: str,
    email: str = "",
    password: str | None = None,
    admin: bool = False,
    check_password: bool = True,
    allow_reserved: bool = False,
) -> User:
    """Create an account with its default pseud (named as the account). Without a password
    the account gets an unusable one (its owner sets one through password reset).
    User names are unique regardless of case, as on AO3."""
    try:
        username = _check_username(username, allow_reserved=allow_reserved)
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            raise
        raise ValidationError({"username": exc.messages})
    email = email.strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise ValidationError(
                {"email": _("%(email)s is not a valid email address.") % {"email": repr(email)}}
            )
    user = User(username=username, email=email, is_staff=admin, is_superuser=admin)
    if password is None:
        user.set_unusable_password()
    else:
        if check_password:
            try:
                validate_password(password, user)
            except ValidationError as exc:
                raise ValidationError({"password": exc.messages})
        user.set_password(password)
    user.save()
    Pseud.objects.create(user=user, name=username, is_default=True)
    return user


def system_account(role: str) -> User:
    """The archive's own account for this role (``"orphan"``: orphaned works;
    ``"archivist"``: imports with no owner named), found by its role, never by its name,
    and made on first use: no password anyone can use, a default pseud named for the role.
    It takes the role's name when free, else the first free ``NAME_2``, ``NAME_3``... (a
    person may hold the name from before it was reserved). ValueError for an unknown role."""
    role = SystemRole(role)
    user = User.objects.filter(system_role=role).first()
    if user is not None:
        return user
    base = SYSTEM_ACCOUNT_NAMES[role]
    name, n = base, 1
    while User.objects.filter(username__iexact=name).exists():
        n += 1
        name = f"{base}_{n}"
    try:
        with transaction.atomic():
            user = User(
                username=name, email="", system_role=role, is_active=role != SystemRole.ORPHAN
            )
            user.set_unusable_password()
            user.save()
            Pseud.objects.create(user=user, name=base, is_default=True)
    except IntegrityError:  # made meanwhile by another process
        return User.objects.get(system_role=role)
    return user


@transaction.atomic
def preferences_update(
    *, actor: User, user: User, view_adult: bool, hide_warnings: bool, hide_freeform: bool
) -> User:
    """Set a user's reader preferences."""
    if not _may_manage(actor, user):
        raise PermissionDenied(_("You can only change your own preferences."))
    user.view_adult = view_adult
    user.hide_warnings = hide_warnings
    user.hide_freeform = hide_freeform
    user.save(update_fields=["view_adult", "hide_warnings", "hide_freeform"])
    return user


@transaction.atomic
def language_update(*, actor: User, user: User, language: str) -> User:
    """Set a user's interface language: a code of ``settings.LANGUAGES``, or "" to follow
    the language cookie or the browser (Django's ``LocaleMiddleware``). ValidationError for
    any other code; PermissionDenied for someone else's account."""
    if not _may_manage(actor, user):
        raise PermissionDenied(_("You can only change your own preferences."))
    if language and language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": _("Choose one of the languages offered.")})
    user.language = language
    user.save(update_fields=["language"])
    return user


@transaction.atomic
def profile_update(*, actor: User, user: User, profile: str) -> User:
    """Set the "about me" text of a profile (shown as plain text with line breaks)."""
    if not _may_manage(actor, user):
        raise PermissionDenied(_("You can only edit your own profile."))
    if len(profile) > 2000:
        raise ValidationError({"profile": _("The profile can be at most 2,000 characters.")})
    user.profile = profile.strip()
    user.save(update_fields=["profile"])
    return user


def _clean_pseud_name(name: str, *, user: User, exclude: Pseud | None = None) -> str:
    name = name_tidy(name)
    try:
        pseud_name_validator(name)
    except ValidationError as exc:
        raise ValidationError({"name": exc.messages})
    if name.lower() in RESERVED_PSEUD_NAMES:
        raise ValidationError(
            {"name": _("A pseud cannot be called %(name)s.") % {"name": repr(name)}}
        )
    clash = Pseud.objects.filter(user=user, name__iexact=name)
    if exclude is not None:
        clash = clash.exclude(pk=exclude.pk)
    if clash.exists():
        raise ValidationError(
            {"name": _("You already have a pseud called %(name)s.") % {"name": repr(name)}}
        )
    return name


def _clean_description(description: str) -> str:
    description = description.strip()
    if len(description) > PSEUD_DESCRIPTION_MAX:
        raise ValidationError(
            {
                "description": _("A pseud description can be at most %(count)d characters.")
                % {"count": PSEUD_DESCRIPTION_MAX}
            }
        )
    return description


def _make_default(pseud: Pseud) -> None:
    # Only called for pseuds that belong to a user, so user_id is set.
    Pseud.objects.filter(user_id=pseud.user_id, is_default=True).exclude(  # type: ignore[misc]
        pk=pseud.pk
    ).update(is_default=False)
    if not pseud.is_default:
        pseud.is_default = True
        pseud.save(update_fields=["is_default"])


@transaction.atomic
def pseud_create(
    *, actor: User, user: User, name: str, description: str = "", is_default: bool = False
) -> Pseud:
    """Add a pseud (another name to post under) to a user."""
    if not _may_manage(actor, user):
        raise PermissionDenied(_("You can only add pseuds to your own account."))
    name = _clean_pseud_name(name, user=user)
    description = _clean_description(description)
    pseud = Pseud.objects.create(user=user, name=name, description=description)
    if is_default:
        _make_default(pseud)
    return pseud


@transaction.atomic
def pseud_update(
    *, actor: User, pseud: Pseud, name: str, description: str = "", is_default: bool = False
) -> Pseud:
    """Rename a pseud, change its description, or make it the default. The default pseud
    stops being the default only when another pseud is made default. A renamed pseud's
    works are re-indexed, so search finds them by the new name."""
    if pseud.user is None or not _may_manage(actor, pseud.user):
        raise PermissionDenied(_("You can only edit your own pseuds."))
    renamed = _clean_pseud_name(name, user=pseud.user, exclude=pseud)
    was = pseud.name
    pseud.name = renamed
    pseud.description = _clean_description(description)
    pseud.save(update_fields=["name", "description"])
    if is_default:
        _make_default(pseud)
    if renamed != was:  # the works' search text and creator sort hold the pseud's name
        changes.works_changed(pseud.creatorships.values_list("work_id", flat=True))
        changes.pseuds_renamed([pseud.pk])
    return pseud


def pseuds_admin_saved(*, actor: Viewer, pseuds: Iterable[Pseud]) -> None:
    """An admin has just edited accounts or pseuds in the Django admin (names included):
    the works credited to these pseuds carry the names in their search text and creator
    sort, so re-index them. PermissionDenied unless the actor is an admin."""
    if not is_admin(actor):
        raise PermissionDenied("Only admins can edit accounts in the admin.")
    work_ids = Pseud.objects.filter(pk__in=[p.pk for p in pseuds]).values_list(
        "creatorships__work_id", flat=True
    )
    changes.works_changed(i for i in work_ids if i is not None)


@transaction.atomic
def pseud_delete(*, actor: User, pseud: Pseud) -> None:
    """Delete a pseud that has no works. Its bookmarks and comments move to the default
    pseud, so nothing the user wrote is lost. The default pseud cannot be deleted."""
    if pseud.user is None or not _may_manage(actor, pseud.user):
        raise PermissionDenied(_("You can only delete your own pseuds."))
    if pseud.is_default:
        raise ValidationError(
            _("You cannot delete your default pseud; make another pseud the default first.")
        )
    if pseud.creatorships.exists():
        raise ValidationError(
            _("The pseud %(name)s has works; it cannot be deleted.") % {"name": repr(pseud.name)}
        )
    changes.pseud_merged(pseud.pk, pseud.user.default_pseud().pk)
    pseud.delete()


# --- Claiming imported authors (Open Doors) -------------------------------------------------

CLAIM_SALT = "ficarchive.accounts.pseud-claim"
CLAIM_MAX_AGE = timedelta(days=3)
# One claim email per imported author in this window, so the form cannot flood an inbox.
CLAIM_RESEND_AFTER = timedelta(minutes=10)


def pseud_unclaimed(*, name: str, email: str = "", description: str = "") -> Pseud:
    """The unclaimed pseud (no account) of an imported author: found by name and claim
    email, made when new. ``name`` keeps its letters in every script ("Élodie", "美咲";
    "Zoë" and "Zoé" stay two people), in NFC; characters pseud names cannot hold are
    dropped, the name is cut to 40 characters, and an empty name becomes "imported
    author" (never "Anonymous", which names anonymous works); ``description`` (HTML,
    sanitized here) is set only on a pseud that has none yet. The importers call this; a
    claim by email later hands the pseud to an account (``pseud_claim_confirm``)."""
    name = regex.sub(r"[^\p{L}\p{M}\p{N}_ .\-\u200c-\u200f\u2060]", "", name_repair(name))
    name = name_tidy(regex.sub(r"^[^\p{L}\p{N}_]+", "", name))[:40].strip()
    if not name or name.casefold() == "anonymous":
        name = f"{name} author".strip() if name else "imported author"
    pseud = Pseud.objects.filter(user__isnull=True, name=name, claim_email=email).first()
    if pseud is None:
        pseud = Pseud.objects.create(user=None, name=name, claim_email=email)
    if description and not pseud.description:
        pseud.description = sanitize_html(description)
        pseud.save(update_fields=["description"])
    return pseud


def _claim_signer() -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=CLAIM_SALT)


def pseud_claim_token(*, pseud: Pseud, user: User) -> str:
    """A signed link token naming the imported pseud, the account that asked to claim it and
    the address it was sent to (so a changed address voids older links)."""
    return _claim_signer().sign_object(
        {"p": pseud.pk, "u": user.pk, "e": pseud.claim_email.lower()}
    )


@transaction.atomic
def pseud_claim_request(*, actor: User, pseud: Pseud) -> None:
    """Ask to claim an imported author's works: email a one-time link, valid for three
    days, to the address the imported archive had for that author. Opening it while
    logged in as the actor attaches the pseud to the actor's account. The address itself
    is never shown to the actor."""
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied(_("Log in to claim works."))
    locked = Pseud.objects.select_for_update().filter(pk=pseud.pk).first()
    if locked is None:
        raise ValidationError(_("No such author."))
    if locked.user_id is not None:
        raise ValidationError(_("These works have already been claimed."))
    if not locked.claim_email:
        raise ValidationError(
            _(
                "The imported archive left no email address for this author, so these works "
                "can only be claimed through the archive's administrators."
            )
        )
    target = f"pseud {locked.pk}"
    recent = AuditLog.objects.filter(
        action="pseud.claim_request",
        target=target,
        created_at__gte=timezone.now() - CLAIM_RESEND_AFTER,
    )
    if recent.exists():
        raise ValidationError(
            _("A claim link for this author was sent a few minutes ago; please check that inbox.")
        )
    token = pseud_claim_token(pseud=locked, user=actor)
    context = {
        "pseud": locked,
        "claimer": actor,
        "link": settings.SITE_URL + reverse("accounts:pseud_claim_confirm", args=[token]),
        "site_name": settings.SITE_NAME,
        "days": CLAIM_MAX_AGE.days,
    }
    subject = render_to_string("accounts/claim_email_subject.txt", context).strip()
    body = render_to_string("accounts/claim_email.txt", context)
    audit_record(
        actor=actor, action="pseud.claim_request", target=target, detail={"pseud": locked.name}
    )
    # Sent last, so a failure to send rolls the log entry back and the user may retry.
    send_mail(subject, body, None, [locked.claim_email])


def _claim_payload(token: str) -> dict:
    try:
        payload = _claim_signer().unsign_object(token, max_age=CLAIM_MAX_AGE)
    except signing.SignatureExpired:
        raise ValidationError(
            _("This claim link has expired; ask for a new one from the author's page.")
        )
    except signing.BadSignature:
        raise ValidationError(_("This claim link is not valid."))
    if not isinstance(payload, dict) or not {"p", "u", "e"} <= payload.keys():
        raise ValidationError(_("This claim link is not valid."))
    return payload


def pseud_claim_preview(*, actor: User, token: str) -> Pseud:
    """The unclaimed pseud a claim link is for, checked as pseud_claim_confirm checks it
    (so the confirmation page says what will happen), without changing anything."""
    payload = _claim_payload(token)
    if not getattr(actor, "is_authenticated", False) or payload["u"] != actor.pk:
        raise PermissionDenied(
            _("This claim link was sent for another account; log in as that account to use it.")
        )
    pseud = Pseud.objects.filter(pk=payload["p"]).first()
    if pseud is None:
        raise ValidationError(_("This claim link is not valid."))
    if pseud.user_id is not None:
        raise ValidationError(_("These works have already been claimed."))
    if pseud.claim_email.lower() != payload["e"]:
        raise ValidationError(_("This claim link is no longer valid."))
    return pseud


@transaction.atomic
def pseud_claim_confirm(*, actor: User, token: str) -> Pseud:
    """Claim an imported author with the link emailed by pseud_claim_request. The link
    works once (the pseud is claimed after), for three days, and only for the account that
    asked. The imported pseud joins the account; when the account already has a pseud of
    that name (any case), the imported works, comments and description move to that pseud
    and the imported one goes (one name, one pseud, as readers expect). Returns the pseud
    the works are now under. Logged in the audit log."""
    pseud = pseud_claim_preview(actor=actor, token=token)
    pseud = Pseud.objects.select_for_update().get(pk=pseud.pk)
    imported_id = pseud.pk
    if pseud.user_id is not None:  # claimed between the check and the lock
        raise ValidationError(_("These works have already been claimed."))
    work_ids = list(pseud.creatorships.values_list("work_id", flat=True))
    existing = Pseud.objects.filter(user=actor, name__iexact=pseud.name).first()
    # The works and comments are other apps' rows: they follow through core.changes.
    if existing is None:
        pseud.user = actor
        pseud.is_default = False
        pseud.save(update_fields=["user", "is_default"])
        changes.pseuds_claimed([pseud.pk])
        result = pseud
    else:
        changes.pseud_merged(pseud.pk, existing.pk)
        if pseud.description and not existing.description:
            existing.description = pseud.description
            existing.save(update_fields=["description"])
        pseud.delete()
        result = existing
    audit_record(
        actor=actor,
        action="pseud.claim",
        target=f"pseud {result.pk}",
        detail={
            "imported_pseud": imported_id,
            "name": result.name,
            "user": actor.username,
            "merged": existing is not None,
            "works": sorted(work_ids),
        },
    )
    return result
