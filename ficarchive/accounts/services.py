"""Writes to accounts and pseuds. The sign-up form, the command line and the API all
create users and pseuds through these functions."""

from __future__ import annotations

import re

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from ficarchive.core.errors import PermissionDenied

from .models import ORPHAN_ACCOUNT, Pseud, User, pseud_name_validator, username_validator

# Names that would shadow a page or impersonate the archive.
RESERVED_USERNAMES = {ORPHAN_ACCOUNT, "admin", "administrator", "anonymous", "guest", "support", "staff"}
# "/users/NAME/pseuds/new" is the form for a new pseud, so no pseud may be called that.
RESERVED_PSEUD_NAMES = {"new"}
PSEUD_DESCRIPTION_MAX = 500


def _may_manage(actor: User, owner: User) -> bool:
    return actor.is_authenticated and (actor.pk == owner.pk or actor.is_superuser)


def _check_username(username: str, *, allow_reserved: bool) -> str:
    username = username.strip()
    username_validator(username)
    if not allow_reserved and username.lower() in RESERVED_USERNAMES:
        raise ValidationError({"username": f"The user name {username!r} is reserved."})
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": f"The user name {username!r} is already taken."})
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
            raise ValidationError({"email": f"{email!r} is not a valid email address."})
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


@transaction.atomic
def preferences_update(
    *, actor: User, user: User, view_adult: bool, hide_warnings: bool, hide_freeform: bool
) -> User:
    """Set a user's reader preferences."""
    if not _may_manage(actor, user):
        raise PermissionDenied("You can only change your own preferences.")
    user.view_adult = view_adult
    user.hide_warnings = hide_warnings
    user.hide_freeform = hide_freeform
    user.save(update_fields=["view_adult", "hide_warnings", "hide_freeform"])
    return user


@transaction.atomic
def profile_update(*, actor: User, user: User, profile: str) -> User:
    """Set the "about me" text of a profile (shown as plain text with line breaks)."""
    if not _may_manage(actor, user):
        raise PermissionDenied("You can only edit your own profile.")
    if len(profile) > 2000:
        raise ValidationError({"profile": "The profile can be at most 2,000 characters."})
    user.profile = profile.strip()
    user.save(update_fields=["profile"])
    return user


def _clean_pseud_name(name: str, *, user: User, exclude: Pseud | None = None) -> str:
    name = re.sub(r"\s+", " ", name).strip()
    try:
        pseud_name_validator(name)
    except ValidationError as exc:
        raise ValidationError({"name": exc.messages})
    if name.lower() in RESERVED_PSEUD_NAMES:
        raise ValidationError({"name": f"A pseud cannot be called {name!r}."})
    clash = Pseud.objects.filter(user=user, name__iexact=name)
    if exclude is not None:
        clash = clash.exclude(pk=exclude.pk)
    if clash.exists():
        raise ValidationError({"name": f"You already have a pseud called {name!r}."})
    return name


def _clean_description(description: str) -> str:
    description = description.strip()
    if len(description) > PSEUD_DESCRIPTION_MAX:
        raise ValidationError(
            {"description": f"A pseud description can be at most {PSEUD_DESCRIPTION_MAX} characters."}
        )
    return description


def _make_default(pseud: Pseud) -> None:
    Pseud.objects.filter(user_id=pseud.user_id, is_default=True).exclude(pk=pseud.pk).update(is_default=False)
    if not pseud.is_default:
        pseud.is_default = True
        pseud.save(update_fields=["is_default"])


@transaction.atomic
def pseud_create(
    *, actor: User, user: User, name: str, description: str = "", is_default: bool = False
) -> Pseud:
    """Add a pseud (another name to post under) to a user."""
    if not _may_manage(actor, user):
        raise PermissionDenied("You can only add pseuds to your own account.")
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
    stops being the default only when another pseud is made default."""
    if pseud.user is None or not _may_manage(actor, pseud.user):
        raise PermissionDenied("You can only edit your own pseuds.")
    pseud.name = _clean_pseud_name(name, user=pseud.user, exclude=pseud)
    pseud.description = _clean_description(description)
    pseud.save(update_fields=["name", "description"])
    if is_default:
        _make_default(pseud)
    return pseud


@transaction.atomic
def pseud_delete(*, actor: User, pseud: Pseud) -> None:
    """Delete a pseud that has no works. Its bookmarks and comments move to the default
    pseud, so nothing the user wrote is lost. The default pseud cannot be deleted."""
    from ficarchive.feedback.models import Bookmark, Comment

    if pseud.user is None or not _may_manage(actor, pseud.user):
        raise PermissionDenied("You can only delete your own pseuds.")
    if pseud.is_default:
        raise ValidationError("You cannot delete your default pseud; make another pseud the default first.")
    if pseud.creatorships.exists():
        raise ValidationError(f"The pseud {pseud.name!r} has works; it cannot be deleted.")
    default = pseud.user.default_pseud()
    Bookmark.objects.filter(pseud=pseud).update(pseud=default)
    Comment.objects.filter(pseud=pseud).update(pseud=default)
    pseud.delete()
