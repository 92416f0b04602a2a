"""Read the archive's database into the operating system's page cache ("warming").

After a reboot the page cache is empty and every request that touches a row no earlier
request read waits on the disk: at 1M works on PostgreSQL a common two-word phrase
search took 970 ms at p95 cold against 85 ms warm (docs/benchmarks.md). Servers whose
memory holds the database reach the warm state by themselves, slowly, request by
request; ``ficarchive warm`` gets there in seconds, the way MySQL's
``innodb_buffer_pool_load_at_startup`` or PostgreSQL's ``pg_prewarm`` module do.

- SQLite: the database file (and its write-ahead log) are read through once, after a
  ``posix_fadvise(WILLNEED)`` hint.
- PostgreSQL: the ``pg_prewarm`` contrib module (part of Debian's ``postgresql-15``)
  prefetches each of the archive's tables and indexes into the server's page cache
  (mode ``prefetch``: the operating system's cache, not ``shared_buffers``, so nothing
  the server chose to keep is pushed out). The extension is created if missing; a role
  that may not create it gets :class:`WarmError`.

Relations are warmed indexes first, then tables from the smallest up, so that when the
database is larger than the budget the parts every request uses (indexes, tags, work
rows) are in memory and the large chapter texts are what is left out.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

from django.db import connection
from django.db.utils import DatabaseError

CHUNK_BYTES = 1 << 20


class WarmError(Exception):
    """The database cannot be warmed (e.g. ``pg_prewarm`` unavailable); one line."""


@dataclass
class WarmResult:
    """What one warming did: ``bytes`` read (or prefetched), over ``relations`` files or
    relations, in ``seconds``; ``skipped_bytes`` left out by the budget."""

    database: str
    method: str
    relations: int
    bytes: int
    skipped_bytes: int
    seconds: float

    def as_json(self) -> dict:
        return {
            "database": self.database,
            "method": self.method,
            "relations": self.relations,
            "bytes": self.bytes,
            "skipped_bytes": self.skipped_bytes,
            "seconds": round(self.seconds, 2),
        }


def default_budget_bytes() -> int:
    """Half of the memory the kernel reports available (``MemAvailable`` in
    /proc/meminfo), in bytes; 1 GiB where that file does not exist."""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * 1024 // 2
    except OSError:
        pass
    return 1 << 30


def warm_database(budget_bytes: int | None = None) -> WarmResult:
    """Warm the default database within ``budget_bytes`` (default
    :func:`default_budget_bytes`). Raises :class:`WarmError` with a one-line reason."""
    budget = default_budget_bytes() if budget_bytes is None else max(0, budget_bytes)
    started = time.perf_counter()
    if connection.vendor == "sqlite":
        method, count, done, skipped = "read", *_warm_sqlite(budget)
    elif connection.vendor == "postgresql":
        method, count, done, skipped = "pg_prewarm", *_warm_postgres(budget)
    else:
        raise WarmError(f"warming is not supported on {connection.vendor}")
    return WarmResult(
        database=connection.vendor,
        method=method,
        relations=count,
        bytes=done,
        skipped_bytes=skipped,
        seconds=time.perf_counter() - started,
    )


def _warm_sqlite(budget: int) -> tuple[int, int, int]:
    name = str(connection.settings_dict["NAME"])
    if name == ":memory:" or name.startswith("file:"):
        raise WarmError("an in-memory SQLite database has nothing to warm")
    paths = [Path(p) for p in (name, f"{name}-wal") if Path(p).exists()]
    if not paths:
        raise WarmError(f"no database file at {name}")
    count = done = skipped = 0
    for path in paths:
        size = path.stat().st_size
        allowed = min(size, budget - done)
        skipped += size - allowed
        if allowed <= 0:
            continue
        with path.open("rb", buffering=0) as fh:
            if hasattr(os, "posix_fadvise"):
                os.posix_fadvise(fh.fileno(), 0, allowed, os.POSIX_FADV_WILLNEED)
            left = allowed
            while left > 0:
                chunk = fh.read(min(CHUNK_BYTES, left))
                if not chunk:
                    break
                left -= len(chunk)
                done += len(chunk)
        count += 1
    return count, done, skipped


# Every relation of the archive's schema with its size in bytes and whether it is an
# index, in one query: tables, indexes and materialized views, and each table's TOAST
# table (its long values, relkind 't').
_RELATIONS_SQL = """
SELECT c.oid, pg_relation_size(c.oid) AS size, c.relkind = 'i' AS is_index
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'i', 'm')
UNION ALL
SELECT t.oid, pg_relation_size(t.oid), false
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_class t ON t.oid = c.reltoastrelid
WHERE n.nspname = current_schema() AND c.relkind = 'r'
"""


def warm_order(rows: list[tuple[int, int, bool]]) -> list[tuple[int, int]]:
    """The relations ``(oid, size_bytes, is_index)`` in the order they are warmed:
    indexes first, then tables (with their TOAST data), each from the smallest up; as
    ``(oid, size_bytes)`` pairs."""
    ordered = sorted(rows, key=lambda r: (not r[2], r[1]))
    return [(oid, size) for oid, size, _is_index in ordered]


def _warm_postgres(budget: int) -> tuple[int, int, int]:
    with connection.cursor() as cur:
        try:
            cur.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_prewarm'")
            if cur.fetchone() is None:
                cur.execute("CREATE EXTENSION IF NOT EXISTS pg_prewarm")
        except DatabaseError as exc:
            reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise WarmError(f"pg_prewarm is not available: {reason}") from exc
        cur.execute(_RELATIONS_SQL)
        count = done = skipped = 0
        for oid, size in warm_order(cur.fetchall()):
            if size == 0:
                continue
            if done + size > budget:
                skipped += size
                continue
            cur.execute("SELECT pg_prewarm(%s::regclass, 'prefetch')", [oid])
            done += size
            count += 1
    return count, done, skipped
