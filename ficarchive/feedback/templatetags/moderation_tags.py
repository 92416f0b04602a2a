"""The work page's moderation queue: guest comments awaiting its creators' review."""

from __future__ import annotations

from typing import Any

from django import template

from .. import spam

register = template.Library()


@register.simple_tag(takes_context=True)
def pending_comments(context: template.Context, work: Any) -> list:
    """Comments on the work awaiting moderation, when the viewer is one of its creators."""
    request = context.get("request")
    viewer = getattr(request, "user", None) or context.get("user")
    return spam.pending_comments(work, viewer)
