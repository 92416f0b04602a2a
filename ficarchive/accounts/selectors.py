"""Reads of accounts and pseuds."""

from __future__ import annotations

from typing import cast

from django.db.models import QuerySet

from ficarchive.core.errors import NotFound
from ficarchive.core.viewers import Viewer, is_user

from .models import Pseud, User


def account_of(viewer: Viewer) -> User | None:
    """The viewer's account typed as ``accounts.User``, or None for a guest and the
    operator: ``core.viewers.user_or_none`` for the apps that may import accounts (every
    account is a User, the AUTH_USER_MODEL)."""
    return cast(User, viewer) if is_user(viewer) else None


def user_get(username: str) -> User:
    """The active user with this name, else NotFound."""
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise NotFound("No such user.")
    return user


def user_get_own(username: str, viewer: Viewer) -> User:
    """The user, when the viewer is that user; NotFound otherwise (so private pages such as
    preferences and the inbox do not confirm anything to others)."""
    user = user_get(username)
    if not is_user(viewer) or viewer.pk != user.pk:
        raise NotFound("No such page.")
    return user


def pseuds_of(user: User) -> QuerySet[Pseud]:
    """A user's pseuds, the default first (``works.selectors.pseuds_with_work_counts`` adds
    the number of works each viewer may see)."""
    return Pseud.objects.filter(user=user).order_by("-is_default", "name")


def pseud_get(username: str, pseud_name: str) -> Pseud:
    pseud = (
        Pseud.objects.select_related("user")
        .filter(user__username=username, user__is_active=True, name=pseud_name)
        .first()
    )
    if pseud is None:
        raise NotFound("No such pseud.")
    return pseud


def user_canonical_name(username: str) -> str | None:
    """The exact spelling of an active user's name given in any case (user names are unique
    regardless of case), or the account's new name when ``username`` is a name it had until
    recently (``standing.previous_name_owner``), or None."""
    from .standing import previous_name_owner

    found = (
        User.objects.filter(username__iexact=username, is_active=True)
        .values_list("username", flat=True)
        .first()
    )
    if found is None:
        renamed = previous_name_owner(username)
        found = renamed.username if renamed is not None else None
    return found


def pseud_unclaimed_or_claimed(pseud_id: int) -> tuple[Pseud | None, Pseud | None]:
    """For an imported author's address /pseuds/ID: (the unclaimed pseud, None), or (None,
    the pseud its works are under now) once claimed, even when the claim merged it into a
    pseud of the same name; (None, None) when there is no such author."""
    from ficarchive.core.audit import AuditLog

    pseud = Pseud.objects.select_related("user").filter(pk=pseud_id).first()
    if pseud is not None:
        return (pseud, None) if pseud.user_id is None else (None, pseud)
    entry = AuditLog.objects.filter(action="pseud.claim", detail__imported_pseud=pseud_id).first()
    if entry is None:
        return None, None
    target = entry.target.removeprefix("pseud ")
    merged = (
        Pseud.objects.select_related("user").filter(pk=int(target)).first()
        if target.isdigit()
        else None
    )
    return None, merged
