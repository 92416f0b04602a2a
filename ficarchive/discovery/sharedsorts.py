"""The counter sorts (kudos, comments, bookmarks, hits) in one memory-mapped file, shared by
every worker of a server instead of re-read into each worker's own memory.

Kudos, hits, comments and bookmarks change without a hook in the index (``bitmaps``), so
their orders are re-read every COUNTER_REFRESH_SECONDS. Re-read in every worker, the new
value arrays and buckets are that worker's own pages (60–80 MB a worker at 1.5M works): a
worker's memory was flat right after the fork but not five minutes later. Now the gunicorn
master's keeper (``keeper.refresh_once``) reads them once, writes them here, and every
process maps the file read-only (``numpy.memmap``): the pages are the kernel's page cache,
counted once however many workers map them.

The file, ``FICARCHIVE_HOME/index/counter-sorts-<database>.bin``, written to a temporary
name, flushed and renamed over the old one (a reader sees the old file or the new, never
half of one; a process that mapped the old one keeps it until it lets go):

    header: 16 little-endian int64 (MAGIC, VERSION, size, count, read_at in microseconds
            since 1970, number of sorts, checksum of the header, 0 ...)
    per sort in COUNTER_SORTS order:
            value   int64[size]   each work id's counter (0 for ids without a work)
            sorted  int64[count]  the counters in (value, id) order
            order   uint32[count] the work ids in (value, id) order (padded to 8 bytes)
    trailer: MAGIC as one int64

``SharedSort`` answers what ``bitmaps.SortIndex`` answers (``page``, ``between``,
``value[i]``) from the mapped arrays plus a small private overlay of the works this
process patched after the file was read (``moved``): their values come from the overlay
and they are merged into each page, so the order equals a fresh (value, id) sort of the
same values."""

from __future__ import annotations

import hashlib
import logging
import os
import time
from array import array
from collections.abc import Iterable
from pathlib import Path

import numpy as np
from django.conf import settings
from django.db import connection
from pyroaring import BitMap

from .bitmaprows import chunks
from .sorts import SORT_COLUMNS

log = logging.getLogger("ficarchive")

MAGIC = 0x31534F5343414946  # b"FIACSOS1" little-endian
VERSION = 1
HEADER = 16
COUNTER_SORTS = ("kudos", "comments", "bookmarks", "hits")

# Set in the gunicorn master by ``keeper.start`` and inherited by every worker it forks:
# a keeper writes the file, so workers read it instead of the database.
shared = False


class CorruptFile(ValueError):
    """The file is not a complete counter-sorts file of this version."""


def path() -> Path:
    """This database's file (two databases under one FICARCHIVE_HOME never share one)."""
    s = connection.settings_dict
    name = f"{connection.vendor}:{s.get('HOST')}:{s.get('PORT')}:{s.get('NAME')}"
    digest = hashlib.sha256(name.encode()).hexdigest()[:12]
    return Path(settings.FICARCHIVE_HOME) / "index" / f"counter-sorts-{digest}.bin"


def _header_sum(head: np.ndarray) -> int:
    return int(np.bitwise_xor.reduce(head[:6] * np.arange(1, 7, dtype=np.int64)))


def _pad(n: int) -> int:
    return (n + 1) // 2 * 2  # uint32 entries up to a whole number of int64s


def read_database() -> tuple[int, dict[str, np.ndarray], np.ndarray, float]:
    """(size, value arrays by sort, work ids, read_at wall time) read from the database in
    chunks; ``read_at`` is taken before the read starts."""
    read_at = time.time()
    keys = list(COUNTER_SORTS)
    columns = ", ".join(SORT_COLUMNS[k] for k in keys)
    parts: list[np.ndarray] = []
    for rows in chunks(f"SELECT id, {columns} FROM works_work"):  # noqa: S608 - constant names
        parts.append(np.array([tuple(v or 0 for v in r) for r in rows], dtype=np.int64))
    table = np.concatenate(parts) if parts else np.zeros((0, len(keys) + 1), dtype=np.int64)
    ids = table[:, 0]
    size = int(ids.max()) + 1 if len(ids) else 1
    values = {}
    for n, key in enumerate(keys, start=1):
        arr = np.zeros(size, dtype=np.int64)
        arr[ids] = table[:, n]
        values[key] = arr
    return size, values, ids, read_at


def write(target: Path | None = None) -> Path:
    """Read the counters from the database and write the file atomically (``write_arrays``).
    Returns its path. Errors (database, disk) propagate; the old file stays as it was."""
    size, values, ids, read_at = read_database()
    return write_arrays(target or path(), size, values, ids, read_at)


