"""Reads of the site app: the settings row, the terms' version, invitations left, the
queue, site pages and admin posts."""

from __future__ import annotations

from django.core.cache import cache
from django.db.models import QuerySet

from ficarchive.accounts.models import User

from .models import AdminPost, Invitation, InviteRequest, PageSlug, SitePage, SiteSettings

TOS_CACHE_KEY = "site:tos_version"


def site_settings() -> SiteSettings:
    """The archive's settings row, made with the defaults on first use (sign-up mode
    ``confirm``)."""
    row, _created = SiteSettings.objects.get_or_create(pk=1)
    return row


def tos_version() -> int:
    """The version of the terms of service users must have accepted: the last major
    version of the ``tos`` page; 0 while the archive has written none. Cached (every page
    of a signed-in user asks); ``pages.page_save`` forgets it."""
    version = cache.get(TOS_CACHE_KEY)
    if version is None:
        page = SitePage.objects.filter(slug=PageSlug.TOS).first()
        version = 0
        if page is not None:
            last = page.versions.filter(major=True).order_by("-version").first()
            version = last.version if last else 0
        cache.set(TOS_CACHE_KEY, version, 300)
    return int(version)


def invitations_left(user: User) -> int:
    """How many invitations a user may still make: ``SiteSettings.user_invitations`` less
    those already made."""
    allowance = site_settings().user_invitations
    made = Invitation.objects.filter(creator=user).count()
    return max(0, allowance - made)


def invitations_of(user: User) -> QuerySet[Invitation]:
    """The invitations a user made, newest first, with who used them."""
    return Invitation.objects.filter(creator=user).select_related("used_by")


def queue_position(request: InviteRequest) -> int:
    """A request's place in the queue (1 = next); 0 once it has been sent an invitation."""
    if request.invitation_id is not None:
        return 0
    return (
        InviteRequest.objects.filter(invitation__isnull=True, created_at__lt=request.created_at)
        .exclude(pk=request.pk)
        .count()
        + 1
    )


def queue_length() -> int:
    """How many people wait for an invitation."""
    return InviteRequest.objects.filter(invitation__isnull=True).count()


def invite_request_for(email: str) -> InviteRequest | None:
    return InviteRequest.objects.filter(email__iexact=(email or "").strip()).first()


def page_get(slug: str) -> SitePage | None:
    """A site page, or None while the admins have not written it."""
    return SitePage.objects.filter(slug=slug).first()


def admin_posts(limit: int | None = None) -> QuerySet[AdminPost]:
    """Published admin posts, newest first."""
    from django.utils import timezone

    qs = AdminPost.objects.filter(published_at__lte=timezone.now()).select_related("author")
    return qs[:limit] if limit else qs
