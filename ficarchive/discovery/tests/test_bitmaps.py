"""The in-process bitmap index: pages and ranges match a plain sort, and writes reach
every process's index through the change log (patched, not rebuilt)."""

from __future__ import annotations

import random
from array import array

import pytest
from django.contrib.auth.models import AnonymousUser
from hypothesis import given, settings
from hypothesis import strategies as st
from pyroaring import BitMap

from ficarchive.discovery import bitmaps
from ficarchive.discovery.engines.bitmap import matches
from ficarchive.discovery.forms import FilterParams
from ficarchive.discovery.plan import build_plan
from ficarchive.discovery.search import search_works
from ficarchive.testing import make_user, make_work
from ficarchive.works.services import work_hide

GUEST = AnonymousUser()


def test_sort_index_pages_and_ranges_match_a_plain_sort(monkeypatch):
    """Pages in either direction and value ranges equal sorting every id by (value, id),
    across bucket edges and after works move."""
    monkeypatch.setattr(bitmaps, "BUCKET", 7)
    rng = random.Random(3)
    value = array("q", [rng.randrange(40) for _ in range(300)])
    ids = list(range(1, 300))
    index = bitmaps.SortIndex(value, ids)
    for moved in rng.sample(ids, 30):
        index.discard(moved)
        value[moved] = rng.randrange(-5, 50)
        index.add(moved)
    result = BitMap(rng.sample(ids, 120))
    expected = sorted(result, key=lambda i: (value[i], i))
    for start in (0, 5, 50, 115):
        assert index.page(result, start, 10, False) == expected[start : start + 10]
        assert index.page(result, start, 10, True) == expected[::-1][start : start + 10]
    assert index.between(10, 20) == BitMap(i for i in ids if 10 <= value[i] <= 20)
    assert index.between(None, 3) == BitMap(i for i in ids if value[i] <= 3)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.integers(-3, 12), min_size=1, max_size=80),
    st.lists(st.tuples(st.integers(0, 79), st.integers(-6, 15)), max_size=25),
    st.one_of(st.none(), st.integers(-8, 16)),
    st.one_of(st.none(), st.integers(-8, 16)),
)
def test_between_equals_a_scan_for_any_values_moves_and_range(values, moves, low, high):
    """``between`` looks only at the buckets the range can reach (bisect on the bounds);
    the answer is a scan of every id, also after works moved below the first bound or
    above the last, and with ties across buckets."""
    original = bitmaps.BUCKET
    bitmaps.BUCKET = 3
    try:
        value = array("q", [0, *values])
        ids = list(range(1, len(value)))
        index = bitmaps.SortIndex(value, ids)
    finally:
        bitmaps.BUCKET = original
    for pos, new in moves:
        work = 1 + pos % len(ids)
        index.discard(work)
        value[work] = new
        index.add(work)
    lo = -(2**63) if low is None else low
    hi = 2**63 - 1 if high is None else high
    assert index.between(low, high) == BitMap(i for i in ids if lo <= value[i] <= hi)


@pytest.mark.django_db
def test_writes_reach_every_process_by_patching(archive, settings, monkeypatch):
    """Two processes' indexes (built before a write) both see a new work and a hidden one
    on their next read, patched from the change log rather than rebuilt."""
    settings.DISCOVERY_BITMAPS = True
    builds = []
    real_build = bitmaps.BitmapIndex.build
    monkeypatch.setattr(
        bitmaps.BitmapIndex, "build", lambda self: (builds.append(self), real_build(self))
    )
    first, second = bitmaps.BitmapIndex(), bitmaps.BitmapIndex()
    first.refresh()
    second.refresh()
    author = make_user("dana")
    new = make_work(author, title="Fresh", fandoms=["Doctor Who"], chapters=["Something new."])
    work_hide(
        actor=make_user("mod", is_staff=True, is_superuser=True), work=archive.w3, hidden=True
    )
    params = FilterParams.from_data({"tag": "Doctor Who"})
    for index in (first, second):
        index.refresh()
        assert set(matches(index, build_plan(GUEST, params))) == {archive.w2.pk, new.pk}
        assert index.seen == first.seen
    assert builds == [first, second]  # built once each, then patched
    bitmaps.reset()
    assert {w.pk for w in search_works(GUEST, {"tag": "Doctor Who", "sort": "words"}).works} == {
        archive.w2.pk,
        new.pk,
    }
    bitmaps.reset()


def test_sort_index_page_breaks_ties_by_id():
    """A page in either direction is (value, id) order, ties by id (descending: id
    descending too), across bucket edges, as the SQL engine's ORDER BY value, id."""
    import random
    from array import array

    from pyroaring import BitMap

    from ficarchive.discovery import bitmaps

    rng = random.Random(7)
    value = array("q", [rng.randint(0, 4) for _ in range(3 * bitmaps.BUCKET)])
    index = bitmaps.SortIndex(value, range(len(value)))
    found = BitMap(rng.sample(range(len(value)), 2 * bitmaps.BUCKET))
    for descending in (False, True):
        expected = sorted(found, key=lambda i: (value[i], i), reverse=descending)
        for start in (0, 17, bitmaps.BUCKET - 5, len(found) - 3):
            assert index.page(found, start, 20, descending) == expected[start : start + 20]


def test_plan_keys_of_id_sets_are_order_free_and_tell_sets_apart():
    """Plan keys: the same ids in another insertion order give the same key; other ids,
    a bool among ints, or the same ids as a tuple give another."""
    from ficarchive.discovery.cache import plan_key

    a = {"include": frozenset([300, 2, 1000, 41]), "words": (10, None)}
    b = {"words": (10, None), "include": frozenset([41, 1000, 2, 300])}
    assert plan_key(a) == plan_key(b)
    assert plan_key(a) != plan_key({**a, "include": frozenset([300, 2, 1000, 42])})
    assert plan_key({"s": frozenset([1, 2])}) != plan_key({"s": (1, 2)})
    assert plan_key({"s": frozenset([True, 2])}) != plan_key({"s": frozenset([1, 2])})
