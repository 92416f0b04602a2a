"""The raw Redis client behind the default cache, for the few things that need Redis's own
commands (lists) rather than Django's cache API: the hit buffer and the job queue's
wake-ups. ``None`` without ``REDIS_URL``."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.cache import caches


def redis_client() -> Any | None:
    """The default cache's Redis client (``redis.Redis``, for writing) when ``REDIS_URL``
    is set and the cache is Django's Redis backend; otherwise ``None``. Creating it opens
    no connection: a Redis that is down raises at the first command."""
    if not getattr(settings, "REDIS_URL", ""):
        return None
    client = getattr(caches["default"], "_cache", None)
    return client.get_client(write=True) if hasattr(client, "get_client") else None


def redis_key(name: str) -> str:
    """``name`` under the default cache's key prefix and version, so archives sharing one
    Redis database keep apart as their caches do."""
    return caches["default"].make_key(name)
