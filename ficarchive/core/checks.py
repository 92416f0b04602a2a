"""System checks of our own (`manage.py check --deploy`): limits must live where every
worker sees them."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Tags, Warning, register

# Cache backends whose counters live inside one process (or nowhere).
PER_PROCESS_CACHES = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
)


@register(Tags.security, deploy=True)
def limits_shared_check(app_configs: Any = None, **kwargs: Any) -> list[Warning]:
    """ficarchive.W001: rate limits and the log-in lock-out are kept in a per-process cache,
    so with several workers (`serve --workers 2`, the default) each counts alone and the
    right password logs in again on another worker after the account is locked."""
    if not getattr(settings, "FICARCHIVE_RATELIMIT_ENABLED", True):
        return []
    if getattr(settings, "FICARCHIVE_RATELIMIT_STORE", "database") != "cache":
        return []
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if backend not in PER_PROCESS_CACHES:
        return []
    return [
        Warning(
            "Rate limits and the log-in lock-out are kept in a per-process cache "
            f"({backend.rsplit('.', 1)[-1]}): with more than one worker or server each "
            "counts alone.",
            hint="Set FICARCHIVE_RATELIMIT_STORE=database, or REDIS_URL for a shared cache.",
            id="ficarchive.W001",
        )
    ]
