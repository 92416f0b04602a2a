"""Django's Redis cache, failing soft: when the Redis server is down or unreachable, a read
is a miss and a write is dropped (each logged), so pages are still served, correct and
slower, instead of failing with a 500.

Every cached value in Ficarchive is derived from the database (pages and facets keyed on
the cache generation, tag closures on the wrangling stamp, inbox counts for a short
time), so losing the cache loses only speed. Sessions (``cached_db``) write through to the
database and read from it on a miss. Rate-limit counters fail open: with the cache down,
limits are not enforced until it is back (``incr`` raises ``ValueError`` as for an expired
key, and the write after it is dropped)."""

from __future__ import annotations

import logging
import sys
import time
from typing import Any

from django.core.cache.backends.redis import RedisCache

log = logging.getLogger(__name__)


# While Redis is down every cache call fails: one warning line a minute per process is
# enough to say so (a traceback for each call filled a command's stderr and the server
# log); the rest, with the traceback, at DEBUG.
WARN_EVERY_SECONDS = 60.0
_last_warning = [float("-inf")]


def _failed(operation: str) -> None:
    """Log a failed cache call (inside an ``except``): a one-line warning at most once a
    minute per process, naming the error; every failure, traceback included, at DEBUG."""
    error = sys.exc_info()[1]
    now = time.monotonic()
    if now - _last_warning[0] >= WARN_EVERY_SECONDS:
        _last_warning[0] = now
        log.warning("cache %s failed (%s); carrying on without the cache", operation, error)
    else:
        log.debug("cache %s failed; carrying on without the cache", operation, exc_info=True)


class FailSoftRedisCache(RedisCache):
    """``RedisCache`` whose every operation survives a failing server (see module)."""

    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        try:
            return super().get(key, default, version)
        except Exception:  # noqa: BLE001 - any server failure is a miss
            _failed("get")
            return default

    def get_many(self, keys: Any, version: int | None = None) -> dict:
        try:
            return super().get_many(keys, version)
        except Exception:  # noqa: BLE001
            _failed("get_many")
            return {}

    def has_key(self, key: Any, version: int | None = None) -> bool:
        try:
            return super().has_key(key, version)
        except Exception:  # noqa: BLE001
            _failed("has_key")
            return False

    def set(self, key: Any, value: Any, timeout: Any = 300, version: int | None = None) -> None:
        try:
            super().set(key, value, timeout, version)
        except Exception:  # noqa: BLE001
            _failed("set")

    def set_many(self, data: dict, timeout: Any = 300, version: int | None = None) -> list:
        try:
            return super().set_many(data, timeout, version)
        except Exception:  # noqa: BLE001
            _failed("set_many")
            return list(data)

    def add(self, key: Any, value: Any, timeout: Any = 300, version: int | None = None) -> bool:
        try:
            return super().add(key, value, timeout, version)
        except Exception:  # noqa: BLE001
            _failed("add")
            return False

    def touch(self, key: Any, timeout: Any = 300, version: int | None = None) -> bool:
        try:
            return super().touch(key, timeout, version)
        except Exception:  # noqa: BLE001
            _failed("touch")
            return False

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        try:
            return super().incr(key, delta, version)
        except ValueError:
            raise
        except Exception as exc:  # noqa: BLE001
            _failed("incr")
            raise ValueError("cache unavailable") from exc

    def delete(self, key: Any, version: int | None = None) -> bool:
        try:
            return super().delete(key, version)
        except Exception:  # noqa: BLE001
            _failed("delete")
            return False

    def delete_many(self, keys: Any, version: int | None = None) -> None:
        try:
            super().delete_many(keys, version)
        except Exception:  # noqa: BLE001
            _failed("delete_many")

    def clear(self) -> None:
        try:
            super().clear()
        except Exception:  # noqa: BLE001
            _failed("clear")
