"""PostgreSQL's own full-text search: a tsvector per work with a GIN index (migration 0002),
a RUM index (positions in the index: phrases and ranking from it) where the server
has the extension (migration 0006), and a word-pair index (migration 0008): per work, a
tsvector of its adjacent lexeme pairs, so a phrase is answered from the posting lists of
its pairs rather than from the positions of its words.

The 'simple' configuration (lower-casing, no stemming, no stop words) so that PostgreSQL
matches the same words as the embedded FTS5 engine does."""

# SQL here is built from this module's constant table and column names only; every
# value a reader types is passed as a query parameter.
# ruff: noqa: S608

from __future__ import annotations

import functools
import re
from collections.abc import Collection, Iterable, Sequence
from typing import Any

import psycopg
from django.db import connection, transaction

from ..query import Term

TABLE = "discovery_ftsdoc"
# The word pairs of a document, as the GIN index of migration 0008 holds them.
PAIRS = "discovery_word_pairs(document)"
# The lexeme a document too big for its pairs has there instead (migration 0008).
UNPAIRED = "' unpaired'"
CONFIG = "simple"
COLUMNS = ("title", "creators", "tags", "summary", "body")
# PostgreSQL caps a tsvector at 1 MB; the text we index is capped well below that.
# ts_rank reads every matching document: past this many matches, results come by date.
RANK_MAX_MATCHES = 20_000
# top_ranked takes the ids the caller already matched (engines.ranked_ids).
RANKS_GIVEN_IDS = True


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
# top_ranked reads RUM in distance order from this many matches (measured crossover at 1M
# works lies between 3,500 and 10,000), and then this many rows past ``limit``, so that
# works tied on distance at the cut can be put in id order without sorting every match.
RANK_IN_INDEX_ORDER = 5_000
# Given the matched ids (the bitmap engine's), scoring them by primary key stays cheaper
# than RUM's distance order up to the ranking cap: measured at 1M works on the 7 phrases of
# 5,955-18,614 matches among 200 drawn, 40-120 against 90-660 ms of database CPU each
# (docs/benchmarks.md, issue 17, "ranking given ids"); so the ids path has its own limit.
RANK_GIVEN_IDS_BY_KEY = 20_000
RANK_PAD = 64


def has_rum() -> bool:
    """Whether migration 0006 made the RUM index (asked once per database per process)."""
    key = str(connection.settings_dict.get("NAME"))
    if key not in _HAS_RUM:
        with connection.cursor() as cursor:
            cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [RUM_INDEX])
            _HAS_RUM[key] = bool(cursor.fetchone()[0])
    return _HAS_RUM[key]


def _fetch(sql: str, params: Sequence[Any], *, on_rum: bool, ordered: bool = False) -> list:
    """Rows of one statement; ``on_rum``: planned on the full-text indexes (GIN or RUM,
    as PostgreSQL costs them), never a sequential scan.

    PostgreSQL estimates a phrase as if it were an AND of its words (``tsquerysel``): for
    "there will", over half the documents, where 1 % match. It then prefers reading every
    document (detoasting each tsvector: 0.9 s at 50,000 works) to an index. ``ordered``:
    bitmap scans off too, so
    ``ORDER BY document <=> query LIMIT`` walks the index in distance order.

    The settings go in the same round trip as ``SET LOCAL`` before the statement: several
    statements in one simple query run as one transaction (PostgreSQL's protocol), so they
    end with it; inside a caller's transaction they are reset after the statement. With
    server-side binding (one statement per call) the three go one by one."""
    settings = ["enable_seqscan"] + (["enable_bitmapscan"] if ordered else [])
    before = [f"SET LOCAL {s} = off" for s in settings] if on_rum else []
    after = [f"RESET {s}" for s in settings] if on_rum and connection.in_atomic_block else []
    with connection.cursor() as cursor:
        if not before:
            cursor.execute(sql, params)
            return cursor.fetchall()
        if isinstance(cursor.cursor, psycopg.ClientCursor):
            cursor.execute("; ".join([*before, sql, *after]), params)
            for _ in before:
                cursor.cursor.nextset()
            return cursor.fetchall()
        with transaction.atomic(savepoint=False):  # pragma: no cover - server-side binding
            for statement in before:
                cursor.execute(statement)
            cursor.execute(sql, params)
            rows = cursor.fetchall()
            for statement in after:
                cursor.execute(statement)
            return rows


