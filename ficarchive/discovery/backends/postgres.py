"""PostgreSQL's own full-text search: a tsvector per work with a GIN index (migration 0002),
or, where the server has the extension, a RUM index in its place (migrations 0006 and
0008: positions in the index, so phrases and ranking are answered from it).

The 'simple' configuration (lower-casing, no stemming, no stop words) so that PostgreSQL
matches the same words as the embedded FTS5 engine does."""

# SQL here is built from this module's constant table and column names only; every
# value a reader types is passed as a query parameter.
# ruff: noqa: S608

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager

from django.db import connection, transaction

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
# top_ranked reads this many rows past ``limit`` in the index's order, so that works tied
# on distance at the cut can be put in id order without sorting every match.
RANK_PAD = 64


def has_rum() -> bool:
    """Whether migration 0006 made the RUM index (asked once per database per process)."""
    key = str(connection.settings_dict.get("NAME"))
    if key not in _HAS_RUM:
        with connection.cursor() as cursor:
            cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [RUM_INDEX])
            _HAS_RUM[key] = bool(cursor.fetchone()[0])
    return _HAS_RUM[key]


@contextmanager
def _on_rum_index(cursor, *, ordered: bool = False) -> Iterator[None]:
    """Run the statements inside on the RUM index, not a sequential scan.

    PostgreSQL estimates a phrase as if it were an AND of its words (``tsquerysel``): for
    "there will", over half the documents, where 1 % match. It then prefers reading every
    document (detoasting each tsvector: 0.9 s at 50,000 works) to the index, which answers
    the phrase from its positions in milliseconds. ``ordered``: also no bitmap scan, so
    ``ORDER BY document <=> query LIMIT`` walks the index in distance order rather than
    scoring every match from the table. The settings are local to a transaction (a
    savepoint inside a caller's) and put back before it goes on."""
    if not has_rum():
        yield
        return
    settings = ["enable_seqscan"] + (["enable_bitmapscan"] if ordered else [])
    with transaction.atomic(savepoint=False):
        cursor.execute(
            "SELECT "
            + ", ".join(f"current_setting('{s}')" for s in settings)
            + ", "
            + ", ".join(f"set_config('{s}', 'off', true)" for s in settings)
        )
        before = cursor.fetchone()[: len(settings)]
        yield
        cursor.execute(
            "SELECT " + ", ".join(f"set_config('{s}', %s, true)" for s in settings), list(before)
        )


def match_ids(expression: str) -> list[int]:
    """Ids of the works matching a query text (``match_expression``), in no order."""
    with connection.cursor() as cursor, _on_rum_index(cursor):
        cursor.execute(match_ids_sql(), [expression])
        return [row[0] for row in cursor.fetchall()]


def top_ranked(expression: str, limit: int) -> list[int]:
    """Ids of the best ``limit`` matches, best first: by distance, then newest id first.

    With RUM: ``document <=> query`` (the inverse of ts_rank, weights included) read in
    the index's order, which scores each match from the positions in the index and reads
    the table for the first ``limit + RANK_PAD`` only; the index knows no tie order, so
    ties are put in id order here, and when a tie runs past the rows read, every match is
    sorted as without RUM. Without RUM: ``ts_rank`` over every match."""
    query = (
        f"SELECT work_id FROM {TABLE}, to_tsquery('{CONFIG}', %s) query WHERE document @@ query "
    )
    if not has_rum():
        with connection.cursor() as cursor:
            cursor.execute(
                query + "ORDER BY ts_rank(document, query) DESC, work_id DESC LIMIT %s",
                [expression, limit],
            )
            return [row[0] for row in cursor.fetchall()]
    with connection.cursor() as cursor, _on_rum_index(cursor, ordered=True):
        cursor.execute(
            query.replace("SELECT work_id", "SELECT work_id, document <=> query", 1)
            + "ORDER BY document <=> query LIMIT %s",
            [expression, limit + RANK_PAD],
        )
        rows = cursor.fetchall()
    if len(rows) == limit + RANK_PAD:
        # Rows at the last distance read may have tied rows not read: every row before
        # them is in, and only that many are sure.
        last = rows[-1][1]
        rows = [r for r in rows if r[1] < last]
        if len(rows) < limit:
            with connection.cursor() as cursor, _on_rum_index(cursor):
                cursor.execute(
                    query + "ORDER BY document <=> query, work_id DESC LIMIT %s",
                    [expression, limit],
                )
                return [row[0] for row in cursor.fetchall()]
    rows.sort(key=lambda r: (r[1], -r[0]))
    return [r[0] for r in rows[:limit]]


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
