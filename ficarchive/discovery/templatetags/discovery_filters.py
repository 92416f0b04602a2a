"""Small filters for the filter sidebar (``discovery/_filters.html``), and
``{% sidebar_cache %}``, which keeps its rendered HTML in the cache."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import template
from django.template.base import Parser, Token
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

from ficarchive.core.cache import cache_get, cache_set
from ficarchive.core.templatetags.fragments import source_digest

from ..cache import SIDEBAR_SECONDS, sidebar_key, uncommitted
from ..sorts import SORTS

register = template.Library()


@register.filter
def any_entry(entries: Iterable[Any], attribute: str) -> bool:
    """True when one of a facet's entries has ``attribute`` set (``"included"`` or
    ``"excluded"``): such a group opens by itself, as AO3 keeps a list in use expanded."""
    return any(getattr(entry, attribute, False) for entry in entries)


class SidebarCacheNode(template.Node):
    """Renders its contents once per key (``sidebar_key_for``) and then serves them from the
    cache; see ``sidebar_cache``."""

    def __init__(self, nodelist: template.NodeList, source: str) -> None:
        self.nodelist = nodelist
        self.source = source

    def render(self, context: template.Context) -> SafeString:
        key = sidebar_key_for(context, self.source)
        if not key:
            return self.nodelist.render(context)
        html = cache_get(key)
        if isinstance(html, str):
            return mark_safe(html)  # noqa: S308 - stored from this template's own output
        html = self.nodelist.render(context)
        # Inside a transaction the facets may yet be rolled back with their generation.
        if not uncommitted():
            cache_set(key, str(html), SIDEBAR_SECONDS)
        return html


def sidebar_key_for(context: template.Context, source: str) -> str:
    """The cache key of the sidebar drawn from ``context`` (``views.filter_context``), or ""
    when it must be drawn afresh: no facet key (caching off, nothing counted), or a
    context whose parts do not all come from the one result.

    What the cached part shows, and so the key: the facets with their counts (the facet
    key: generation, engine, the viewer's plan with listing rule, mutes and read-state
    sets, and the parameters), the ticked boxes and typed values (the parameters'
    canonical query string, also in the facet key), the interface language (labels, number
    formats), whether the viewer is signed in ("Your Reading"), the form's address
    (``filter_action``) and the template's own text (``source``)."""
    result = context.get("filters")
    facets = getattr(result, "facets_key", "")
    if (
        not facets
        or context.get("params") is not result.params
        or context.get("sorts") is not SORTS
    ):  # type: ignore[union-attr]
        return ""
    user = context.get("user")
    signed_in = "1" if getattr(user, "is_authenticated", False) else "0"
    return sidebar_key(
        facets,
        result.querystring,  # type: ignore[union-attr]
        translation.get_language() or "",
        signed_in,
        str(context.get("filter_action", "")),
        source,
    )


@register.tag
def sidebar_cache(parser: Parser, token: Token) -> SidebarCacheNode:
    """``{% sidebar_cache %}…{% endsidebar_cache %}``: the filter sidebar's form, rendered
    once per facet key, ticked boxes, language and sign-in state (``sidebar_key_for``) and
    served from the cache (``discovery.cache``) after that: its ~1,000 variables were half
    of a signed-in reader's /works. Keep everything personal beyond sign-in (the CSRF
    token, saved filters) outside the block. A change of the template's text changes the
    key, so a cache shared across a deploy (Redis) never serves the old markup."""
    nodelist = parser.parse(("endsidebar_cache",))
    parser.delete_first_token()
    return SidebarCacheNode(nodelist, source_digest(parser))
