"""The two executors of a search plan (``discovery.plan``): ``sql`` (a ``Q`` over the
database, any plan) and ``bitmap`` (set algebra over the in-process index, for the plans
it can answer). Both return ``Hits``; ``discovery.search`` picks the engine.

What both share lives here: the relevance order (the best RANK_CAP text matches that pass
the filters, best first, then the rest by date updated)."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from typing import Any

from ..backends import get_backend

# Relevance ranks the best RANK_CAP text matches (the engine scores them in one pass);
# the filters then keep those that pass, and any pages beyond follow in date order.
RANK_CAP = 1000
# Facets are counted over at most this many works of the result, in the current order;
# below it (the usual case once a reader has filtered) the counts are exact.
FACET_SAMPLE = 1000

TagInfo = Callable[[list[int]], dict[int, tuple[str, int | None, str]]]


@dataclass
class Hits:
    """One engine's answer to a plan: how many works pass, and readers of the order.

    ``page(start, count)``: ids at [start, start + count) in the plan's order;
    ``seek(after, count)``: for a sort on a value (not relevance), the next ``count`` works
    after ``after`` = (key, last id), or from the start when None, as (id, key) pairs, the
    key being the sort value as a keyset cursor stores it; ``facet_counts()``: per tag as
    written, how many of the first FACET_SAMPLE works in order carry it (date updated for
    relevance); ``tag_info(ids)``: (kind, synonym_of_id, name) of tags, for the facets."""

    total: int
    page: Callable[[int, int], list[int]]
    seek: Callable[[tuple[Any, int] | None, int], list[tuple[int, Any]]]
    facet_counts: Callable[[], dict[int, int]]
    tag_info: TagInfo


def ranked_ids(
    rank_expressions: Sequence[str], matches: int, ids: Collection[int] | None = None
) -> list[int]:
    """The best RANK_CAP text matches, best first; none when the backend would rather not
    score this many matches (PostgreSQL's ts_rank reads every matching document): the
    results then come in date order. ``ids``: every work matching all the expressions
    (before the filters), when the engine has them: the backend may score just those
    rather than evaluate the query again (PostgreSQL does); the order is the same."""
    backend = get_backend()
    cap = getattr(backend, "RANK_MAX_MATCHES", None)
    if cap and matches > cap:
        return []
    expression = backend.and_expressions(list(rank_expressions))
    if ids is not None and getattr(backend, "RANKS_GIVEN_IDS", False):
        return backend.top_ranked(expression, RANK_CAP, matches=matches, ids=ids)
    return backend.top_ranked(expression, RANK_CAP, matches=matches)


def relevance_slice(
    ranked: list[int],
    passing: Callable[[list[int]], Collection[int]],
    by_date: Callable[[list[int], int, int], list[int]],
    start: int,
    count: int,
) -> list[int]:
    """Ids at [start, start + count) in relevance order. ``passing(ids)``: which ranked ids
    pass the filters; ``by_date(skip_ids, offset, count)``: the other passing works, date
    updated descending, from ``offset``."""
    allowed = passing(ranked) if ranked else set()
    order = [i for i in ranked if i in allowed]
    ids = order[start : start + count]
    if len(ids) < count and (len(ranked) >= RANK_CAP or not ranked):
        ids += by_date(order, max(0, start - len(order)), count - len(ids))
    return ids