# One operand of tsquery's text output ('lexeme', quotes and backslashes doubled, then
# weights or a prefix mark), or the phrase operator, or anything else.
_TSQUERY_TOKEN = re.compile(r"\s*(?:'((?:[^'\\]|''|\\.)*)'(?::([A-D*]+))?|(<->)|(\S))")
# PostgreSQL's caps: a lexeme of at most 2,047 bytes (MAXSTRLEN); discovery_word_pairs
# leaves out pairs past it, so a phrase holding one is looked up on the documents.
MAX_PAIR_BYTES = 2046


@functools.lru_cache(maxsize=4096)
def _normalized(expression: str) -> str:
    """The query as PostgreSQL reads it (``to_tsquery``'s text): the lexemes the parser
    makes of each quoted word, so the pairs are those of the documents."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT to_tsquery('{CONFIG}', %s)::text", [expression])
        return cursor.fetchone()[0]


def _unescape(lexeme: str) -> str:
    return lexeme.replace("''", "'").replace("\\\\", "\\")


def pair_query(expression: str) -> tuple[str, bool] | None:
    """The word-pair index's query for a match expression that is one phrase of plain
    words, with whether the candidates it finds must still be checked on the document
    (three words and more: the AND of the pairs; a ``title:`` phrase: the weights); None
    for anything else (one word, OR, negation, prefixes), which the document answers.

    Two words: the pair's posting list is exactly the works where the second word's
    position follows the first's, which is what ``<->`` tests (see migration 0008)."""
    tokens = []
    position = 0
    text = _normalized(expression).rstrip()
    while position < len(text):
        token = _TSQUERY_TOKEN.match(text, position)
        if token is None:
            return None
        tokens.append(token)
        position = token.end()
    # lexeme <-> lexeme <-> ... and nothing else
    if any(t.group(3) is None for t in tokens[1::2]) or any(
        t.group(1) is None or "*" in (t.group(2) or "") for t in tokens[0::2]
    ):
        return None
    if len(tokens) % 2 == 0:
        return None
    lexemes = [t.group(1) for t in tokens[0::2]]
    weighted = any(t.group(2) for t in tokens[0::2])
    if len(lexemes) < 2:
        return None
    pairs = list(dict.fromkeys(f"{a} {b}" for a, b in zip(lexemes, lexemes[1:], strict=False)))
    if any(len(_unescape(p).encode()) > MAX_PAIR_BYTES for p in pairs):
        return None
    return " & ".join(f"'{p}'" for p in pairs), weighted or len(lexemes) > 2


def match_sql(expression: str) -> tuple[str, list[str]]:
    """SQL selecting the ids of the works matching a query text, and its parameters.

    A phrase comes from the word-pair index (``pair_query``): the posting lists of its
    pairs, checked on the documents of those candidates only when it has three words or
    more, or weights; unpaired works (migration 0008) are checked on their documents.
    The check is ``ts_match_vq``, ``@@`` as a function: no index can take it, so the few
    candidates' documents are read, never the posting lists of the phrase's words.
    Everything else is ``match_ids_sql``, on the documents' GIN and RUM indexes."""
    pairs = pair_query(expression)
    if pairs is None:
        return match_ids_sql(), [expression]
    pair_expression, check = pairs
    document = f"ts_match_vq(document, to_tsquery('{CONFIG}', %s))"
    paired = f"SELECT work_id FROM {TABLE} WHERE {PAIRS} @@ %s::tsquery"
    checked = f"{paired} AND {document}"  # the pairs' (or the marker's) works, checked
    if check:
        params = [pair_expression, expression, UNPAIRED, expression]
        return f"{checked} UNION ALL {checked}", params
    return f"{paired} UNION ALL {checked}", [pair_expression, UNPAIRED, expression]


