"""The embedded filter engine's fast path: an in-process bitmap index (pyroaring).

Built lazily per process from the database and kept fresh by the ``IndexChange`` log (written
by ``indexing`` in the writers' transactions): every read first applies the log rows it has
not seen (one indexed query), so several worker processes agree as soon as a write commits.

What it holds:
- a BitMap of work ids per tag (tag closure is expanded at query time by OR-ing the
  closure's bitmaps, so wrangling needs no rebuild), per rating, per language, and for
  posted / hidden / restricted / anonymous / unrevealed / complete / crossover;
- per sort key, the works cut into value-ordered buckets of ~4,096 (a page is a walk over
  the buckets with ``intersection_cardinality`` until the offset is reached, then a sort
  of one or two buckets' matches), and each work's value in a flat array (ranges such as
  words 1,000-5,000 or an updated-date window are whole buckets plus two edge buckets);
- each work's tags as flat arrays (CSR), for facet counts over the first FACET_SAMPLE
  results in order, the same sample the SQL path counts.

Counters that change without a service hook (kudos, hits, comments, bookmarks) are read
again at most every COUNTER_REFRESH_SECONDS for sorting; everything a filter *selects* on
is exact. The index only holds data: ``engines.bitmap`` executes search plans over it
(the listing rule included), and leaves what it cannot answer exactly to the SQL engine."""

from __future__ import annotations

import datetime as dt
import gc
import os
import threading
import time
import uuid
from array import array
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterable
from itertools import chain

from django.conf import settings
from django.db import connection
from django.utils import timezone
from pyroaring import BitMap

from ficarchive.tags.selectors import wrangling_stamp

from . import changelog, sharedsorts
from .bitmaprows import WORK_COLUMNS, chunks, from_micros, ids_in_order, max_work_id, micros
from .cache import changed
from .models import IndexChange
from .sorts import SORT_COLUMNS  # the sorts both engines answer, one list

__all__ = ["BitmapIndex", "SortIndex", "from_micros", "get_index", "micros", "reset"]

BUCKET = 4096
# FICARCHIVE_COUNTER_REFRESH_SECONDS overrides it (measurements; a bad value keeps 300).
try:
    COUNTER_REFRESH_SECONDS = float(os.environ.get("FICARCHIVE_COUNTER_REFRESH_SECONDS") or 300)
except ValueError:
    COUNTER_REFRESH_SECONDS = 300.0
# More changes than this since the last look: rebuild instead of patching.
PATCH_LIMIT = 5000
COUNTER_SORTS = sharedsorts.COUNTER_SORTS
_FLAGS = ("posted", "hidden", "restricted", "anonymous", "unrevealed", "complete", "crossover")


def enabled() -> bool:
    """On unless settings.DISCOVERY_BITMAPS or FICARCHIVE_BITMAPS=0 turns it off; off by
    default under the test settings (other apps' tests roll back under it)."""
    value = getattr(settings, "DISCOVERY_BITMAPS", None)
    if value is not None:
        return bool(value)
    env = os.environ.get("FICARCHIVE_BITMAPS")
    if env is not None:
        return env.strip().lower() not in {"0", "false", "no", "off", ""}
    return not str(getattr(settings, "SETTINGS_MODULE", "")).endswith(".test")


