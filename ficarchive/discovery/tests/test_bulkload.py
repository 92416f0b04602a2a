"""`bench generate`'s bulk load drops indexes and puts back exactly what it dropped."""

from __future__ import annotations

import pytest
from django.db import connection

from ficarchive.discovery.bench import bulkload

pytestmark = pytest.mark.django_db(transaction=True)


def _indexes() -> dict[str, str]:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%s)",
                [list(bulkload.POSTGRES_TABLES)],
            )
        else:
            marks = ", ".join(["%s"] * len(bulkload.SQLITE_TABLES))
            cursor.execute(
                f"SELECT name, sql FROM sqlite_master WHERE type='index' AND tbl_name IN ({marks})",  # noqa: S608
                list(bulkload.SQLITE_TABLES),
            )
        return dict(cursor.fetchall())


def _statistics_targets() -> dict[str, list[int]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT i.relname, array(SELECT a.attstattarget FROM pg_attribute a"
            " WHERE a.attrelid = i.oid AND a.attnum > 0 ORDER BY a.attnum)"
            " FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid"
            " JOIN pg_class t ON t.oid = x.indrelid WHERE t.relname = ANY(%s)",
            [list(bulkload.POSTGRES_TABLES)],
        )
        return dict(cursor.fetchall())


def test_dropped_indexes_come_back_as_they_were():
    """Every non-unique index of the loaded tables is gone during the load, the unique ones
    stay, and after the rebuild the definitions are identical; on PostgreSQL the word-pair
    index keeps its statistics target of 0 (migration discovery/0008)."""
    before = _indexes()
    targets = _statistics_targets() if connection.vendor == "postgresql" else {}
    statements = bulkload.drop_indexes(connection.vendor)
    assert statements
    during = _indexes()
    dropped = set(before) - set(during)
    assert dropped and all("UNIQUE" not in (before[name] or "").upper() for name in dropped)
    if connection.vendor == "sqlite":
        # Left in place: unique indexes and SQLite's own (sql NULL) for UNIQUE constraints.
        assert all(sql is None or "UNIQUE" in sql.upper() for sql in during.values())
    if connection.vendor == "postgresql":
        assert {"discovery_ftsdoc_gin", "discovery_ftsdoc_pairs"} <= dropped
        assert set(during) == {"discovery_ftsdoc_pkey"}
    bulkload.rebuild_indexes(connection.vendor, statements)
    assert _indexes() == before
    if connection.vendor == "postgresql":
        assert _statistics_targets() == targets
        assert targets["discovery_ftsdoc_pairs"] == [0]