def write_arrays(
    target: Path, size: int, values: dict[str, np.ndarray], ids: np.ndarray, read_at: float
) -> Path:
    """Write the file from value arrays (int64[size] by sort key) and the work ids: to a
    temporary name, fsync, rename over ``target``."""
    count = len(ids)
    head = np.zeros(HEADER, dtype=np.int64)
    head[:6] = (MAGIC, VERSION, size, count, int(read_at * 1e6), len(COUNTER_SORTS))
    head[6] = _header_sum(head)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f"{target.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as out:
            out.write(head.tobytes())
            for key in COUNTER_SORTS:
                value = np.ascontiguousarray(values[key], dtype=np.int64)
                # (value, id) order: lexsort's last key is the primary one.
                order = ids[np.lexsort((ids, value[ids]))]
                out.write(value.tobytes())
                out.write(value[order].tobytes())
                padded = np.zeros(_pad(count), dtype=np.uint32)
                padded[:count] = order
                out.write(padded.tobytes())
            out.write(np.array([MAGIC], dtype=np.int64).tobytes())
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    return target


def stamp(target: Path | None = None) -> tuple[int, int, int] | None:
    """(inode, size, mtime_ns) of the file, None if there is none: cheap enough to ask on
    every request."""
    try:
        st = (target or path()).stat()
    except OSError:
        return None
    return (st.st_ino, st.st_size, st.st_mtime_ns)


def load(target: Path | None = None) -> tuple[float, dict[str, SharedSort]]:
    """(read_at, SharedSort by key) mapped from the file. Raises FileNotFoundError if it is
    missing and CorruptFile if it is not a whole file of this version."""
    target = target or path()
    head = np.fromfile(target, dtype=np.int64, count=HEADER)
    if len(head) < HEADER or head[0] != MAGIC or head[1] != VERSION or head[6] != _header_sum(head):
        raise CorruptFile(f"{target}: bad header")
    size, count, read_at_us, nkeys = (int(x) for x in head[2:6])
    if nkeys != len(COUNTER_SORTS) or size < 1 or count < 0 or count > size:
        raise CorruptFile(f"{target}: bad counts")
    per_key = 8 * size + 8 * count + 4 * _pad(count)
    expected = 8 * HEADER + len(COUNTER_SORTS) * per_key + 8
    if target.stat().st_size != expected:
        raise CorruptFile(f"{target}: {target.stat().st_size} bytes, expected {expected}")
    tail = np.memmap(target, dtype=np.int64, mode="r", offset=expected - 8, shape=(1,))
    if tail[0] != MAGIC:
        raise CorruptFile(f"{target}: bad trailer")
    sorts = {}
    offset = 8 * HEADER
    for key in COUNTER_SORTS:
        value = np.memmap(target, dtype=np.int64, mode="r", offset=offset, shape=(size,))
        offset += 8 * size
        ordered = np.memmap(target, dtype=np.int64, mode="r", offset=offset, shape=(count,))
        offset += 8 * count
        order = np.memmap(target, dtype=np.uint32, mode="r", offset=offset, shape=(count,))
        offset += 4 * _pad(count)
        # Spot checks that cost nothing: the ends of the order agree with the values.
        if count and (ordered[0] > ordered[-1] or value[order[-1]] != ordered[-1]):
            raise CorruptFile(f"{target}: {key} out of order")
        sorts[key] = SharedSort(value, ordered, order)
    return read_at_us / 1e6, sorts


def _bitmap(ids: np.ndarray) -> BitMap:
    """A BitMap of a uint32 array without iterating it in Python."""
    return BitMap(array("I", np.ascontiguousarray(ids, dtype=np.uint32).tobytes()))


class _Values:
    """``value[i]`` of a SharedSort: the overlay first, then the mapped array (0 past it).
    Assignments go to the overlay (the index's patch writes through this)."""

    def __init__(self, base: np.ndarray):
        self.base = base
        self.over: dict[int, int] = {}

    def __getitem__(self, work_id: int) -> int:
        found = self.over.get(work_id)
        if found is not None:
            return found
        return int(self.base[work_id]) if work_id < len(self.base) else 0

    def __setitem__(self, work_id: int, value: int) -> None:
        self.over[work_id] = int(value)

    def __len__(self) -> int:
        return 2**32  # every 32-bit id has a value: the index's patch never grows this

    def to_array(self) -> array:
        """A private copy as the flat array a ``bitmaps.SortIndex`` holds."""
        out = array("q", np.ascontiguousarray(self.base).tobytes())
        top = max(self.over, default=-1) + 1
        if top > len(out):
            out.frombytes(bytes(8 * (top - len(out))))
        for work_id, v in self.over.items():
            out[work_id] = v
        return out


