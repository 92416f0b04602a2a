"""``{% cached_blurb work %}``: a work's blurb (``works/_blurb.html``), rendered once per
work version and viewer class and then taken from the cache (``discovery.cache``)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from ficarchive.core.cache import cache_get, cache_set
from ficarchive.works import access

from ..blurbs import blurb_key, viewer_kind
from ..cache import BLURB_SECONDS, uncommitted

register = template.Library()
BLURB_TEMPLATE = "works/_blurb.html"
# The reader's own part of a blurb (read state, a form with the session's CSRF token) is
# drawn for each request and put where the cached blurb holds this marker.
VIEWER_TEMPLATE = "works/_blurb_viewer.html"
VIEWER_MARKER = "<!--ficarchive:blurb-viewer-part-->"
# The reader's own part is drawn once per request and read state for a stand-in work, then
# each work's id and title take the stand-in's places (a template render per blurb was
# most of a cached blurb's cost). Neither value can come from anything else on the part.
STAND_IN_PK = 2147483647
STAND_IN_TITLE = "ficarchive-blurb-title-stand-in"
_PARTS_ATTR = "_ficarchive_blurb_viewer_parts"
# A search result's matching text under its blurb (``discovery/_results.html`` drew it).
SNIPPET_HTML = '<li class="snippet" aria-label="{}"><p dir="auto">{}</p></li>'


@dataclass(frozen=True)
class _StandIn:
    pk: int
    title: str
    posted: bool
    read_state: Any


def viewer_class(work: Any, user: Any) -> str | None:
    """Who sees this blurb alike, or None when it must be drawn for this viewer alone
    (``blurbs.viewer_kind``, from the loaded work's series and creatorships)."""
    in_series = bool(list(work.serial_works.all()))
    return viewer_kind(user, in_series=in_series, own=access.is_creator(user, work))


def viewer_part(context: template.Context, work: Any) -> str:
    """The reader's own part of ``work``'s blurb, never cached beyond this request: drawn
    once per request, read state and published state for a stand-in, then given this
    work's id and title."""
    request = context.get("request")
    # Per request: the stand-in check of the address and the parts drawn (None: draw each).
    parts: Any = getattr(request, _PARTS_ATTR, False) if request is not None else None
    if parts is False:
        path = request.get_full_path()  # type: ignore[union-attr]
        parts = None if str(STAND_IN_PK) in path or STAND_IN_TITLE in path else {}
        setattr(request, _PARTS_ATTR, parts)
    if parts is None:
        viewer = context.template.engine.get_template(VIEWER_TEMPLATE)  # type: ignore[union-attr]
        with context.push(work=work):
            return str(viewer.render(context))
    state = getattr(work, "read_state", None)
    key = (state, bool(work.posted))
    part = parts.get(key)
    if part is None:
        viewer = context.template.engine.get_template(VIEWER_TEMPLATE)  # type: ignore[union-attr]
        stand_in = _StandIn(STAND_IN_PK, STAND_IN_TITLE, bool(work.posted), state)
        with context.push(work=stand_in):
            part = parts[key] = str(viewer.render(context))
    part = part.replace(str(STAND_IN_PK), str(work.pk))
    return part.replace(STAND_IN_TITLE, str(conditional_escape(work.title)))


@register.simple_tag(takes_context=True)
def cached_blurb(context: template.Context, work: Any) -> SafeString:
    """The blurb of ``work`` for ``context["user"]``; cached under ``work.blurb_version``
    (set by ``search.search_works``) and the hit count (hits send no notice), else drawn.
    A ``blurbs.CachedBlurbWork`` brings its blurb from the cache already."""
    html = getattr(work, "blurb_html", None)
    if not isinstance(html, str):
        blurb = context.template.engine.get_template(BLURB_TEMPLATE)  # type: ignore[union-attr]
        version = getattr(work, "blurb_version", None)
        kind = viewer_class(work, context.get("user")) if version else None
        if kind is None:
            with context.push(work=work):
                return mark_safe(blurb.render(context))  # noqa: S308 - a rendered template
        key = blurb_key(version, work.hit_count, kind)  # type: ignore[arg-type]
        html = cache_get(key)
        if not isinstance(html, str):
            with context.push(work=work, blurb_viewer_marker=VIEWER_MARKER):
                html = str(blurb.render(context))
            if not uncommitted():
                cache_set(key, html, BLURB_SECONDS)
    # Stored from the template's own output; the part is the template's output too.
    return mark_safe(html.replace(VIEWER_MARKER, viewer_part(context, work), 1))  # noqa: S308


@register.simple_tag(takes_context=True)
def cached_blurbs(context: template.Context, works: Iterable[Any]) -> SafeString:
    """Every work's ``cached_blurb``, each followed by its search snippet when it has one
    (``work.search_snippet``, escaped unless already safe), as one string: the same HTML
    as a template loop over ``cached_blurb``, whose per-work template overhead was a
    twentieth of a signed-in reader's listing."""
    parts: list[str] = []
    for work in works:
        parts.append(cached_blurb(context, work))
        snippet = getattr(work, "search_snippet", None)
        if snippet:
            parts.append(format_html(SNIPPET_HTML, gettext("Matching text"), snippet))
    return mark_safe("".join(parts))  # noqa: S308 - blurbs and format_html output
