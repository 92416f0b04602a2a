"""Cursor pagination over the discovery search: a page is "the next LIMIT works after
(sort key, id)", so pages stay stable while works are posted or updated meanwhile.

The cursor is opaque to clients (URL-safe base64 of a small JSON object: ``s`` sort,
``d`` descending, ``k`` the last work's sort value, ``i`` its id). Relevance order has no
column to seek on, so its cursor carries an offset ``o`` instead. The walk itself is
``discovery.search.search_works(cursor=...)``; this module only encodes its cursors."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
import re
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from ficarchive.core.viewers import Viewer
from ficarchive.discovery.forms import FilterParams
from ficarchive.discovery.plan import Within, WithinWorks
from ficarchive.discovery.query import QuerySyntaxError, parse_query
from ficarchive.discovery.search import FIRST, Cursor, CursorError, search_works
from ficarchive.discovery.sorts import DATE_SORTS, SORTS
from ficarchive.works.models import Work

from .http import ApiError

DEFAULT_LIMIT = 20
MAX_LIMIT = 100
SORT_KEYS = set(SORTS)


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


def _cursor(raw: str | None) -> Cursor | None:
    """The search cursor a client's cursor stands for (FIRST without one)."""
    if not raw:
        return FIRST
    state = decode_cursor(raw)
    sort, descending = state.get("s"), state.get("d")
    if not isinstance(sort, str) or not isinstance(descending, bool):
        raise ApiError(400, "invalid_cursor", "The cursor is not one this API gave out.")
    if sort == "relevance":
        offset = state.get("o")  # its range is checked by search_works
        return Cursor(sort, descending, offset=offset if isinstance(offset, int) else -1)
    last_id = state.get("i")
    key = (
        _parse_key(sort, state.get("k")) if sort in SORT_KEYS and isinstance(last_id, int) else None
    )
    return Cursor(sort, descending, key=key, last_id=last_id)


def _encode(cursor: Cursor | None) -> str | None:
    if cursor is None:
        return None
    if cursor.sort == "relevance":
        return encode_cursor({"s": cursor.sort, "d": cursor.descending, "o": cursor.offset})
    return encode_cursor(
        {
            "s": cursor.sort,
            "d": cursor.descending,
            "k": _key_value(cursor.sort, cursor.key),
            "i": cursor.last_id,
        }
    )


def paginate_works(
    viewer: Viewer,
    params: FilterParams,
    *,
    limit: int,
    cursor: str | None,
    base: QuerySet[Work] | None = None,
    base_visible: bool = False,
    within: Within | None = None,
    default_sort: str = "updated",
) -> Page:
    """One page of the filtered works the viewer may see, in the filter's order, through
    ``discovery.search.search_works`` (so on the bitmap engine when it is on, as the pages).

    ``within``: a tag's closure or works to stay within; ``base``: a queryset of works to
    stay within, ``base_visible`` saying it already is this viewer's privacy rule (a user's
    own works, hidden ones included, as on their works page). Raises ``ApiError`` 400
    (``invalid_query``, ``invalid_cursor``)."""
    try:
        parse_query(params.q)
    except QuerySyntaxError as exc:
        raise ApiError(400, "invalid_query", str(exc))
    if base is not None:
        within = WithinWorks(base, is_gate=base_visible)
    try:
        result = search_works(
            viewer,
            params,
            within=within,
            cursor=_cursor(cursor),
            page_size=limit,
            facets=False,
            snippets=False,
            default_sort=default_sort,
            whole_works=True,
        )
    except CursorError as exc:
        raise ApiError(400, "invalid_cursor", str(exc))
    return Page(result.works, _encode(result.next_cursor), result.sort, result.descending)
