"""Fail-soft reads and writes of the default cache: a cache that fails (Redis down, a
value that no longer unpickles) is a miss, logged, never an error page.

Every cached part of a page (the discovery listings, blurbs and sidebars, the template
fragments of ``core.templatetags.fragments``) reads and writes through these, so the rule
"a failing cache draws the page uncached" is written once.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.cache import caches

log = logging.getLogger(__name__)


def cache_get(key: str) -> Any:
    """The value cached under ``key``, or None when absent or when the cache fails
    (logged at warning with the traceback)."""
    try:
        return caches["default"].get(key)
    except Exception:  # noqa: BLE001 - a cache that fails is a miss, never an error page
        log.warning("cache read failed; serving uncached", exc_info=True)
        return None


def cache_get_many(keys: list[str]) -> dict[str, Any]:
    """The cached values of those ``keys`` that are present, in one round trip; empty when
    ``keys`` is empty or the cache fails (logged)."""
    if not keys:
        return {}
    try:
        return caches["default"].get_many(keys)
    except Exception:  # noqa: BLE001 - a cache that fails is a miss, never an error page
        log.warning("cache read failed; serving uncached", exc_info=True)
        return {}


def cache_set(key: str, value: Any, seconds: int) -> None:
    """Store ``value`` under ``key`` for ``seconds``; a failing cache is logged and
    ignored (the next read is a miss)."""
    try:
        caches["default"].set(key, value, seconds)
    except Exception:  # noqa: BLE001 - a cache that fails only costs a redraw
        log.warning("cache write failed", exc_info=True)