class SortIndex:
    """Works in (value, id) order, cut into buckets; ``value[id]`` is each work's value."""

    def __init__(self, value: array, ids: Iterable[int], *, presorted: bool = False):
        self.value = value
        # Presorted ids may be an array: sliced as it is, never copied into Python ints.
        items = ids if presorted and isinstance(ids, array | list) else list(ids)
        if not presorted:
            items.sort(key=lambda i: (value[i], i))  # type: ignore[union-attr]
        self.bounds: list[tuple[int, int]] = []
        self.buckets: list[BitMap] = []
        for start in range(0, len(items), BUCKET):
            chunk = items[start : start + BUCKET]
            self.bounds.append((value[chunk[0]], chunk[0]))
            self.buckets.append(BitMap(chunk))
        if not self.buckets:
            self.bounds.append((0, 0))
            self.buckets.append(BitMap())
        self.built_at = time.monotonic()
        self.lopsided = False

    def _bucket(self, work_id: int) -> int:
        return max(0, bisect_right(self.bounds, (self.value[work_id], work_id)) - 1)

    def discard(self, work_id: int) -> None:
        if work_id < len(self.value):
            self.buckets[self._bucket(work_id)].discard(work_id)

    def add(self, work_id: int) -> None:
        bucket = self.buckets[self._bucket(work_id)]
        bucket.add(work_id)
        if len(bucket) > 4 * BUCKET:
            self.lopsided = True

    def page(self, result: BitMap, start: int, count: int, descending: bool) -> list[int]:
        """Ids at positions [start, start + count) of the result in this order."""
        out: list[int] = []
        skipped = 0
        order = range(len(self.buckets) - 1, -1, -1) if descending else range(len(self.buckets))
        key = self.value.__getitem__
        for k in order:
            bucket = self.buckets[k]
            n = result.intersection_cardinality(bucket)
            if not n:
                continue
            if skipped + n <= start:
                skipped += n
                continue
            # (value, id) order without a tuple per id: a BitMap iterates by id, and the
            # sort is stable (also with reverse=True), so ties stay in the order given.
            inside = list(result & bucket)
            ids = sorted(inside[::-1] if descending else inside, key=key, reverse=descending)
            lo = max(0, start - skipped)
            out.extend(ids[lo : lo + count - len(out)])
            skipped += n
            if len(out) >= count:
                break
        return out

    def between(self, low: int | None, high: int | None) -> BitMap:
        """Works whose value lies in [low, high] (None: unbounded)."""
        lo = -(2**63) if low is None else low
        hi = 2**63 - 1 if high is None else high
        value = self.value
        bounds = self.bounds
        last = len(self.buckets) - 1
        # Bucket k holds values in [bounds[k][0], bounds[k + 1][0]]: only buckets from the
        # last one starting below ``lo`` to the last one starting at or below ``hi`` can
        # hold a match (bisect on the (value, id) bounds, not a walk over every bucket).
        first = max(0, bisect_right(bounds, (lo, -1)) - 1)
        stop = max(1, bisect_right(bounds, (hi, 2**63 - 1)))  # bucket 0 reaches down to -inf
        whole: list[BitMap] = []
        for k in range(first, min(stop, last + 1)):
            b_lo = -(2**63) if k == 0 else bounds[k][0]
            b_hi = 2**63 - 1 if k == last else bounds[k + 1][0]
            if b_hi < lo or b_lo > hi:
                continue
            if lo <= b_lo and b_hi <= hi:
                whole.append(self.buckets[k])
            else:
                whole.append(BitMap([i for i in self.buckets[k] if lo <= value[i] <= hi]))
        # One n-way union instead of one |= per bucket.
        return BitMap.union(*whole) if whole else BitMap()


def _copy(value: array | sharedsorts._Values) -> array:
    """A private copy of a sort's values (a shared sort's: its file's plus its overlay)."""
    return value.to_array() if isinstance(value, sharedsorts._Values) else array("q", value)


def _sort_index(key: str, value: array) -> SortIndex:
    """The database sorts (an index scan on the sort indexes), Python checks the order
    agrees with (value, id) and sorts itself if not (NULLs, collation)."""
    ids = ids_in_order(key)
    if ids and max(ids) >= len(value):
        # Works committed after the values were read: their change-log rows patch them in.
        ids = array("I", (i for i in ids if i < len(value)))
    previous = (-(2**63), -1)
    for work_id in ids:
        current = (value[work_id], work_id)
        if current < previous:
            return SortIndex(value, list(ids))
        previous = current
    return SortIndex(value, ids, presorted=True)


