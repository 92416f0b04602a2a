"""Spam handling for guest comments: a honeypot field and a moderation queue.

A guest comment that fills the honeypot is refused without a word (the bot is told it
awaits review; nothing is stored). Other guest comments are held as "pending" when the
archive moderates guest comments (FICARCHIVE_MODERATE_GUEST_COMMENTS, on by default) or
when they carry links (the mark of most comment spam), and only the work's creators see
them, with Approve / Mark as spam, until one of them approves. Pending and spam comments
do not count in Work.comment_count and notify no one."""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings

from ficarchive.core.viewers import Viewer, is_admin
from ficarchive.works import access
from ficarchive.works.models import Work

from .models import Comment, CommentStatus

# The field's name is one a form-filling bot is glad to fill; people never see it.
HONEYPOT_FIELD = "homepage"
HONEYPOT_LABEL = "Leave this empty"

_LINK = re.compile(r"(?i)(https?://|www\.|<a\s|\[url)")


def honeypot_filled(data: Any) -> bool:
    """True when a submitted form has something in the honeypot field."""
    value = data.get(HONEYPOT_FIELD, "") if data is not None else ""
    return bool(str(value).strip())


def moderating_guest_comments() -> bool:
    return bool(getattr(settings, "FICARCHIVE_MODERATE_GUEST_COMMENTS", True))


def has_links(body: str) -> bool:
    return bool(_LINK.search(body or ""))


def guest_comment_status(body: str) -> str:
    """The status a new guest comment is stored with."""
    if moderating_guest_comments() or has_links(body):
        return CommentStatus.PENDING
    return CommentStatus.PUBLISHED


def may_moderate(actor: Viewer, work: Work) -> bool:
    """The work's creators moderate its comments, and so do admins (the site-wide queue in
    the Django admin)."""
    return is_admin(actor) or access.is_creator(actor, work)


def pending_comments(work: Work, viewer: Viewer) -> list[Comment]:
    """The work's comments awaiting moderation, oldest first: for its creators only (admins
    moderate across works from the admin's comment list instead)."""
    if not access.is_creator(viewer, work):
        return []
    return list(
        Comment.objects.filter(work=work, status=CommentStatus.PENDING, deleted=False)
        .select_related("chapter")
        .order_by("created_at", "id")
    )
