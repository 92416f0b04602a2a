"""What the API's views share: the acting user, paging, and fetching a work with the
visibility check built in."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse

from ficarchive.accounts.models import User
from ficarchive.core.errors import PermissionDenied
from ficarchive.core.viewers import Viewer
from ficarchive.discovery.plan import Within
from ficarchive.works import access
from ficarchive.works.models import Work

from .. import params as p
from ..http import ApiError, json_response
from ..pagination import decode_cursor, encode_cursor, paginate_works, parse_limit
from ..serializers import work_json

M = TypeVar("M", bound=Model)


def viewer(request: HttpRequest) -> Viewer:
    """Who is looking: a User or AnonymousUser (the selectors take either)."""
    return request.user


def actor(request: HttpRequest) -> User:
    """The signed-in user who writes; api_view has already refused guests on writes."""
    user = request.user
    if not isinstance(user, User):
        raise ApiError(
            401,
            "unauthorized",
            "Log in, or send a read-write personal access token.",
            headers={"WWW-Authenticate": 'Bearer realm="api"'},
        )
    return user


def work_for(request: HttpRequest, work_id: int) -> Work:
    """The work if this viewer may see it (``access.access_work``); NotFound (404) otherwise."""
    return access.access_work(request.user, work_id)


def work_as_creator(request: HttpRequest, work_id: int) -> Work:
    """The work for its creators, as the edit pages check (``access.access_work`` with
    ``Need.EDIT``): 404 when the viewer cannot see it, 403 when they can but did not make it."""
    try:
        return access.access_work(request.user, work_id, need=access.Need.EDIT)
    except PermissionDenied as exc:
        raise ApiError(403, "forbidden", str(exc)) from None


def page(
    items: list[dict[str, Any]], next_cursor: str | None, request: HttpRequest, **extra: Any
) -> dict[str, Any]:
    """A page of a list: items, the cursor of the next page and its full address."""
    next_url = None
    if next_cursor:
        query = request.GET.copy()
        query["cursor"] = next_cursor
        next_url = request.build_absolute_uri(request.path) + "?" + query.urlencode()
    return {"items": items, "next_cursor": next_cursor, "next": next_url, **extra}


def works_page(
    request: HttpRequest,
    base: QuerySet[Work] | None = None,
    *,
    base_visible: bool = False,
    within: Within | None = None,
    default_sort: str = "updated",
) -> HttpResponse:
    """A page of works under the browse filters, within ``base`` or ``within`` when given
    (see paginate_works)."""
    params = p.filter_params(request.GET)
    result = paginate_works(
        viewer(request),
        params,
        limit=parse_limit(request.GET.get("limit")),
        cursor=request.GET.get("cursor") or None,
        base=base,
        base_visible=base_visible,
        within=within,
        default_sort=default_sort,
    )
    items = [work_json(w, viewer(request)) for w in result.items]
    return json_response(
        page(
            items,
            result.next_cursor,
            request,
            sort=result.sort,
            dir="desc" if result.descending else "asc",
        )
    )


def offset_page(items: list[dict[str, Any]], request: HttpRequest, key: str) -> HttpResponse:
    """Page a list already built in memory (a comment thread) by offset."""
    limit = parse_limit(request.GET.get("limit"))
    offset = 0
    cursor = request.GET.get("cursor")
    if cursor:
        state = decode_cursor(cursor)
        raw = state.get("o")
        if state.get("s") != key or not isinstance(raw, int) or raw < 0:
            raise ApiError(400, "invalid_cursor", "The cursor is not one this API gave out.")
        offset = raw
    chunk = items[offset : offset + limit]
    more = offset + limit < len(items)
    next_cursor = encode_cursor({"s": key, "o": offset + limit}) if more else None
    return json_response(page(chunk, next_cursor, request))


def id_page(
    qs: QuerySet[M],
    request: HttpRequest,
    key: str,
    render: Callable[[list[M]], list[dict[str, Any]]],
) -> HttpResponse:
    """Page newest first by id (rows whose creation time and id grow together), seeking
    on the last id seen so new rows never shift a walk."""
    limit = parse_limit(request.GET.get("limit"))
    cursor = request.GET.get("cursor")
    if cursor:
        state = decode_cursor(cursor)
        last_id = state.get("i")
        if state.get("s") != key or not isinstance(last_id, int):
            raise ApiError(400, "invalid_cursor", "The cursor is not one this API gave out.")
        qs = qs.filter(pk__lt=last_id)
    rows = list(qs.order_by("-id")[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = encode_cursor({"s": key, "i": rows[-1].pk}) if more and rows else None
    return json_response(page(render(rows), next_cursor, request))
