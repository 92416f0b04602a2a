"""Django's local-memory cache with a bound in bytes as well as in entries.

Without ``REDIS_URL`` each worker process keeps its own cache of guest pages, facet lists
and blurbs. Django's ``LocMemCache`` bounds only the number of entries (``MAX_ENTRIES``),
and entries differ a thousandfold in size: a facet list is a few hundred bytes, a guest's
cached work page carries the whole chapter text (tens of kilobytes for a real chapter).
Measured at 10,000 generated works, 4,685 entries held 38 MB and were all of a worker's
growth after its first minutes (docs/benchmarks.md); with real chapter lengths the same
5,000 entries could hold 250 MB per worker. ``MAX_BYTES`` (in ``OPTIONS``) bounds the sum
of the stored (pickled) values: past it the least recently used entries are dropped, one
at a time, and a value larger than a tenth of the bound is not stored at all (it would
push out many small, often-read entries for one rarely read page).

The sizes live beside Django's own module-level store, keyed by the cache's
``LOCATION``, because Django makes one cache object per thread over one shared store.
"""

from __future__ import annotations

from collections import OrderedDict
from threading import Lock
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache

_sizes: dict[str, dict[str, int]] = {}
_totals: dict[str, list[int]] = {}


class BoundedLocMemCache(LocMemCache):
    """``LocMemCache`` bounded by ``OPTIONS["MAX_BYTES"]`` (bytes of pickled values; 0 or
    absent: no byte bound) as well as ``MAX_ENTRIES``."""

    # LocMemCache's own store, not in django-stubs: most recently used first.
    _cache: OrderedDict[str, bytes]
    _expire_info: dict[str, float | None]
    _lock: Lock

    def __init__(self, name: str, params: dict[str, Any]) -> None:
        super().__init__(name, params)
        options = params.get("OPTIONS") or {}
        self._max_bytes = max(0, int(options.get("MAX_BYTES", 0) or 0))
        self._sizes = _sizes.setdefault(name, {})
        self._total = _totals.setdefault(name, [0])

    @property
    def stored_bytes(self) -> int:
        """The bytes of pickled values held now (all threads of this process)."""
        return self._total[0]

    def _set(self, key: str, value: Any, timeout: Any = DEFAULT_TIMEOUT) -> None:
        size = len(value)
        if self._max_bytes and size > self._max_bytes // 10:
            self._delete(key)  # an older, smaller value must not outlive this write
            return
        self._forget(key)
        super()._set(key, value, timeout)  # type: ignore[misc]  # private, not in stubs
        self._sizes[key] = size
        self._total[0] += size
        while self._max_bytes and self._total[0] > self._max_bytes and self._cache:
            # LocMemCache keeps the most recently used entry first: the last is the oldest.
            oldest, _ = self._cache.popitem()
            self._expire_info.pop(oldest, None)
            self._forget(oldest)

    def _forget(self, key: str) -> None:
        self._total[0] -= self._sizes.pop(key, 0)

    def _cull(self) -> None:
        before = set(self._cache)
        super()._cull()  # type: ignore[misc]
        for key in before.difference(self._cache):
            self._forget(key)

    def _delete(self, key: str) -> bool:
        self._forget(key)
        return super()._delete(key)  # type: ignore[misc]

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> Any:
        value = super().incr(key, delta, version)
        stored = self.make_and_validate_key(key, version=version)
        with self._lock:
            if stored in self._cache:
                self._forget(stored)
                self._sizes[stored] = len(self._cache[stored])
                self._total[0] += self._sizes[stored]
        return value

    def clear(self) -> None:
        with self._lock:
            self._cache.clear()
            self._expire_info.clear()
            self._sizes.clear()
            self._total[0] = 0