class SharedSort:
    """A counter sort over the mapped file: ``bitmaps.SortIndex``'s interface."""

    itemsize = 8

    def __init__(self, value: np.ndarray, ordered: np.ndarray, order: np.ndarray):
        self.value = _Values(value)
        self.ordered = ordered
        self.order = order
        self.members = _bitmap(order)  # private, but tiny: ids are nearly contiguous
        self.moved = BitMap()  # patched here after the file was read: value in the overlay
        self.built_at = time.monotonic()
        self.lopsided = False
        self.buckets: list[BitMap] = []

    def discard(self, work_id: int) -> None:
        self.moved.add(work_id)

    def add(self, work_id: int) -> None:
        self.moved.add(work_id)

    def carry(self, values: dict[int, int]) -> None:
        """Take these (work id → value) as patched here after the file was read."""
        for work_id, v in values.items():
            self.value[work_id] = v
            self.moved.add(work_id)

    def _base_in_order(self, base: BitMap) -> np.ndarray:
        """The ids of ``base`` (all members, none moved) in ascending (value, id) order."""
        ids = np.frombuffer(base.to_array(), dtype=np.uint32)
        if len(ids) * 16 < len(self.order):
            # A small result: sort its own values (r log r) rather than scan the order.
            return ids[np.lexsort((ids, self.value.base[ids]))]
        mask = np.zeros(len(self.value.base), dtype=bool)
        mask[ids] = True
        return self.order[mask[self.order]]

    def page(self, result: BitMap, start: int, count: int, descending: bool) -> list[int]:
        """Ids at positions [start, start + count) of the result in this order."""
        if count <= 0 or not result:
            return []
        extra = (result - self.members) | (result & self.moved)
        ordered = self._base_in_order(result - extra)
        if descending:
            ordered = ordered[::-1]
        end = start + count
        if not extra:
            return [int(i) for i in ordered[start:end]]
        # An extra can only push base ids later: the page lies in the base's first `end`
        # ids and the extras, sorted together.
        value = self.value
        items = [(value[int(i)], int(i)) for i in ordered[:end]]
        items += [(value[i], i) for i in extra]
        items.sort(reverse=descending)
        return [i for _, i in items[start:end]]

    def between(self, low: int | None, high: int | None) -> BitMap:
        """Works whose value lies in [low, high] (None: unbounded)."""
        lo = 0 if low is None else np.searchsorted(self.ordered, low, side="left")
        hi = (
            len(self.ordered) if high is None else np.searchsorted(self.ordered, high, side="right")
        )
        out = _bitmap(self.order[lo:hi]) - self.moved
        lo_v = -(2**63) if low is None else low
        hi_v = 2**63 - 1 if high is None else high
        out.update(
            i for i in self.moved if i in self.value.over and lo_v <= self.value.over[i] <= hi_v
        )
        return out


def patched_values(sort: object, ids: Iterable[int]) -> dict[int, int]:
    """The current values of these works in a sort (a SortIndex or a SharedSort)."""
    value = sort.value  # type: ignore[attr-defined]
    return {i: int(value[i]) for i in ids if i < len(value)}


def adopt(index: object, read_at: float, sorts: dict[str, SharedSort]) -> None:
    """Swap these mapped sorts into a ``bitmaps.BitmapIndex``. Works this process patched
    after the file's read began keep their patched values (the patch read the database
    later than the file did); earlier patches are superseded by the file."""
    with index.lock:  # type: ignore[attr-defined]
        patched_at: dict[int, float] = index.patched_at  # type: ignore[attr-defined]
        keep = [i for i, t in patched_at.items() if t >= read_at]
        for key, sort in sorts.items():
            sort.carry(patched_values(index.sorts[key], keep))  # type: ignore[attr-defined]
        index.sorts.update(sorts)  # type: ignore[attr-defined]
        index.counters_read_at = read_at  # type: ignore[attr-defined]
        index.patched_at = {i: patched_at[i] for i in keep}  # type: ignore[attr-defined]


_seen: tuple[int, int, int] | None = None
_bad: tuple[int, int, int] | None = None
_warned: object = None


def _warn_once(key: object, message: str, *args: object) -> None:
    global _warned
    if _warned != key:
        _warned = key
        log.warning(message, *args)


def refresh(index: object, patience: float) -> bool:
    """In a worker under a keeper: adopt the shared file if it is newer than this index's
    counter sorts. True when they are taken care of (adopted, or still within ``patience``
    seconds of their read); False when this process must re-read them itself, as without a
    keeper: the file is missing, unusable, or older than ``patience`` (logged once for
    each state of the file)."""
    global _seen, _bad
    current = stamp()
    if current is None:
        _warn_once(
            ("missing", index), "counter sorts: no file at %s; reading them in this process", path()
        )
        return False
    if current == _bad:
        return False
    if current != _seen:
        try:
            read_at, sorts = load()
        except (OSError, ValueError) as exc:
            _bad = current
            _warn_once(current, "counter sorts: %s; reading them in this process", exc)
            return False
        _seen = current
        if read_at > index.counters_read_at:  # type: ignore[attr-defined]
            adopt(index, read_at, sorts)
            return True
    if time.time() - index.counters_read_at <= patience:  # type: ignore[attr-defined]
        return True
    _warn_once(
        ("old", current), "counter sorts: %s not renewed; reading them in this process", path()
    )
    return False
