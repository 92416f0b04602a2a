"""Reading the ``IndexChange`` log when ids do not commit in id order.

On PostgreSQL a row's id is drawn from a sequence when it is inserted, not when its
transaction commits: writer A takes id 41, writer B takes id 42 and commits first, a
reader sees 42 as the newest row, then A commits 41. Following "everything above the
newest id I saw" would miss 41 for good. So a reader also remembers the **gaps**: ids
below the newest it saw that it has not seen (yet). Each look asks for the rows above
the newest *and* for the gaps; a gap that turns up is applied late, a gap still empty
after ``GAP_SECONDS`` is forgotten (its writer rolled back, or the sequence skipped it:
PostgreSQL sequences are not gap-free).

No writer transaction of the one write path lasts ``GAP_SECONDS``; one that did would
be missed by processes that saw a later id until their next rebuild. SQLite takes the
write lock at BEGIN (``BEGIN IMMEDIATE``), so there ids commit in order and gaps are only
rolled-back writes."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterable

from django.db import connection
from django.utils import timezone

# How long an id below the newest seen stays awaited.
GAP_SECONDS = 120.0
# More awaited ids than this (a storm of rolled-back writes): rebuild instead.
GAP_LIMIT = 2000
# At a build, how far below the newest row to look for ids not committed yet.
TRAIL = 1000

# Ids below the oldest recent row still awaited at a build when older rows were pruned.
SLACK = 50

Row = tuple[int, str, int | None]


def newest() -> tuple[int, str]:
    """(id, token) of the row with the highest id, (0, "") when the log is empty."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, token FROM discovery_indexchange ORDER BY id DESC LIMIT 1")
        row = cursor.fetchone()
    return (row[0], row[1]) if row else (0, "")


def read(seen_id: int, gaps: Iterable[int], limit: int) -> list[Row]:
    """Rows (id, token, work_id) with id >= ``seen_id`` (the seen row itself first, so the
    caller can check it is still there) or id among ``gaps``, in id order; at most
    ``limit`` of the rows above ``seen_id``, all of the gaps."""
    awaited = sorted(gaps)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, token, work_id FROM discovery_indexchange WHERE id >= %s ORDER BY id LIMIT %s",
            [seen_id, limit],
        )
        rows = cursor.fetchall()
        for start in range(0, len(awaited), 500):
            chunk = awaited[start : start + 500]
            cursor.execute(
                "SELECT id, token, work_id FROM discovery_indexchange WHERE id IN ("  # noqa: S608
                + ", ".join(["%s"] * len(chunk))
                + ")",
                chunk,
            )
            rows.extend(cursor.fetchall())
    return sorted({(r[0], r[1], r[2]) for r in rows})


def gaps_at_build(newest_id: int) -> dict[int, float]:
    """The ids below ``newest_id`` a fresh index must still wait for: those missing between
    the newest row older than ``GAP_SECONDS`` (or ``TRAIL`` ids down) and ``newest_id``.
    Values are the monotonic time each gap was first noticed (now)."""
    if not newest_id:
        return {}
    cutoff = timezone.now() - dt.timedelta(seconds=GAP_SECONDS)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, created_at FROM discovery_indexchange WHERE id > %s AND id <= %s",
            [newest_id - TRAIL, newest_id],
        )
        rows = cursor.fetchall()
    # Without an old row in the window (the log was pruned), only ids just below the oldest
    # recent row can still be in flight.
    floor = max(newest_id - TRAIL, min((pk for pk, _ in rows), default=newest_id) - SLACK)
    for pk, created in rows:
        if isinstance(created, str):
            created = dt.datetime.fromisoformat(created)
        if created.tzinfo is None:
            created = created.replace(tzinfo=dt.UTC)
        if created < cutoff:
            floor = max(floor, pk)
    present = {pk for pk, _ in rows}
    now = time.monotonic()
    return {pk: now for pk in range(max(floor + 1, 1), newest_id) if pk not in present}


def note_gaps(gaps: dict[int, float], seen_id: int, rows: list[Row]) -> None:
    """Update ``gaps`` in place after reading ``rows`` (``read``) past ``seen_id``: ids that
    turned up are no longer awaited, ids skipped between ``seen_id`` and the newest row
    now are, and ids awaited longer than ``GAP_SECONDS`` are forgotten."""
    now = time.monotonic()
    present = {r[0] for r in rows}
    for pk in present:
        gaps.pop(pk, None)
    top = max((r[0] for r in rows), default=seen_id)
    for pk in range(seen_id + 1, top):
        if pk not in present:
            gaps.setdefault(pk, now)
    for pk in [pk for pk, since in gaps.items() if now - since > GAP_SECONDS]:
        del gaps[pk]
