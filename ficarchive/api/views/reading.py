"""History, Marked for Later, the reading list, reading settings and author statistics.
Every work goes through ``works.access``: what the reader may not see is a 404 and never
listed (the reading app's selectors keep only works the reader may open)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse

from ficarchive.accounts.models import User
from ficarchive.reading import selectors, services
from ficarchive.reading.models import ListStatus, Reading, ReadingListEntry
from ficarchive.reading.stats import author_stats
from ficarchive.works.models import Work

from .. import params as p
from ..http import ApiError, api_view, json_response, read_json
from ..pagination import decode_cursor, encode_cursor, parse_limit
from ..serializers import _dt, work_json
from .common import actor, page, work_for


def _me(request: HttpRequest) -> User:
    """The signed-in reader (a token or a session); 401 for guests."""
    return actor(request)


def _works(ids: list[int]) -> dict[int, Work]:
    return {w.pk: w for w in Work.objects.filter(pk__in=ids).with_blurb_data()}


def _time_page(
    qs: QuerySet[Any],
    request: HttpRequest,
    key: str,
    field: str,
    render: Callable[[Any, Work, User], dict[str, Any]],
) -> HttpResponse:
    """Page newest first by ``field`` (a time), then id, seeking past the last row seen."""
    limit = parse_limit(request.GET.get("limit"))
    cursor = request.GET.get("cursor")
    if cursor:
        state = decode_cursor(cursor)
        try:
            last = dt.datetime.fromisoformat(state.get("t", ""))
        except (TypeError, ValueError):
            last = None
        last_id = state.get("i")
        if state.get("s") != key or last is None or not isinstance(last_id, int):
            raise ApiError(400, "invalid_cursor", "The cursor is not one this API gave out.")
        qs = qs.filter(**{f"{field}__lt": last}) | qs.filter(**{field: last, "pk__lt": last_id})
    rows = list(qs.order_by(f"-{field}", "-id")[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    works = _works([r.work_id for r in rows])
    user = _me(request)
    items = [render(r, works[r.work_id], user) for r in rows if r.work_id in works]
    next_cursor = None
    if more and rows:
        next_cursor = encode_cursor(
            {"s": key, "t": getattr(rows[-1], field).isoformat(), "i": rows[-1].pk}
        )
    return json_response(page(items, next_cursor, request))


def _history_item(reading: Reading, work: Work, user: User) -> dict[str, Any]:
    chapter = reading.last_chapter
    return {
        "work": work_json(work, user),
        "last_chapter": None
        if chapter is None
        else {"id": chapter.pk, "position": chapter.position, "title": chapter.title},
        "visited_at": _dt(reading.visited_at),
        "views": reading.views,
        "marked_for_later": reading.marked_for_later,
    }


def _later_item(reading: Reading, work: Work, user: User) -> dict[str, Any]:
    return {"work": work_json(work, user), "marked_at": _dt(reading.marked_at)}


def _list_item(entry: ReadingListEntry, work: Work, user: User) -> dict[str, Any]:
    return {
        "work": work_json(work, user),
        "status": entry.status,
        "updated_at": _dt(entry.updated_at),
    }


@api_view("PUT", "DELETE")
def work_later(request: HttpRequest, work_id: int) -> HttpResponse:
    """PUT: Mark for Later; DELETE: Mark as Read (off the list). 404 for a work the
    reader may not see."""
    user = _me(request)
    work = work_for(request, work_id)
    if request.method == "DELETE":
        services.later_unmark(actor=user, work_id=work.pk)
        return HttpResponse(status=204)
    reading = services.later_mark(actor=user, work=work)
    return json_response(_later_item(reading, _works([work.pk])[work.pk], user))


@api_view("GET")
def my_later(request: HttpRequest) -> HttpResponse:
    user = _me(request)
    return _time_page(selectors.later_for(user), request, "later", "marked_at", _later_item)


@api_view("GET", "DELETE")
def my_history(request: HttpRequest) -> HttpResponse:
    """GET: the history, last visited first; DELETE: clear it (marks for later stay)."""
    user = _me(request)
    if request.method == "DELETE":
        services.history_clear(actor=user)
        return HttpResponse(status=204)
    return _time_page(selectors.history_for(user), request, "history", "visited_at", _history_item)


@api_view("DELETE")
def my_history_entry(request: HttpRequest, work_id: int) -> HttpResponse:
    """Clear one work from the history."""
    if not services.history_delete(actor=_me(request), work_id=work_id):
        raise ApiError(404, "not_found", "That work is not in your history.")
    return HttpResponse(status=204)


@api_view("GET", "PATCH")
def my_reading_settings(request: HttpRequest) -> HttpResponse:
    user = _me(request)
    if request.method == "PATCH":
        data = read_json(request)
        known = {"history_enabled", "reading_list_public"}
        if not data or set(data) - known:
            raise ApiError(
                400, "invalid", "Send history_enabled and/or reading_list_public, nothing else."
            )
        values = {}
        for name in ("history_enabled", "reading_list_public"):
            if name in data:
                if not isinstance(data[name], bool):
                    raise p.field_error(name, f"{name} must be true or false.")
                values[name] = data[name]
        prefs = services.reader_settings_update(actor=user, **values)
    else:
        prefs = selectors.reader_settings(user)
    return json_response(
        {"history_enabled": prefs.history_enabled, "reading_list_public": prefs.reading_list_public}
    )


@api_view("GET")
def my_reading_list(request: HttpRequest) -> HttpResponse:
    user = _me(request)
    status = request.GET.get("status", "")
    if "status" in request.GET and status not in ListStatus.values:
        raise p.bad("status", "status must be one of " + ", ".join(ListStatus.values) + ".")
    entries = selectors.reading_list_for(user, user, status)
    return _time_page(entries, request, f"list:{status}", "updated_at", _list_item)


@api_view("PUT", "DELETE")
def work_reading_list(request: HttpRequest, work_id: int) -> HttpResponse:
    """PUT {"status": to_read|reading|read|dropped}: on the reading list; DELETE: off it."""
    user = _me(request)
    work = work_for(request, work_id)
    if request.method == "DELETE":
        services.reading_list_remove(actor=user, work_id=work.pk)
        return HttpResponse(status=204)
    entry = services.reading_list_set(
        actor=user, work=work, status=p.get_str(read_json(request), "status")
    )
    return json_response(_list_item(entry, _works([work.pk])[work.pk], user))


@api_view("GET")
def my_stats(request: HttpRequest) -> HttpResponse:
    """The reader's author statistics (the stats page's figures), ?year=YYYY or all years."""
    user = _me(request)
    raw = request.GET.get("year")
    year = None
    if raw is not None:  # "?year=" is a bad year, not all years
        if not raw.isdigit() or not 1900 <= int(raw) <= 9999:
            raise p.bad("year", "year must be a year, e.g. 2024.")
        year = int(raw)
    data = author_stats(user, year)
    return json_response(
        {
            "year": data.year,
            "years": data.years,
            "totals": data.totals,
            "works": [{"id": r.work.pk, "title": r.work.title, **r.figures} for r in data.works],
            "series": [{"period": label, **figures} for label, figures in data.series],
        }
    )
