"""``{% fragment_cache NAME VALUE... %}…{% endfragment_cache %}``: a part of a page drawn
once per the values it shows and served from the cache after that.

Exact by construction rather than by invalidation: the key holds every value the fragment
shows (the ``VALUE`` arguments, which the template names next to the block), the interface
language, the template's own text and the process that drew it (so the code): a change of
any of them is a new key and nothing needs to be told. A fragment may hold the request's
CSRF token (the header's "Log Out" form): it is stored as a placeholder and every answer,
hit or miss, gets the request's own token, as ``works/page_cache.py`` does for a whole
page. Like Django's ``{% cache %}`` tag, but with the token handled, the language and
template text in the key, and a failing cache (Redis down) drawing the fragment instead
of failing the page.

Put in such a block only what the listed values and the language decide: never a message,
a per-request path, or anything read inside the block that is not named in its arguments.
"""

from __future__ import annotations

import hashlib
import logging
import os
import time

from django import template
from django.template.base import FilterExpression, Parser, Token
from django.utils import translation
from django.utils.functional import LazyObject, empty
from django.utils.safestring import SafeString, mark_safe

from ficarchive.core.cache import cache_get, cache_set

register = template.Library()
log = logging.getLogger(__name__)

FRAGMENT_SECONDS = 600
# In every key: a process never reads another's fragments, so after a deploy that changes
# an address (``{% url %}``) or a static file's hashed name without touching the template,
# no worker serves markup drawn by the old code from a shared cache (Redis). Each worker
# draws each fragment once more; that is all it costs.
PROCESS_TOKEN = f"{os.getpid()}.{time.time_ns()}"
# Stands in the stored HTML where the request's CSRF token was; cannot come from anything
# else on a page (a token is 64 letters and digits, this has dashes).
CSRF_MARK = "ficarchive-fragment-csrf-0c1e5b"


class FragmentCacheNode(template.Node):
    """Renders its contents once per key (``fragment_key``); see ``fragment_cache``."""

    def __init__(
        self,
        nodelist: template.NodeList,
        name: str,
        vary: list[FilterExpression],
        source: str,
        signed_in: bool = False,
    ) -> None:
        self.nodelist = nodelist
        self.name = name
        self.vary = vary
        self.source = source
        self.signed_in = signed_in

    def render(self, context: template.Context) -> SafeString:
        if self.signed_in and not getattr(context.get("user"), "is_authenticated", False):
            return self.nodelist.render(context)
        values = [expression.resolve(context) for expression in self.vary]
        key = fragment_key(self.name, self.source, values)
        html = cache_get(key)
        token = context.get("csrf_token")
        if isinstance(html, str):
            if CSRF_MARK in html:
                html = html.replace(CSRF_MARK, str(token))
            return mark_safe(html)  # noqa: S308 - stored from this template's own output
        html = str(self.nodelist.render(context))
        stored = html
        # Only a token this render asked for (a lazy one already evaluated): forcing one
        # would give a guest's page a CSRF cookie.
        if token is not None and getattr(token, "_wrapped", None) is not empty:
            value = str(token)
            if value and value in html:
                stored = html.replace(value, CSRF_MARK)
        cache_set(key, stored, FRAGMENT_SECONDS)
        return mark_safe(html)  # noqa: S308 - the template's own output


def fragment_key(name: str, source: str, values: list[object]) -> str:
    """The cache key of fragment ``name`` of the template whose text digests to ``source``,
    drawn with ``values`` in the active language, by this process (``PROCESS_TOKEN``)."""
    language = translation.get_language() or ""
    text = repr((PROCESS_TOKEN, name, source, language, [repr(_unwrapped(v)) for v in values]))
    return "core:fragment:" + hashlib.sha256(text.encode()).hexdigest()


def _unwrapped(value: object) -> object:
    """A lazy value (``inbox_unread``, ``user``) as what it stands for: an unevaluated
    one's repr names its function, not its value."""
    if isinstance(value, LazyObject):
        if value._wrapped is empty:  # type: ignore[attr-defined]
            value._setup()  # type: ignore[attr-defined]
        return value._wrapped  # type: ignore[attr-defined]
    return value


@register.tag
def fragment_cache(parser: Parser, token: Token) -> FragmentCacheNode:
    """``{% fragment_cache "name" [signed_in] value1 value2 … %}…{% endfragment_cache %}``:
    the block's HTML cached under ``name``, the values (any template expressions), the
    active language and the template's text (``FragmentCacheNode``). With ``signed_in``
    only a signed-in reader's is cached (a guest's is drawn each time). Raises
    TemplateSyntaxError without a name."""
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("fragment_cache needs a name")
    name = bits[1].strip("\"'")
    signed_in = bits[2:3] == ["signed_in"]
    vary = [parser.compile_filter(bit) for bit in bits[3 if signed_in else 2 :]]
    nodelist = parser.parse(("endfragment_cache",))
    parser.delete_first_token()
    return FragmentCacheNode(nodelist, name, vary, source_digest(parser), signed_in)


def source_digest(parser: Parser) -> str:
    """A digest of the template being compiled (its name when its text cannot be read):
    16 hex characters, for cache keys that must change when the template's text does.
    Shared by every template tag that caches what it draws."""
    origin = getattr(parser, "origin", None)
    loader = getattr(origin, "loader", None)
    text = str(getattr(origin, "name", ""))
    if loader is not None:
        try:
            text = loader.get_contents(origin)
        except Exception:  # noqa: BLE001, S110 - the name is key enough
            pass
    return hashlib.sha256(text.encode()).hexdigest()[:16]
