"""The bitmap engine: a search plan as set algebra over the in-process index
(``discovery.bitmaps``), the fast path production runs by default.

It answers the same works in the same order as the SQL engine for every plan
``can_answer`` accepts: any filter, mute, tag closure and text clause, sorted by a
``Work`` column or by relevance. It leaves to the SQL engine what its index does not hold
exactly: title and creator sorts, and query terms on counters (kudos, hits, comments,
bookmarks, chapters), whose values it refreshes for sorting only now and then."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from pyroaring import BitMap

from .. import bitmaps
from ..backends import get_backend
from ..plan import Cond, Plan, reader_ids
from ..sorts import DATE_SORTS, SORT_COLUMNS
from . import FACET_SAMPLE, Hits, ranked_ids, relevance_slice

_EXACT_RANGES = {"words"}  # numeric query fields the index holds exactly


def enabled() -> bool:
    """Is the bitmap engine on (settings.DISCOVERY_BITMAPS, FICARCHIVE_BITMAPS)?"""
    return bitmaps.enabled()


def can_answer(plan: Plan) -> bool:
    """True when this engine gives the SQL engine's answer for the plan."""
    if plan.sort not in SORT_COLUMNS and plan.sort != "relevance":
        return False
    return all(
        c.kind != "range" or c.value in _EXACT_RANGES for clause in plan.clauses for c in clause
    )


def _union(maps: Iterable[BitMap | None]) -> BitMap:
    found = [m for m in maps if m is not None]
    return BitMap.union(*found) if found else BitMap()


def _text_matches(expr: str, seen: dict[str, BitMap] | None = None) -> BitMap:
    """The works matching a match expression; ``seen`` keeps each expression's answer
    for the rest of the search (relevance ranks those same ids: ``_rank_candidates``)."""
    if seen is None:
        return BitMap(get_backend().match_ids(expr))
    if expr not in seen:
        seen[expr] = BitMap(get_backend().match_ids(expr))
    return seen[expr]


def _rank_candidates(plan: Plan, seen: dict[str, BitMap]) -> list[int] | None:
    """The works matching every rank expression, from the text matches the filters
    already read (None when one was not read: the backend then evaluates it)."""
    if not plan.rank_expressions or any(e not in seen for e in plan.rank_expressions):
        return None
    return list(BitMap.intersection(*(seen[e] for e in plan.rank_expressions)))


def _listed(index: bitmaps.BitmapIndex, plan: Plan) -> BitMap:
    """The works the plan's listing rule (``works.access.ListingRule``) lets through."""
    if plan.within_is_gate:
        assert plan.within_ids is not None
        return BitMap(plan.within_ids)
    result = BitMap(index.flags["posted"])
    if plan.rule.drop_hidden:
        result -= index.flags["hidden"]
    if plan.rule.drop_restricted:
        result -= index.flags["restricted"]
    if plan.rule.drop_unrevealed:
        result -= index.flags["unrevealed"]
    if plan.within_ids is not None:
        result &= BitMap(plan.within_ids)
    return result


def _cond_matches(
    index: bitmaps.BitmapIndex, cond: Cond, seen: dict[str, BitMap] | None = None
) -> BitMap:
    """The works a condition matches (negation is the caller's)."""
    if cond.kind == "text":
        return _text_matches(cond.expr, seen)
    if cond.kind == "works":
        return BitMap(cond.ids)
    if cond.kind == "tags":
        return index.tagged(cond.ids)
    if cond.kind == "rating":
        return index.rating.get(cond.value) or BitMap()
    if cond.kind == "language":
        wanted = cond.value.casefold()
        return _union(bm for name, bm in index.language.items() if name.casefold() == wanted)
    if cond.kind == "complete":
        complete = index.flags["complete"]
        return BitMap(complete) if cond.value == "yes" else index.all - complete
    return index.sorts[cond.value].between(cond.low, cond.high)  # an exact range (words)


def _flags(index: bitmaps.BitmapIndex, plan: Plan, result: BitMap) -> BitMap:
    """The parameters' flags and ranges."""
    if plan.crossover == "only":
        result &= index.flags["crossover"]
    elif plan.crossover == "exclude":
        result -= index.flags["crossover"]
    if plan.complete == "complete":
        result &= index.flags["complete"]
    elif plan.complete == "in_progress":
        result -= index.flags["complete"]
    if plan.words != (None, None):
        result &= index.sorts["words"].between(*plan.words)
    if plan.updated_from or plan.updated_before:
        low = bitmaps.micros(plan.updated_from) if plan.updated_from else None
        high = bitmaps.micros(plan.updated_before) - 1 if plan.updated_before else None
        result &= index.sorts["updated"].between(low, high)
    if plan.language:
        result &= index.language.get(plan.language) or BitMap()
    return result


