"""The byte-bounded local-memory cache: the bound holds under any sequence of writes,
the least recently used entries go first, and the accounting never drifts."""

from __future__ import annotations

import pickle

from hypothesis import given, settings
from hypothesis import strategies as st

from ficarchive.core.locmem import BoundedLocMemCache


def make(name: str, max_bytes: int, max_entries: int = 1000) -> BoundedLocMemCache:
    cache = BoundedLocMemCache(
        name, {"OPTIONS": {"MAX_BYTES": max_bytes, "MAX_ENTRIES": max_entries}}
    )
    cache.clear()
    return cache


def stored(cache: BoundedLocMemCache) -> int:
    return sum(len(v) for v in cache._cache.values())


def test_oldest_unread_entries_go_first():
    cache = make("t-lru", 10_000)
    for i in range(5):
        cache.set(f"k{i}", b"x" * 900)
    assert cache.get("k0") is not None  # k0 read: now the most recently used
    for i in range(5, 12):
        cache.set(f"k{i}", b"x" * 900)
    assert cache.stored_bytes <= 10_000
    assert cache.get("k0") is not None
    assert cache.get("k1") is None and cache.get("k2") is None
    assert cache.get("k11") is not None
    assert cache.stored_bytes == stored(cache)


def test_value_over_a_tenth_of_the_bound_is_not_stored_and_drops_the_old_one():
    cache = make("t-big", 10_000)
    cache.set("page", b"small")
    cache.set("page", b"x" * 2_000)
    assert cache.get("page") is None
    assert cache.stored_bytes == 0


def test_entry_bound_still_holds_and_accounting_follows_culls():
    cache = make("t-entries", 0, max_entries=30)
    for i in range(100):
        cache.set(f"k{i}", i)
    assert len(cache._cache) <= 30
    assert cache.stored_bytes == stored(cache)


def test_incr_delete_and_clear_keep_the_count():
    cache = make("t-ops", 100_000)
    cache.set("n", 1)
    cache.incr("n", 10**30)
    assert cache.get("n") == 10**30 + 1
    assert cache.stored_bytes == len(pickle.dumps(10**30 + 1, pickle.HIGHEST_PROTOCOL))
    cache.delete("n")
    assert cache.stored_bytes == 0
    cache.set("a", "b")
    cache.clear()
    assert cache.stored_bytes == 0 and not cache._cache


def test_instances_share_one_store_and_one_count():
    # Django makes one cache object per thread over one store.
    one, two = make("t-shared", 50_000), BoundedLocMemCache("t-shared", {"OPTIONS": {}})
    one.set("a", b"x" * 100)
    assert two.get("a") == b"x" * 100
    assert two.stored_bytes == one.stored_bytes > 100


ops = st.lists(
    st.tuples(
        st.sampled_from(["set", "add", "get", "delete", "incr"]),
        st.integers(0, 15),
        st.integers(0, 1_500),
    ),
    max_size=120,
)


@settings(max_examples=150, deadline=None)
@given(ops)
def test_bound_and_accounting_hold_for_any_sequence(sequence):
    cache = make("t-prop", 5_000, max_entries=10)
    for op, k, size in sequence:
        key = f"k{k}"
        if op == "set":
            cache.set(key, b"x" * size)
        elif op == "add":
            cache.add(key, b"y" * size)
        elif op == "get":
            cache.get(key)
        elif op == "delete":
            cache.delete(key)
        else:
            try:
                cache.set(key, size) if cache.get(key) is None else None
                cache.incr(key)
            except (ValueError, TypeError):
                pass
        assert cache.stored_bytes == stored(cache)
        assert cache.stored_bytes <= 5_000
        assert len(cache._cache) <= 10
        assert set(cache._sizes) == set(cache._cache)


def test_settings_use_the_bounded_cache_and_refuse_a_negative_bound(monkeypatch):
    import subprocess
    import sys

    from django.conf import settings as django_settings
    from django.core.cache import caches

    if django_settings.CACHES["default"]["BACKEND"].endswith("BoundedLocMemCache"):
        default = caches["default"]
        assert isinstance(default, BoundedLocMemCache) and default._max_bytes == 64 << 20
    env = {"FICARCHIVE_LOCAL_CACHE_MB": "-1", "DJANGO_SETTINGS_MODULE": "config.settings.base"}
    code = "import django; django.setup()"
    monkeypatch.delenv("REDIS_URL", raising=False)
    done = subprocess.run(
        [sys.executable, "-c", code],
        env={**__import__("os").environ, **env},
        capture_output=True,
        text=True,
    )
    assert done.returncode != 0
    assert "FICARCHIVE_LOCAL_CACHE_MB must be 0 or more" in done.stderr