class BitmapIndex:
    """Everything the filter selects and sorts on, for every work; see the module docstring."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.seen: tuple[int, str] | None = None
        self.ready = False

    # --- building ---------------------------------------------------------------------
    def build(self) -> None:
        t0 = time.monotonic()
        self.counters_read_at = time.time()  # wall time: compared with the shared file's
        self.patched_at: dict[int, float] = {}
        self.seen = changelog.newest()
        self.gaps: dict[int, float] = changelog.gaps_at_build(self.seen[0])
        self.all = BitMap()
        self.flags: dict[str, BitMap] = {k: BitMap() for k in _FLAGS}
        self.rating: dict[str, BitMap] = defaultdict(BitMap)
        self.language: dict[str, BitMap] = defaultdict(BitMap)
        # Rows come in chunks (``bitmaprows``): the build's peak is the index plus one chunk.
        size = max_work_id() + 1
        values = {key: array("q", bytes(8 * size)) for key in SORT_COLUMNS}
        last = 0
        for rows in chunks(f"SELECT {', '.join(WORK_COLUMNS)} FROM works_work ORDER BY id"):  # noqa: S608 - constant
            for row in rows:
                self._set_work(row, values)
            last = rows[-1][0]
        if last + 1 > size:  # works posted while the build read: arrays grew in _set_work
            size = last + 1
            for arr in values.values():
                del arr[size:]
        self.sorts = {key: _sort_index(key, values[key]) for key in SORT_COLUMNS}
        crossover = self.flags["crossover"]
        for rows in chunks("SELECT work_id FROM discovery_searchentry WHERE fandom_count > 1"):
            crossover.update(r[0] for r in rows)
        self._build_tags(size)
        self._load_tag_info()
        self.ready = True
        # Millions of long-lived objects: keep the cyclic collector from rescanning them
        # on every full collection during requests.
        gc.collect()
        gc.freeze()
        self.build_seconds = round(time.monotonic() - t0, 2)

    def _build_tags(self, size: int) -> None:
        postings: dict[int, array] = defaultdict(lambda: array("I"))
        offsets = array("q", bytes(8 * (size + 1)))
        flat = array("i")
        current = -1
        for rows in chunks("SELECT work_id, tag_id FROM tags_tagging ORDER BY work_id, tag_id"):
            for work_id, tag_id in rows:
                if work_id != current:
                    for w in range(current + 1, min(work_id, size) + 1):
                        offsets[w] = len(flat)
                    current = work_id
                flat.append(tag_id)
                postings[tag_id].append(work_id)
        for w in range(max(current + 1, 0), size + 1):
            offsets[w] = len(flat)
        self.offsets, self.flat = offsets, flat
        self.overlay: dict[int, tuple[int, ...]] = {}
        self.tags: dict[int, BitMap] = {tag_id: BitMap(ids) for tag_id, ids in postings.items()}

    def _set_work(self, row: tuple, values: dict[str, array]) -> None:
        (
            work_id,
            posted,
            hidden,
            restricted,
            anonymous,
            unrevealed,
            rating,
            language,
            expected,
            chapters,
            words,
            revised,
            published,
            kudos,
            comments,
            bookmarks,
            hits,
        ) = row
        self.all.add(work_id)
        for name, flag in (
            ("posted", posted),
            ("hidden", hidden),
            ("restricted", restricted),
            ("anonymous", anonymous),
            ("unrevealed", unrevealed),
        ):
            if flag:
                self.flags[name].add(work_id)
        if expected is not None and chapters >= expected:
            self.flags["complete"].add(work_id)
        self.rating[rating].add(work_id)
        self.language[language].add(work_id)
        for key, v in (
            ("updated", micros(revised)),
            ("posted", micros(published)),
            ("words", words),
            ("kudos", kudos),
            ("comments", comments),
            ("bookmarks", bookmarks),
            ("hits", hits),
        ):
            arr = values[key]
            if work_id >= len(arr):
                arr.frombytes(bytes(8 * (work_id + 1 - len(arr) + 1024)))
            arr[work_id] = v or 0

    # --- freshness --------------------------------------------------------------------
    def refresh(self, counters: bool = True) -> None:
        """Bring the index up to date with the change log (build it the first time): the
        rows above the newest seen, and the ids below it not seen yet (``changelog``).
        ``counters=False``: leave the periodic re-read of the counter sorts to the caller."""
        with self.lock:
            if not self.ready:
                self.build()
                return
            assert self.seen is not None
            rows = changelog.read(self.seen[0], self.gaps, PATCH_LIMIT + 2)
            if self.seen[0] and (self.seen[0], self.seen[1]) not in {(r[0], r[1]) for r in rows}:
                self.build()  # what we saw is gone (a rolled-back test, a restore): rebuild
                return
            changes = [r for r in rows if r[0] > self.seen[0] or r[0] in self.gaps]
            if not changes:
                changelog.note_gaps(self.gaps, self.seen[0], [])
                if counters:
                    self._refresh_counters()
                return
            if len(changes) > PATCH_LIMIT or any(r[2] is None for r in changes):
                self.build()
                return
            self.patch({r[2] for r in changes if r[2] is not None})
            changelog.note_gaps(self.gaps, self.seen[0], changes)
            # Late rows (gaps filled) lie below what was seen: the newest seen only grows.
            self.seen = max([self.seen, *((r[0], r[1]) for r in changes)])
            if len(self.gaps) > changelog.GAP_LIMIT:
                self.build()

    def _refresh_counters(self) -> None:
        # Under a keeper, the master's file (``sharedsorts``) first; this process's own
        # re-read only if it is missing, unusable or not kept up.
        if sharedsorts.shared and sharedsorts.refresh(self, 2 * COUNTER_REFRESH_SECONDS):
            return
        stale = self.stale_counters()
        if stale:
            read_at = time.time()
            self.sorts.update(self.read_counters(stale))
            self.counters_read_at = read_at

    def stale_counters(self) -> list[str]:
        """The counter sorts older than COUNTER_REFRESH_SECONDS or grown lopsided."""
        now = time.monotonic()
        return [
            k
            for k in COUNTER_SORTS
            if now - self.sorts[k].built_at > COUNTER_REFRESH_SECONDS or self.sorts[k].lopsided
        ]

    def read_counters(self, stale: list[str]) -> dict[str, SortIndex]:
        """New sort orders for these counter sorts, read from the database into copies of
        their value arrays: the index itself is not touched, so the caller may do this
        without the lock and swap the result in under it (``keeper``)."""
        columns = [SORT_COLUMNS[k] for k in stale]
        arrays = [_copy(self.sorts[key].value) for key in stale]
        for rows in chunks(f"SELECT id, {', '.join(columns)} FROM works_work"):  # noqa: S608 - constant names
            for n, arr in enumerate(arrays, start=1):
                for row in rows:
                    if row[0] < len(arr):
                        arr[row[0]] = row[n] or 0
        return {key: _sort_index(key, arr) for key, arr in zip(stale, arrays, strict=True)}

    def patch(self, work_ids: set[int]) -> None:
        """Re-read these works (and their tags) and move them in every bitmap."""
        ids = sorted(i for i in work_ids if i is not None)
        if not ids:
            return
        for work_id in ids:
            self._forget(work_id)
        if sharedsorts.shared:  # what a newer shared file must not undo (``sharedsorts.adopt``)
            now = time.time()
            self.patched_at.update((i, now) for i in ids)
        marks = ", ".join(["%s"] * len(ids))
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {', '.join(WORK_COLUMNS)} FROM works_work WHERE id IN ({marks})",  # noqa: S608
                ids,
            )
            rows = cursor.fetchall()
            cursor.execute(
                f"SELECT work_id, tag_id FROM tags_tagging WHERE work_id IN ({marks})",  # noqa: S608
                ids,
            )
            taggings = cursor.fetchall()
            cursor.execute(
                f"SELECT work_id FROM discovery_searchentry WHERE fandom_count > 1 AND work_id IN ({marks})",  # noqa: S608
                ids,
            )
            crossovers = [r[0] for r in cursor.fetchall()]
        values = {key: s.value for key, s in self.sorts.items()}
        for row in rows:
            self._set_work(row, values)
            for key, s in self.sorts.items():
                s.value = values[key]
                s.add(row[0])
        present = {r[0] for r in rows}
        by_work: dict[int, list[int]] = defaultdict(list)
        for work_id, tag_id in taggings:
            by_work[work_id].append(tag_id)
        for work_id in ids:
            tags = tuple(sorted(by_work.get(work_id, ()))) if work_id in present else ()
            self.overlay[work_id] = tags
            for tag_id in tags:
                self.tags.setdefault(tag_id, BitMap()).add(work_id)
        self.flags["crossover"].update(crossovers)

    def _forget(self, work_id: int) -> None:
        if work_id not in self.all:
            self.overlay[work_id] = ()
            return
        for s in self.sorts.values():
            s.discard(work_id)
        for tag_id in self.work_tags(work_id):
            bm = self.tags.get(tag_id)
            if bm is not None:
                bm.discard(work_id)
        for bm in (*self.flags.values(), *self.rating.values(), *self.language.values()):
            bm.discard(work_id)
        self.all.discard(work_id)
        self.overlay[work_id] = ()

    # --- reading ------------------------------------------------------------------------
    def work_tags(self, work_id: int) -> tuple[int, ...] | array:
        if work_id in self.overlay:
            return self.overlay[work_id]
        if work_id + 1 >= len(self.offsets):
            return ()
        return self.flat[self.offsets[work_id] : self.offsets[work_id + 1]]

    def tagged(self, tag_ids: Iterable[int]) -> BitMap:
        found = [self.tags[t] for t in tag_ids if t in self.tags]
        return BitMap.union(*found) if found else BitMap()

    def tag_counts(self, work_ids: Iterable[int]) -> dict[int, int]:
        """How many of ``work_ids`` carry each tag (as written), for the facets.
        ``Counter`` counts in C: the Python loop was a third of the facets' time over a
        1,000-work sample at 1M works (issue 17)."""
        return Counter(chain.from_iterable(map(self.work_tags, work_ids)))

    def _load_tag_info(self) -> None:
        """Every tag's kind, synonym and name, under the current wrangling stamp."""
        stamp = wrangling_stamp()
        if not stamp:
            return
        with connection.cursor() as cursor:
            cursor.execute("SELECT id, kind, synonym_of_id, name FROM tags_tag")
            self._tag_meta = {pk: (kind, syn, name) for pk, kind, syn, name in cursor.fetchall()}
        self._tag_stamp = stamp

    def tag_info(self, ids: list[int]) -> dict[int, tuple[str, int | None, str]]:
        """(kind, synonym_of_id, name) per tag, cached under the tags app's wrangling stamp
        (renames and synonyms change it); not cached before any wrangling has stamped."""
        stamp = wrangling_stamp()
        meta = getattr(self, "_tag_meta", None)
        if not stamp or meta is None or getattr(self, "_tag_stamp", None) != stamp:
            meta = {}
        missing = [i for i in ids if i not in meta]
        with connection.cursor() as cursor:
            for start in range(0, len(missing), 500):
                chunk = missing[start : start + 500]
                cursor.execute(
                    f"SELECT id, kind, synonym_of_id, name FROM tags_tag WHERE id IN ({', '.join(['%s'] * len(chunk))})",  # noqa: S608
                    chunk,
                )
                for pk, kind, syn, name in cursor.fetchall():
                    meta[pk] = (kind, syn, name)
        if stamp:
            self._tag_meta, self._tag_stamp = meta, stamp
        return {i: meta[i] for i in ids if i in meta}


