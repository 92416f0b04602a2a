"""The rows the bitmap index (``bitmaps``) is built from, read in chunks of ``CHUNK``.

A build reads every work, every tagging and each sort order once. Fetched at once, those
rows outweighed the index several times over (1,071 MB peak RSS at 1M works on PostgreSQL
for a ~150 MB index); streamed, the build holds one chunk of rows besides the index it is
filling. On PostgreSQL the rows come through a server-side cursor (Django's
``chunked_cursor``, what ``QuerySet.iterator()`` uses), opened inside a transaction so it
need not be ``WITH HOLD`` (which would make the server copy the whole result at commit);
SQLite's cursor steps through the result lazily by itself."""

from __future__ import annotations

import datetime as dt
from array import array
from collections.abc import Iterator
from contextlib import nullcontext
from typing import Any

from django.db import connection, transaction

from .sorts import SORT_COLUMNS

# Rows per fetch: large enough that the per-fetch round trip is noise, small enough that a
# chunk (17 columns of Python objects) stays a few tens of MB.
CHUNK = 50_000

WORK_COLUMNS = (
    "id",
    "posted",
    "hidden_by_admin",
    "restricted",
    "(anonymous OR in_anonymous_collection)",  # works.access.is_anonymous
    "in_unrevealed_collection",
    "rating",
    "language",
    "expected_chapters",
    "chapter_count",
    "word_count",
    "revised_at",
    "published_at",
    "kudos_count",
    "comment_count",
    "bookmark_count",
    "hit_count",
)
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_MICRO = dt.timedelta(microseconds=1)


def micros(value: Any) -> int:
    """A datetime column as microseconds since 1970 (UTC); SQLite hands back text."""
    if value is None:
        return 0
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return (value - _EPOCH) // _MICRO


def from_micros(value: int) -> dt.datetime:
    """The aware (UTC) datetime of ``micros``' number."""
    return _EPOCH + value * _MICRO


def chunks(sql: str, params: list | None = None) -> Iterator[list[tuple]]:
    """The rows of one read-only query, ``CHUNK`` at a time (lists of tuples), never all
    at once. The SQL is the caller's constant text; ``params`` are bound."""
    atomic = connection.vendor == "postgresql" and connection.get_autocommit()
    with transaction.atomic() if atomic else nullcontext(), connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while True:
            rows = cursor.fetchmany(CHUNK)
            if not rows:
                return
            yield rows


def max_work_id() -> int:
    """The highest work id (0 for an empty archive): the size the build's arrays start at."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT MAX(id) FROM works_work")
        row = cursor.fetchone()
    return int(row[0] or 0) if row else 0


def ids_in_order(key: str) -> array:
    """Every work id in the database's order for sort ``key`` (``SORT_COLUMNS``), as a flat
    array of 4-byte unsigned ints, what pyroaring reads without a copy and what its 32-bit
    BitMaps hold (2M ids: 8 MB, not the 72 MB of a list of Python ints)."""
    column = SORT_COLUMNS[key]
    out = array("I")
    for rows in chunks(f"SELECT id FROM works_work ORDER BY {column}, id"):  # noqa: S608 - constant names
        out.extend(row[0] for row in rows)
    return out
