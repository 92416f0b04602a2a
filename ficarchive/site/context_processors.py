"""What every page may show from the site app: the banner (unless this browser dismissed
its version) and the latest news (evaluated only by the pages that show it)."""

from __future__ import annotations

import contextlib
from typing import Any

from django.core.cache import cache
from django.http import HttpRequest

from .selectors import admin_posts, site_settings

BANNER_CACHE_KEY = "site:banner"


def _banner() -> tuple[str, int]:
    # On every page: a cache that fails (Redis down) must cost a query, never the page.
    try:
        found = cache.get(BANNER_CACHE_KEY)
    except Exception:  # noqa: BLE001 - any cache failure is a miss
        found = None
    if found is None:
        row = site_settings()
        found = (row.banner, row.banner_version)
        with contextlib.suppress(Exception):  # a failing cache only costs the query
            cache.set(BANNER_CACHE_KEY, found, 60)
    return found


def banner_version(request: HttpRequest) -> str:
    """The banner's version, or "" when there is none: part of a cached guest page's key
    (``works.page_cache``), so a new banner shows at once. Read from the cache as above."""
    text, version = _banner()
    return str(version) if text else ""


def site(request: HttpRequest) -> dict[str, Any]:
    def banner() -> str:
        session = getattr(request, "session", None)
        if session is None:  # a bare request (no session middleware): no banner to dismiss
            return ""
        text, version = _banner()
        if not text or session.get("banner_dismissed") == version:
            return ""
        return text

    return {"site_banner": banner, "site_news": lambda: list(admin_posts(limit=3))}
