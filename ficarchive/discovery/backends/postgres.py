"""PostgreSQL's own full-text search: a tsvector per work with a GIN index (migration 0002),
and a RUM index (positions in the index: phrases and ranking from it) where the server
has the extension (migration 0006).

The 'simple' configuration (lower-casing, no stemming, no stop words) so that PostgreSQL
matches the same words as the embedded FTS5 engine does."""

# SQL here is built from this module's constant table and column names only; every
# value a reader types is passed as a query parameter.
# ruff: noqa: S608

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db import connection

from ..query import Term

TABLE = "discovery_ftsdoc"
CONFIG = "simple"
COLUMNS = ("title", "creators", "tags", "summary", "body")
# PostgreSQL caps a tsvector at 1 MB; the text we index is capped well below that.
# ts_rank reads every matching document: past this many matches, results come by date.
RANK_MAX_MATCHES = 20_000


def _term(term: Term) -> str:
    weight = ":A" if term.field == "title" else ""
    parts = [f"'{w}'{weight}" for w in term.words]
    return parts[0] if len(parts) == 1 else "(" + " <-> ".join(parts) + ")"


def match_expression(clause: Sequence[Term]) -> str:
    parts = [_term(t) for t in clause]
    return parts[0] if len(parts) == 1 else "(" + " | ".join(parts) + ")"


def and_expressions(expressions: Sequence[str]) -> str:
    return " & ".join(expressions)


def match_ids_sql() -> str:
    return f"SELECT work_id FROM {TABLE} WHERE document @@ to_tsquery('{CONFIG}', %s)"


RUM_INDEX = "discovery_ftsdoc_rum"
_HAS_RUM: dict[str, bool] = {}


def has_rum() -> bool:
    """Whether migration 0006 made the RUM index (asked once per database per process)."""
    key = str(connection.settings_dict.get("NAME"))
    if key not in _HAS_RUM:
        with connection.cursor() as cursor:
            cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [RUM_INDEX])
            _HAS_RUM[key] = bool(cursor.fetchone()[0])
    return _HAS_RUM[key]


def top_ranked(expression: str, limit: int) -> list[int]:
    """Ids of the best matches, best first. With RUM, ordered by the index's distance
    (``<=>``, the inverse of its rank, weights included), reading only the best
    ``limit`` matches; else ``ts_rank`` over every match."""
    order = (
        "document <=> query, work_id DESC"
        if has_rum()
        else "ts_rank(document, query) DESC, work_id DESC"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT work_id FROM {TABLE}, to_tsquery('{CONFIG}', %s) query WHERE document @@ query "
            f"ORDER BY {order} LIMIT %s",
            [expression, limit],
        )
        return [row[0] for row in cursor.fetchall()]


_DOCUMENT = (
    f"setweight(to_tsvector('{CONFIG}', %s), 'A') || setweight(to_tsvector('{CONFIG}', %s), 'B') || "
    f"setweight(to_tsvector('{CONFIG}', %s), 'B') || setweight(to_tsvector('{CONFIG}', %s), 'C') || "
    f"setweight(to_tsvector('{CONFIG}', %s), 'D')"
)


def delete(ids: Iterable[int]) -> None:
    ids = list(ids)
    if ids:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {TABLE} WHERE work_id = ANY(%s)", [ids])


def upsert(docs: Sequence[dict]) -> None:
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {TABLE} (work_id, document) VALUES (%s, {_DOCUMENT}) "
            "ON CONFLICT (work_id) DO UPDATE SET document = EXCLUDED.document",
            [(d["id"], *(d[c] for c in COLUMNS)) for d in docs],
        )


def clear() -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {TABLE}")


def optimize() -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {TABLE}")


def indexed_count() -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {TABLE}")
        return cursor.fetchone()[0]
