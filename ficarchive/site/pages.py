"""Writes of site pages (terms of service, content policy, privacy policy, FAQ) with their
history, admin posts and their comments, and the site banner. Author HTML goes through
``core.html``'s sanitizer on the way in."""

from __future__ import annotations

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ficarchive.accounts.models import User
from ficarchive.accounts.selectors import account_of
from ficarchive.accounts.standing import write_refusal
from ficarchive.core.audit import audit_record
from ficarchive.core.errors import PermissionDenied
from ficarchive.core.html import sanitize_comment_html, sanitize_html
from ficarchive.core.viewers import Viewer, is_admin

from .models import AdminPost, AdminPostComment, PageSlug, SitePage, SitePageVersion
from .selectors import TOS_CACHE_KEY, site_settings

COMMENT_MAX = 10_000


def _require_admin(actor: Viewer) -> None:
    if not is_admin(actor):
        raise PermissionDenied(_("Only admins edit the site's pages."))


@transaction.atomic
def page_save(*, actor: Viewer, slug: str, title: str, body: str, major: bool = True) -> SitePage:
    """Write a new version of a site page (kept in its history). For the terms of service,
    a ``major`` version makes every user accept them again on their next visit; a minor one
    (typo fixes) does not."""
    _require_admin(actor)
    if slug not in PageSlug.values:
        raise ValidationError({"slug": [f"Choose one of {', '.join(PageSlug.values)}."]})
    title = " ".join((title or "").split()) or str(PageSlug(slug).label)
    clean = sanitize_html(body or "")
    if not clean.strip():
        raise ValidationError({"body": [_("Write the page.")]})
    page = SitePage.objects.select_for_update().filter(slug=slug).first()
    if page is None:
        page = SitePage.objects.create(slug=slug, title=title, body=clean, version=1)
    else:
        page.title, page.body, page.version = title, clean, page.version + 1
        page.save(update_fields=["title", "body", "version", "updated_at"])
    SitePageVersion.objects.create(
        page=page,
        version=page.version,
        title=title,
        body=clean,
        major=major or page.version == 1,
        editor=account_of(actor),
    )
    audit_record(
        actor=actor,
        action="site_page.save",
        target=slug,
        detail={"version": page.version, "major": major},
    )
    transaction.on_commit(lambda: cache.delete(TOS_CACHE_KEY))
    cache.delete(TOS_CACHE_KEY)
    return page


@transaction.atomic
def admin_post_save(
    *,
    actor: Viewer,
    title: str,
    body: str,
    post: AdminPost | None = None,
    comments_allowed: bool = True,
) -> AdminPost:
    """Publish an admin post (news), or edit one."""
    _require_admin(actor)
    title = " ".join((title or "").split())
    clean = sanitize_html(body or "")
    errors = {}
    if not title:
        errors["title"] = [_("Give the post a title.")]
    if not clean.strip():
        errors["body"] = [_("Write the post.")]
    if errors:
        raise ValidationError(errors)
    if post is None:
        post = AdminPost.objects.create(
            title=title[:200],
            body=clean,
            author=account_of(actor),
            comments_allowed=comments_allowed,
            published_at=timezone.now(),
        )
    else:
        post.title, post.body, post.comments_allowed = title[:200], clean, comments_allowed
        post.save(update_fields=["title", "body", "comments_allowed", "updated_at"])
    audit_record(actor=actor, action="admin_post.save", target=f"admin post {post.pk}")
    return post


@transaction.atomic
def admin_post_comment(*, actor: Viewer, post: AdminPost, body: str) -> AdminPostComment:
    """A signed-in user comments on an admin post (where the post allows it)."""
    account = account_of(actor)
    if account is None or not isinstance(account, User):
        raise PermissionDenied(_("Log in to comment on news posts."))
    refusal = write_refusal(account)
    if refusal:
        raise PermissionDenied(refusal)
    if not post.comments_allowed:
        raise PermissionDenied(_("Comments are closed on this post."))
    text = (body or "").strip()
    if not text or len(text) > COMMENT_MAX:
        raise ValidationError(
            {
                "body": [
                    _("Write a comment of at most %(max)s characters.")
                    % {"max": f"{COMMENT_MAX:,}"}
                ]
            }
        )
    clean = sanitize_comment_html(text)
    return AdminPostComment.objects.create(post=post, user=account, body=clean)


@transaction.atomic
def admin_post_comment_hide(*, actor: Viewer, comment: AdminPostComment, hidden: bool) -> None:
    """An admin hides (or shows again) a comment on an admin post."""
    _require_admin(actor)
    comment.hidden = hidden
    comment.save(update_fields=["hidden"])
    audit_record(
        actor=actor,
        action="admin_post.comment_hide" if hidden else "admin_post.comment_show",
        target=f"admin post comment {comment.pk}",
    )


@transaction.atomic
def banner_set(*, actor: Viewer, text: str) -> None:
    """Set the site banner (empty: none). Readers who dismissed the old one see the new."""
    _require_admin(actor)
    row = site_settings()
    row.banner = sanitize_html(text or "")
    row.banner_version += 1
    row.save(update_fields=["banner", "banner_version"])
    cache.delete("site:banner")
    transaction.on_commit(lambda: cache.delete("site:banner"))
    audit_record(actor=actor, action="banner.set", target="site")
