"""Who is looking: the one definition of a viewer and of the roles the privacy rule knows.

A ``Viewer`` is one of:

- ``None`` or Django's ``AnonymousUser``: a guest;
- an account (``accounts.User``; typed here as Django's ``AbstractUser`` so that ``core``,
  the lowest layer, imports no domain app);
- ``OPERATOR``: the archive's operator at the command line (``ficarchive search``,
  ``import``, ``tag``, ``reindex``), who sees every posted work and no one's drafts.

Every other module asks these functions, never ``is_superuser or is_staff`` inline.
"""

from __future__ import annotations

from typing import TypeAlias

from django.conf import settings
from django.contrib.auth.models import AbstractUser, AnonymousUser
from django.http import HttpRequest


class Operator:
    """The archive's operator at the command line. Not an account: it owns nothing, has no
    drafts, and is never written to the database (``pk`` is None)."""

    is_authenticated = True
    is_anonymous = False
    is_superuser = True
    is_staff = True
    is_admin = True
    is_wrangler = True
    pk = None
    id = None
    username = "(operator)"

    def __repr__(self) -> str:
        return "OPERATOR"


OPERATOR = Operator()

Viewer: TypeAlias = "AbstractUser | AnonymousUser | Operator | None"


def is_operator(viewer: object) -> bool:
    """True for the command-line operator."""
    return viewer is OPERATOR


def is_user(viewer: object) -> bool:
    """True for a signed-in account (not a guest, not the operator)."""
    return (
        viewer is not None
        and viewer is not OPERATOR
        and bool(getattr(viewer, "is_authenticated", False))
    )


def is_admin(viewer: object) -> bool:
    """True for an archive administrator (staff or superuser account) and for the operator.

    This is the one definition of "admin" (AO3's admins: they see works an admin hid and the
    creators of anonymous works, never other people's drafts)."""
    if viewer is OPERATOR:
        return True
    return is_user(viewer) and bool(
        getattr(viewer, "is_superuser", False) or getattr(viewer, "is_staff", False)
    )


def is_wrangler(viewer: object) -> bool:
    """True for a tag wrangler, an admin or the operator."""
    return is_admin(viewer) or (is_user(viewer) and bool(getattr(viewer, "is_wrangler", False)))


def user_or_none(viewer: object) -> AbstractUser | None:
    """The viewer's account, or None for a guest and the operator (for ``user_id`` filters)."""
    return viewer if is_user(viewer) else None  # type: ignore[return-value]


def request_is_anonymous(request: HttpRequest) -> bool:
    """A GET or HEAD by a guest with nothing personal attached: no session or messages
    cookie, no ``Authorization`` header, not signed in. Only such a request may be answered
    from, or stored in, a cache of pages shared by every guest."""
    if request.method not in {"GET", "HEAD"}:
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES or "messages" in request.COOKIES:
        return False
    if "Authorization" in request.headers:
        return False
    user = getattr(request, "user", None)
    return user is None or not user.is_authenticated