_INDEX: BitmapIndex | None = None
_INDEX_LOCK = threading.Lock()


def get_index(counters: bool = True) -> BitmapIndex:
    """This process's index, up to date with the change log (``counters=False``: not
    re-reading stale counter sorts; see ``BitmapIndex.read_counters``)."""
    global _INDEX
    with _INDEX_LOCK:
        if _INDEX is None:
            _INDEX = BitmapIndex()
    _INDEX.refresh(counters)
    return _INDEX


def reset() -> None:
    """Forget this process's index (tests; after a restore)."""
    global _INDEX
    with _INDEX_LOCK:
        _INDEX = None


def log_changes(work_ids: Iterable[int | None]) -> None:
    """Record changed works for every process's index (None: rebuild everything), and
    move cached pages, facets and these works' blurbs to new keys (``cache.changed``)."""
    ids = list(work_ids)
    made = IndexChange.objects.bulk_create(
        [IndexChange(work_id=i, token=uuid.uuid4().hex) for i in ids]
    )
    changed(ids)
    # Now and then, forget changes older than a day: a process that has not looked for that
    # long finds its last-seen row gone and rebuilds, which is what it should do anyway.
    if made and made[-1].pk and made[-1].pk % 1000 < len(made):
        IndexChange.objects.filter(created_at__lt=timezone.now() - dt.timedelta(days=1)).delete()
