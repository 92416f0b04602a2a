"""The counter sorts shared through one memory-mapped file (``sharedsorts``): the orders read
through it equal a fresh computation, also after patches and after kudos, hits, comments
and bookmarks change; a process forked after a refresh maps the new file, one forked
before adopts it; a missing or corrupt file falls back to the process's own re-read, with
a log line."""

from __future__ import annotations

import logging
import os
import random
from array import array

import numpy as np
import pytest
from pyroaring import BitMap

from ficarchive.discovery import bitmaps, keeper, sharedsorts
from ficarchive.discovery.bitmaps import SortIndex
from ficarchive.discovery.tests.test_keeper import _in_child
from ficarchive.works.models import Work


def _pair(tmp_path, values: list[int], ids: list[int]):
    """A SortIndex and a SharedSort (key "kudos") over the same values."""
    size = max(ids) + 1
    value = np.zeros(size, dtype=np.int64)
    value[ids] = [values[i] for i in ids]
    arrays = {k: value for k in sharedsorts.COUNTER_SORTS}
    target = sharedsorts.write_arrays(
        tmp_path / "c.bin", size, arrays, np.array(ids, dtype=np.int64), 1.0
    )
    _, shared = sharedsorts.load(target)
    return SortIndex(array("q", value.tolist()), ids), shared["kudos"]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_pages_and_ranges_equal_the_in_memory_sort(tmp_path, seed):
    """Random counters with many ties, random results small and large: every page, both
    directions, and every range equal SortIndex's; also after patched works move."""
    rng = random.Random(seed)
    n = 3_000
    ids = sorted(rng.sample(range(1, n + 500), n))
    values = [rng.choice([0, 0, 0, 1, 2, 3, rng.randrange(10_000)]) for _ in range(n + 500)]
    memory, shared = _pair(tmp_path, values, ids)
    for _round in range(2):
        for density in (0.001, 0.05, 0.9):
            result = BitMap(i for i in ids if rng.random() < density)
            for descending in (False, True):
                for start in (0, 7, len(result) // 2):
                    want = memory.page(result, start, 20, descending)
                    assert shared.page(result, start, 20, descending) == want
            for low, high in ((0, 0), (1, 3), (None, 2), (500, None)):
                assert shared.between(low, high) & result == memory.between(low, high) & result
        # Patch some works the way BitmapIndex.patch does: discard, set value, add.
        for work_id in rng.sample(ids, 60) + [n + 600, n + 601]:
            new = rng.randrange(5)
            for sort in (memory, shared):
                sort.discard(work_id)
                if work_id >= len(sort.value):
                    sort.value.frombytes(bytes(8 * (work_id + 1 - len(sort.value))))
                sort.value[work_id] = new
                sort.add(work_id)
            if work_id > n + 500:
                ids.append(work_id)  # a work posted after the file: only in the overlay


def _orders(index: bitmaps.BitmapIndex) -> dict[str, list[int]]:
    everything = BitMap(Work.objects.values_list("pk", flat=True))
    return {k: index.sorts[k].page(everything, 0, 100, True) for k in sharedsorts.COUNTER_SORTS} | {
        f"{k}-asc": index.sorts[k].page(everything, 0, 100, False)
        for k in sharedsorts.COUNTER_SORTS
    }


def _fresh() -> dict[str, list[int]]:
    fresh = bitmaps.BitmapIndex()
    fresh.build()
    return _orders(fresh)


@pytest.fixture
def shared_on(settings, tmp_path, monkeypatch):
    settings.DISCOVERY_BITMAPS = True
    settings.FICARCHIVE_HOME = tmp_path
    monkeypatch.setattr(keeper.connections, "close_all", lambda: None)
    monkeypatch.setattr(sharedsorts, "shared", True)
    monkeypatch.setattr(sharedsorts, "_seen", None)
    monkeypatch.setattr(sharedsorts, "_bad", None)
    bitmaps.reset()
    yield
    bitmaps.reset()


def _bump(archive) -> None:
    """Counters change the way they do in production: without a change-log row."""
    Work.objects.filter(pk=archive.w1.pk).update(kudos_count=50, hit_count=9_000)
    Work.objects.filter(pk=archive.w3.pk).update(bookmark_count=7, comment_count=3)
    Work.objects.filter(pk=archive.w4.pk).update(kudos_count=50, bookmark_count=7)


@pytest.mark.django_db
def test_shared_orders_equal_a_fresh_build_after_counter_writes(archive, shared_on):
    index = bitmaps.get_index()
    _bump(archive)
    assert keeper.share_counters(index)
    assert all(isinstance(index.sorts[k], sharedsorts.SharedSort) for k in bitmaps.COUNTER_SORTS)
    assert _orders(index) == _fresh()
    assert index.sorts["kudos"].value[archive.w1.pk] == 50


@pytest.mark.django_db
def test_a_patch_after_the_file_is_kept_and_one_before_is_superseded(archive, shared_on):
    """A work patched after the file's read keeps its patched value when a newer process
    adopts the file; the order still equals a fresh build."""
    index = bitmaps.get_index()
    keeper.share_counters(index)
    Work.objects.filter(pk=archive.w2.pk).update(kudos_count=99)
    bitmaps.log_changes([archive.w2.pk])
    bitmaps.get_index(counters=False)  # patches w2 (value 99) into the overlay
    assert index.sorts["kudos"].value[archive.w2.pk] == 99
    assert _orders(index) == _fresh()


@pytest.mark.django_db
def test_forks_see_the_new_file(archive, shared_on):
    """A worker forked after the master's refresh inherits the new mapping; one forked
    before adopts the new file on its next request."""
    index = bitmaps.get_index()
    keeper.share_counters(index)
    _bump(archive)
    want = _fresh()

    def before_refresh_then_adopt() -> dict:
        # In the child: the parent has written a newer file by now (see below) only if we
        # wait; so the child writes nothing and reads what the parent wrote before forking.
        return {"orders": _orders(bitmaps.get_index())}

    keeper.share_counters(index)  # the master's refresh
    child = _in_child(
        lambda: {
            "orders": _orders(bitmaps.get_index()),
            "mapped": isinstance(bitmaps.get_index().sorts["kudos"], sharedsorts.SharedSort),
        }
    )
    assert "error" not in child, child
    assert child["mapped"] and child["orders"] == want
    # A process that still has the old file's sorts adopts the newer file on its refresh.
    old_read_at = index.counters_read_at
    Work.objects.filter(pk=archive.w2.pk).update(kudos_count=500)
    sharedsorts.write()
    assert before_refresh_then_adopt()["orders"] == _fresh()
    assert index.counters_read_at > old_read_at


@pytest.mark.django_db
@pytest.mark.parametrize("damage", ["missing", "corrupt", "truncated"])
def test_a_missing_or_corrupt_file_falls_back_with_a_log_line(archive, shared_on, damage, caplog):
    index = bitmaps.get_index()
    keeper.share_counters(index)
    target = sharedsorts.path()
    # The damaged file replaces the good one under its name (a new inode), as every write
    # to it does (sharedsorts.write_arrays renames a finished file into place). Damaging
    # it in place would truncate the pages this process still has mapped from the good
    # file, and reading them then is SIGBUS: no reader of a memory-mapped file survives
    # that, and nothing of ours ever writes the file in place.
    damaged = target.with_name(target.name + ".damaged")
    if damage == "missing":
        target.unlink()
    elif damage == "corrupt":
        damaged.write_bytes(b"not a counter file" * 100)
        os.replace(damaged, target)
    else:
        data = target.read_bytes()
        damaged.write_bytes(data[: len(data) // 2])
        os.replace(damaged, target)
    _bump(archive)
    for key in bitmaps.COUNTER_SORTS:
        index.sorts[key].built_at -= bitmaps.COUNTER_REFRESH_SECONDS + 1
    with caplog.at_level(logging.WARNING, logger="ficarchive"):
        bitmaps.get_index()  # today's path: this process re-reads the stale sorts
    assert any("counter sorts" in r.getMessage() for r in caplog.records)
    assert not any(
        isinstance(index.sorts[k], sharedsorts.SharedSort) for k in bitmaps.COUNTER_SORTS
    )
    assert _orders(index) == _fresh()


@pytest.mark.django_db
def test_a_keeper_round_rewrites_stale_counter_sorts(archive, shared_on):
    """The master's round: stale counter sorts are re-read once, written to the file and
    mapped; the new file's orders are the database's."""
    index = bitmaps.get_index()
    keeper.share_counters(index)
    first = sharedsorts.stamp()
    _bump(archive)
    for key in bitmaps.COUNTER_SORTS:
        index.sorts[key].built_at -= bitmaps.COUNTER_REFRESH_SECONDS + 1
    keeper.refresh_once()
    assert sharedsorts.stamp() != first
    assert not index.stale_counters()
    assert _orders(index) == _fresh()


def test_trim_runs():
    keeper.trim()  # glibc's malloc_trim, or nothing: never raises
