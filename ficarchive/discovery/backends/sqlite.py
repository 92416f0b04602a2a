"""The embedded engine: an FTS5 table (rowid = work id), created by migration 0002."""

# SQL here is built from this module's constant table and column names only; every
# value a reader types is passed as a query parameter.
# ruff: noqa: S608

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db import connection

from ..query import Term

TABLE = "discovery_fts"
COLUMNS = ("title", "creators", "tags", "summary", "body")
# bm25 weights per column: a word in the title counts most, in the chapter text least.
WEIGHTS = "10.0, 4.0, 4.0, 2.0, 1.0"


def _term(term: Term) -> str:
    phrase = '"' + " ".join(term.words) + '"'
    return f"title : {phrase}" if term.field == "title" else phrase


def match_expression(clause: Sequence[Term]) -> str:
    parts = [_term(t) for t in clause]
    return parts[0] if len(parts) == 1 else "(" + " OR ".join(parts) + ")"


def and_expressions(expressions: Sequence[str]) -> str:
    return " AND ".join(expressions)


def match_ids_sql() -> str:
    return f"SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH %s"


def match_ids(expression: str) -> list[int]:
    """Ids of the works matching a query text (``match_expression``), in no order."""
    with connection.cursor() as cursor:
        cursor.execute(match_ids_sql(), [expression])
        return [row[0] for row in cursor.fetchall()]


def top_ranked(expression: str, limit: int, matches: int | None = None) -> list[int]:
    """Ids of the best matches, best first (bm25 over all matches, in C, in one pass);
    ``matches`` (a hint other backends use) changes nothing here."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH %s "
            f"ORDER BY bm25({TABLE}, {WEIGHTS}) ASC, rowid DESC LIMIT %s",
            [expression, limit],
        )
        return [row[0] for row in cursor.fetchall()]


def delete(ids: Iterable[int]) -> None:
    ids = list(ids)
    with connection.cursor() as cursor:
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            cursor.execute(
                f"DELETE FROM {TABLE} WHERE rowid IN ({', '.join(['%s'] * len(chunk))})", chunk
            )


def upsert(docs: Sequence[dict]) -> None:
    delete([d["id"] for d in docs])
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {TABLE} (rowid, {', '.join(COLUMNS)}) VALUES (%s, %s, %s, %s, %s, %s)",
            [(d["id"], *(d[c] for c in COLUMNS)) for d in docs],
        )


def insert_new(docs: Sequence[dict]) -> None:
    """Index works that are not in the index yet (bulk loads)."""
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {TABLE} (rowid, {', '.join(COLUMNS)}) VALUES (%s, %s, %s, %s, %s, %s)",
            [(d["id"], *(d[c] for c in COLUMNS)) for d in docs],
        )


def clear() -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE}")


def optimize() -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {TABLE}({TABLE}) VALUES ('optimize')")


def indexed_count() -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {TABLE}")
        return cursor.fetchone()[0]
