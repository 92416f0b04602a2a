"""``{% cached_blurb work %}``: a work's blurb (``works/_blurb.html``), rendered once per
work version and viewer class and then taken from the cache (``discovery.cache``)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from ficarchive.core.viewers import is_admin
from ficarchive.works import access

from ..cache import BLURB_SECONDS, cache_get, cache_set, uncommitted

register = template.Library()
BLURB_TEMPLATE = "works/_blurb.html"
# The reader's own part of a blurb (read state, a form with the session's CSRF token) is
# drawn for each request and put where the cached blurb holds this marker.
VIEWER_TEMPLATE = "works/_blurb_viewer.html"
VIEWER_MARKER = "<!--ficarchive:blurb-viewer-part-->"


def viewer_class(work: Any, user: Any) -> str | None:
    """Who sees this blurb alike, or None when it must be drawn for this viewer alone.

    Guests and signed-in readers see the same byline and badges; admins see anonymous
    creators' names (``access.creators_of``); a creator sees their own names. A reader's
    preferences hide warnings or additional tags. A work in a series is drawn every time:
    whether its series shows depends on the series' other works (``access.series_shown``),
    which no notice about this work reports."""
    if list(work.serial_works.all()):
        return None
    if is_admin(user):
        return "admin"
    signed_in = bool(getattr(user, "is_authenticated", False))
    if signed_in and access.is_creator(user, work):
        return None
    hide_warnings = signed_in and bool(getattr(user, "hide_warnings", False))
    hide_freeform = signed_in and bool(getattr(user, "hide_freeform", False))
    return f"reader.{int(hide_warnings)}{int(hide_freeform)}"


@register.simple_tag(takes_context=True)
def cached_blurb(context: template.Context, work: Any) -> SafeString:
    """The blurb of ``work`` for ``context["user"]``; cached under ``work.blurb_version``
    (set by ``search.search_works``) and the hit count (hits send no notice), else drawn."""
    blurb = context.template.engine.get_template(BLURB_TEMPLATE)  # type: ignore[union-attr]
    version = getattr(work, "blurb_version", None)
    kind = viewer_class(work, context.get("user")) if version else None
    if kind is None:
        with context.push(work=work):
            return mark_safe(blurb.render(context))  # noqa: S308 - a rendered template
    # The blurb shows its date in the reader's time zone, and its labels in the interface
    # language (issue 18).
    key = (
        f"blurb:{version}.{work.hit_count}.{kind}."
        f"{timezone.get_current_timezone_name()}.{get_language()}"
    )
    html = cache_get(key)
    if not isinstance(html, str):
        with context.push(work=work, blurb_viewer_marker=VIEWER_MARKER):
            html = str(blurb.render(context))
        if not uncommitted():
            cache_set(key, html, BLURB_SECONDS)
    viewer = context.template.engine.get_template(VIEWER_TEMPLATE)  # type: ignore[union-attr]
    with context.push(work=work):
        own = str(viewer.render(context))
    # Stored from the template's own output; ``own`` is the template's output too.
    return mark_safe(html.replace(VIEWER_MARKER, own, 1))  # noqa: S308
