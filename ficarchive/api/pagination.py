"""Cursor pagination over the discovery filter: a page is "the next LIMIT works after
(sort key, id)", so pages stay stable while works are posted or updated meanwhile.

The cursor is opaque to clients (URL-safe base64 of a small JSON object). Relevance order
has no column to seek on, so its cursor carries an offset instead."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
import re
from dataclasses import dataclass
from typing import Any, cast

from django.db.models import F, Q, QuerySet, Value
from django.db.models.functions import Coalesce, Lower

from ficarchive.discovery.forms import FilterParams
from ficarchive.discovery.query import QuerySyntaxError
from ficarchive.discovery.selectors import SORT_COLUMNS, filtered_queryset, ordered_ids
from ficarchive.works.models import Work
from ficarchive.works.querysets import WorkQuerySet

from .http import ApiError

DEFAULT_LIMIT = 20
MAX_LIMIT = 100
MAX_OFFSET = 10_000
DATE_SORTS = {"updated", "posted"}


@dataclass
class Page:
    items: list[Any]
    next_cursor: str | None
    sort: str
    descending: bool


def encode_cursor(data: dict[str, Any]) -> str:
    raw = json.dumps(data, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> dict[str, Any]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        data = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
    except (ValueError, binascii.Error, UnicodeError):
        raise ApiError(400, "invalid_cursor", "The cursor is not one this API gave out.")
    if not isinstance(data, dict):
        raise ApiError(400, "invalid_cursor", "The cursor is not one this API gave out.")
    return data


def parse_limit(raw: str | None, default: int = DEFAULT_LIMIT) -> int:
    if raw is None:
        return default
    if not re.fullmatch(r"[0-9]{1,4}", raw):
        raise ApiError(400, "invalid_parameter", "limit must be a whole number from 1 to 100.")
    limit = int(raw)
    if not 1 <= limit <= MAX_LIMIT:
        raise ApiError(400, "invalid_parameter", "limit must be a whole number from 1 to 100.")
    return limit


def _key_expression(sort: str) -> Any:
    if sort == "title":
        return Lower("title")
    if sort == "creator":
        return Coalesce(F("search_entry__creator_sort"), Value(""))
    return F(SORT_COLUMNS[sort])


def _key_value(sort: str, value: Any) -> Any:
    if sort in DATE_SORTS:
        return value.isoformat() if value is not None else None
    return value


def _parse_key(sort: str, value: Any) -> Any:
    try:
        if sort in DATE_SORTS:
            return dt.datetime.fromisoformat(value) if value is not None else None
        if sort in ("title", "creator"):
            if not isinstance(value, str):
                raise TypeError
            return value
        return int(value)
    except (TypeError, ValueError):
        raise ApiError(400, "invalid_cursor", "The cursor is not one this API gave out.")


def _seek(qs: QuerySet, sort: str, descending: bool, key: Any, last_id: int) -> QuerySet:
    op = "lt" if descending else "gt"
    if key is None:  # inside the NULL block (dates of unposted works): seek by id
        rest = Q(_k__isnull=True, **{f"pk__{op}": last_id})
        return qs.filter(rest if descending else rest | Q(_k__isnull=False))
    after = Q(**{f"_k__{op}": key}) | Q(_k=key, **{f"pk__{op}": last_id})
    if descending:  # NULLs come last in a descending order
        after |= Q(_k__isnull=True)
    return qs.filter(after)


def paginate_works(viewer: Any, params: FilterParams, *, limit: int, cursor: str | None,
                   base: QuerySet[Work] | None = None, base_visible: bool = False,
                   default_sort: str = "updated") -> Page:
    """One page of the filtered works the viewer may see, in the filter's order.
    ``base_visible``: ``base`` is already this viewer's privacy gate (a user's own works,
    hidden ones included, as on their works page)."""
    try:
        qs, compiler, query, _errors = filtered_queryset(viewer, params, base, base_visible=base_visible)
    except QuerySyntaxError as exc:
        raise ApiError(400, "invalid_query", str(exc))
    sort = params.sort_key(has_text=query.has_text) if (params.sort or query.has_text) else default_sort
    if sort == "relevance" and not compiler.rank_parts:
        sort = "updated"
    descending = params.descending(sort)
    state = decode_cursor(cursor) if cursor else None
    if state is not None and (state.get("s") != sort or state.get("d") != descending):
        raise ApiError(400, "invalid_cursor", "This cursor belongs to another order; start again without it.")
    if sort == "relevance":
        offset = 0
        if state is not None:
            raw = state.get("o")
            if not isinstance(raw, int) or not 0 <= raw <= MAX_OFFSET:
                raise ApiError(400, "invalid_cursor", "The cursor is not one this API gave out.")
            offset = raw
        # The discovery engine's own relevance order (best matches, then by date), through
        # its public ids-in-order reader; one more than a page tells whether more follow.
        ids = ordered_ids(viewer, params, limit=offset + limit + 1, base=base)[offset:]
        found = {w.pk: w for w in Work.objects.filter(pk__in=ids).with_blurb_data()}
        works = [found[i] for i in ids if i in found]
        more = len(works) > limit
        works = works[:limit]
        next_cursor = encode_cursor({"s": sort, "d": descending, "o": offset + limit}) if more and offset + limit <= MAX_OFFSET else None
        return Page(works, next_cursor, sort, descending)
    ordered = qs.annotate(_k=_key_expression(sort))
    if state is not None:
        last_id = state.get("i")
        if not isinstance(last_id, int):
            raise ApiError(400, "invalid_cursor", "The cursor is not one this API gave out.")
        ordered = _seek(ordered, sort, descending, _parse_key(sort, state.get("k")), last_id)
    key_order = F("_k").desc(nulls_last=True) if descending else F("_k").asc(nulls_first=True)
    ordered = ordered.order_by(key_order, "-pk" if descending else "pk")
    # annotate() keeps the WorkQuerySet class; the stubs only lose track of it.
    works = list(cast(WorkQuerySet, ordered).with_blurb_data()[: limit + 1])
    more = len(works) > limit
    works = works[:limit]
    next_cursor = None
    if more and works:
        last = works[-1]
        next_cursor = encode_cursor({"s": sort, "d": descending, "k": _key_value(sort, last._k), "i": last.pk})
    return Page(works, next_cursor, sort, descending)