def matches(
    index: bitmaps.BitmapIndex, plan: Plan, seen: dict[str, BitMap] | None = None
) -> BitMap:
    """The works that pass the plan, as a BitMap; ``seen``: where to keep the text
    matches read (see ``_text_matches``)."""
    if plan.impossible:
        return BitMap()
    result = _listed(index, plan)
    if plan.within_tags is not None:
        result &= index.tagged(plan.within_tags)
    if plan.ratings:
        result &= _union(index.rating.get(r) for r in plan.ratings)
    if plan.excluded_ratings:
        result -= _union(index.rating.get(r) for r in plan.excluded_ratings)
    for tag_ids in plan.required:
        result &= index.tagged(tag_ids)
    if plan.excluded_tags:
        result -= index.tagged(plan.excluded_tags)
    if plan.muted_work_ids:
        result -= BitMap(plan.muted_work_ids) - index.flags["anonymous"]
    if plan.muted_languages:
        result -= _union(index.language.get(x) for x in plan.muted_languages)
    if plan.hidden_work_ids:
        result -= BitMap(plan.hidden_work_ids)
    for tag_ids, fandom_ids in plan.scoped_mutes:
        result -= index.tagged(tag_ids) & index.tagged(fandom_ids)
    reader_hidden, reader_only = reader_ids(plan)
    if reader_hidden:
        result -= BitMap(reader_hidden)
    if reader_only is not None:
        result &= BitMap(reader_only)
    result = _flags(index, plan, result)
    for clause in plan.clauses:
        if len(clause) == 1 and clause[0].negated:
            result -= _cond_matches(index, clause[0], seen)
        else:
            result &= _union(_cond_matches(index, c, seen) for c in clause)
    return result


def _key(sort: str, value: int) -> Any:
    """A sort value as the SQL engine hands it back (dates as aware datetimes)."""
    if sort in DATE_SORTS:
        return bitmaps.from_micros(value)
    return value


def _after(
    order: bitmaps.SortIndex, found: BitMap, descending: bool, key: Any, last_id: int
) -> BitMap:
    """The found works after (key, last_id) in this order."""
    value = bitmaps.micros(key) if isinstance(key, dt.datetime) else int(key or 0)
    same = BitMap(
        i
        for i in order.between(value, value) & found
        if (i < last_id if descending else i > last_id)
    )
    if descending:
        return (order.between(None, value - 1) & found) | same
    return (order.between(value + 1, None) & found) | same


def execute(plan: Plan) -> Hits:
    """Answer the plan over the index, for a plan ``can_answer`` accepts; see ``Hits``."""
    index = bitmaps.get_index()
    seen: dict[str, BitMap] = {}
    found = matches(index, plan, seen)
    total = len(found)
    by_date = index.sorts["updated"]
    if plan.sort == "relevance":
        order, descending = by_date, True  # facets sample the newest matches

        def rest(skip: list[int], offset: int, n: int) -> list[int]:
            return by_date.page(found - BitMap(skip), offset, n, True)

        def page(start: int, count: int) -> list[int]:
            ranked = ranked_ids(plan.rank_expressions, total, _rank_candidates(plan, seen))
            return relevance_slice(
                ranked, lambda ids: {i for i in ids if i in found}, rest, start, count
            )

    else:
        order, descending = index.sorts[plan.sort], plan.descending

        def page(start: int, count: int) -> list[int]:
            return order.page(found, start, count, descending)

    def seek(after: tuple[Any, int] | None, count: int) -> list[tuple[int, Any]]:
        rest_of = found if after is None else _after(order, found, descending, *after)
        return [
            (i, _key(plan.sort, order.value[i])) for i in order.page(rest_of, 0, count, descending)
        ]

    def facet_counts() -> dict[int, int]:
        return index.tag_counts(order.page(found, 0, FACET_SAMPLE, descending))

    return Hits(total, page, seek, facet_counts, index.tag_info)
