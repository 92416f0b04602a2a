"""Indexes dropped for `bench generate`'s bulk load and rebuilt once at its end: one sort per
index instead of an index insert per row.

SQLite: the secondary (non-unique) indexes of the tables the generator fills, with fsync
off and a large page cache for the load. PostgreSQL: the non-unique indexes of the
full-text documents (GIN, RUM, the word pairs of migration discovery/0008), which the
server maintains row by row as each document's tsvector is inserted: at 1M works with them
live, 40,000 works took 18 minutes, against 77 s for each 20,000 once they were dropped
(2026-11-30, both under a load average of about 12). Unique indexes and primary keys always stay: they are
the load's own checks."""

from __future__ import annotations

from django.db import connection

SQLITE_TABLES = (
    "works_work",
    "works_creatorship",
    "tags_tagging",
    "works_chapter",
    "discovery_searchentry",
)
POSTGRES_TABLES = ("discovery_ftsdoc",)


def drop_indexes(vendor: str) -> list[str]:
    """Drop the indexes above on this connection's database; returns the SQL statements
    that rebuild them exactly (on PostgreSQL each index's definition from
    ``pg_get_indexdef``, then any per-column statistics target it had, such as the word-pair
    index's 0). Other databases: nothing dropped, ``[]``."""
    if vendor == "postgresql":
        return _drop_postgres()
    if vendor != "sqlite":
        return []
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA synchronous=OFF")
        cursor.execute("PRAGMA cache_size=-1000000")
        marks = ", ".join(["%s"] * len(SQLITE_TABLES))
        cursor.execute(
            f"SELECT name, sql FROM sqlite_master WHERE type='index' AND sql IS NOT NULL "  # noqa: S608
            f"AND tbl_name IN ({marks}) AND sql NOT LIKE 'CREATE UNIQUE%%'",
            list(SQLITE_TABLES),
        )
        rows = cursor.fetchall()
        for name, _sql in rows:
            cursor.execute(f'DROP INDEX "{name}"')
    return [sql for _name, sql in rows]


def _drop_postgres() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT i.relname, pg_get_indexdef(i.oid),"
            " array(SELECT a.attnum || ':' || a.attstattarget FROM pg_attribute a"
            "       WHERE a.attrelid = i.oid AND a.attnum > 0 AND a.attstattarget >= 0)"
            " FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid"
            " JOIN pg_class t ON t.oid = x.indrelid"
            " WHERE t.relname = ANY(%s) AND NOT x.indisunique AND NOT x.indisprimary",
            [list(POSTGRES_TABLES)],
        )
        rows = cursor.fetchall()
        statements: list[str] = []
        for name, definition, targets in rows:
            statements.append(definition)
            for target in targets:
                column, value = target.split(":")
                statements.append(
                    f'ALTER INDEX "{name}" ALTER COLUMN {int(column)} SET STATISTICS {int(value)}'
                )
            cursor.execute(f'DROP INDEX "{name}"')
    return statements


def rebuild_indexes(vendor: str, statements: list[str]) -> None:
    """Replay what ``drop_indexes`` returned, and on SQLite turn fsync back on."""
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
        if vendor == "sqlite":
            cursor.execute("PRAGMA synchronous=NORMAL")
