"""The work page's feedback block gathers its own data, so the works views need not."""

from __future__ import annotations

from typing import Any

from django import template

from .. import selectors
from ..views import client_address

register = template.Library()


@register.simple_tag(takes_context=True)
def work_feedback(context: template.Context, work: Any, chapter: Any = None) -> dict[str, Any]:
    """Kudos, comment thread, comment form and bookmark state for the work page. The chapter
    shown is `chapter`, or the works page's `current` (None when the whole work is shown)."""
    request = context.get("request")
    if chapter is None or chapter == "":
        chapter = context.get("current")
    viewer = getattr(request, "user", None) or context.get("user")
    if not selectors.work_takes_feedback(work, viewer):
        return {"active": False}
    # One chapter shown of a multi-chapter work: that chapter's comments; else all of them.
    on_chapter = chapter if (chapter is not None and work.chapter_count > 1) else None
    return {
        "active": True,
        "thread": selectors.comment_thread(work, viewer, chapter=on_chapter),
        "chapter": on_chapter,
        "kudos": selectors.kudos_summary(work, viewer, client_address(request) if request else None),
        "bookmark": selectors.bookmark_of(work, viewer),
        "permission": selectors.comment_permission_for(work, viewer),
        "post_chapter": chapter,
        "pseuds": selectors.commenter_pseuds(viewer),
    }