def match_ids(expression: str) -> list[int]:
    """Ids of the works matching a query text (``match_expression``), in no order; the
    phrase of two words and more from the word-pair index (``match_sql``)."""
    sql, params = match_sql(expression)
    on_pairs = sql != match_ids_sql()
    return [row[0] for row in _fetch(sql, params, on_rum=on_pairs or has_rum())]


def top_ranked(
    expression: str, limit: int, matches: int | None = None, ids: Collection[int] | None = None
) -> list[int]:
    """Ids of the best ``limit`` matches, best first: by distance, then newest id first.
    ``matches``: about how many works match (the caller's count after its filters; None
    when unknown), which picks how RUM is read; the answer is the same either way.
    ``ids``: every work matching ``expression``, when the caller has them already (the
    bitmap engine's text matches): up to RANK_GIVEN_IDS_BY_KEY of them, they are scored
    by primary key and the query is not evaluated a second time.

    With RUM, ``document <=> query`` (the inverse of ts_rank, weights included):
    - under RANK_IN_INDEX_ORDER matches, the matches found on the index are scored from
      the table and sorted (the index's distance order evaluates the phrase again for each
      match it scores: 1,398 matches of "they called" 99 against 163 ms at 1M works);
    - from there on, read in the index's order, touching the table for the first
      ``limit + RANK_PAD`` only ("each other", 18,614 matches: 114 against 509 ms); the
      index knows no tie order, so ties are put in id order here, and when a tie runs past
      the rows read every match is sorted.
    Without RUM: ``ts_rank`` over every match."""
    query = (
        f"SELECT work_id FROM {TABLE}, to_tsquery('{CONFIG}', %s) query WHERE document @@ query "
    )
    rum = has_rum()
    if ids is not None and (not rum or len(ids) <= RANK_GIVEN_IDS_BY_KEY):
        if not ids:
            return []
        score = "document <=> query" if rum else "-ts_rank(document, query)"
        rows = _fetch(
            f"SELECT work_id FROM {TABLE}, to_tsquery('{CONFIG}', %s) query "
            f"WHERE work_id = ANY(%s) ORDER BY {score}, work_id DESC LIMIT %s",
            [expression, sorted(ids), limit],
            on_rum=True,
        )
        return [row[0] for row in rows]
    if ids is not None:
        matches = len(ids)
    if not rum or matches is None or matches < RANK_IN_INDEX_ORDER:
        order = (
            "ORDER BY document <=> query, work_id DESC LIMIT %s"
            if rum
            else "ORDER BY ts_rank(document, query) DESC, work_id DESC LIMIT %s"
        )
        return [row[0] for row in _fetch(query + order, [expression, limit], on_rum=rum)]
    rows = _fetch(
        query.replace("SELECT work_id", "SELECT work_id, document <=> query", 1)
        + "ORDER BY document <=> query LIMIT %s",
        [expression, limit + RANK_PAD],
        on_rum=True,
        ordered=True,
    )
    if len(rows) == limit + RANK_PAD:
        # Rows at the last distance read may have tied rows not read: every row before
        # them is in, and only that many are sure.
        last = rows[-1][1]
        rows = [r for r in rows if r[1] < last]
        if len(rows) < limit:
            order = "ORDER BY document <=> query, work_id DESC LIMIT %s"
            return [row[0] for row in _fetch(query + order, [expression, limit], on_rum=True)]
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
    """Write these works' documents (their word pairs follow in the index of migration
    0008), in the caller's transaction."""
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
