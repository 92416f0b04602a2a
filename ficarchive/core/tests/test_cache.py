"""The one fail-soft cache door (``core.cache``) and that both of its users go through it."""

from __future__ import annotations

import logging
from unittest import mock

from django.core.cache import cache

from ficarchive.core import cache as core_cache
from ficarchive.core.templatetags import fragments
from ficarchive.discovery import cache as discovery_cache
from ficarchive.discovery.templatetags import discovery_blurbs, discovery_filters


def _broken() -> mock.Mock:
    broken = mock.Mock()
    broken.get.side_effect = ConnectionError("cache down")
    broken.get_many.side_effect = ConnectionError("cache down")
    broken.set.side_effect = ConnectionError("cache down")
    return broken


def test_get_and_set_round_trip():
    """What is set is read back; an absent key reads as None, absent keys as {}."""
    cache.clear()
    core_cache.cache_set("core:test:a", {"x": 1}, 60)
    assert core_cache.cache_get("core:test:a") == {"x": 1}
    assert core_cache.cache_get("core:test:missing") is None
    assert core_cache.cache_get_many(["core:test:a", "core:test:missing"]) == {
        "core:test:a": {"x": 1}
    }
    assert core_cache.cache_get_many([]) == {}


def test_a_failing_cache_is_a_logged_miss(caplog):
    """Get, get_many and set on a cache that raises: a miss and a warning, no exception."""
    with (
        mock.patch.object(core_cache, "caches", {"default": _broken()}),
        caplog.at_level(logging.WARNING, logger="ficarchive.core.cache"),
    ):
        assert core_cache.cache_get("k") is None
        assert core_cache.cache_get_many(["k"]) == {}
        core_cache.cache_set("k", 1, 60)
    assert [r.getMessage() for r in caplog.records] == [
        "cache read failed; serving uncached",
        "cache read failed; serving uncached",
        "cache write failed",
    ]


def test_one_implementation_for_fragments_and_discovery():
    """The template fragments and the discovery caches call the same functions (no copy)."""
    assert not hasattr(fragments, "_get") and not hasattr(fragments, "_set")
    assert fragments.cache_get is core_cache.cache_get
    assert fragments.cache_set is core_cache.cache_set
    for module in (discovery_cache, discovery_blurbs, discovery_filters):
        assert module.cache_get is core_cache.cache_get
        assert module.cache_set is core_cache.cache_set
