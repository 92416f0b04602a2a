"""Caching of listing pages and facets, never stale after a write.

Every key holds the **cache generation**: the ``CacheGeneration`` row's epoch and counter
(``generation_bump`` adds one inside the transaction of every write that changes what a
listing shows: ``indexing`` calls it for each ``core.changes`` notice) and the tags app's
wrangling stamp (parent links and fandom links change a tag's works without a notice).
A request reads the generation first (one indexed row, plus the stamp), then the data; so
whatever it stores under a generation is at least as new as that generation, and a write
committed since has moved every reader to new keys. Freshness is therefore immediate, not
"within a TTL", in every process and on every server, whatever the cache backend:

- with ``REDIS_URL`` the entries are shared by every worker and server;
- without it each worker keeps its own (Django's local-memory cache): more misses, never a
  stale page, because the generation is read from the database, not from the cache.

Old generations are never deleted; they age out (``PAGE_SECONDS``) or are evicted (LRU in
local memory, Redis's ``maxmemory-policy``). A cache that fails (Redis stopped) is a miss:
the page is built as if nothing were cached (``cache_get``/``cache_set``).

What is cached:

- **whole guest pages** (``guest_page_cache`` on the views of ``/works``,
  ``/works/search`` and ``/tags/NAME/works``): only for a request with no session,
  message or authorization, and only a 200 answer that set no cookie, changed no session
  and used no CSRF token — nothing personal can be on it;
- **whole guest work pages** (``works.page_cache``, below works' layer): keyed on
  ``work_page_stamp`` (epoch, wrangling stamp, the work's version and its series'), which
  discovery registers with it; ``changes.work_pages_changed`` bumps a work's version for
  what only its page shows (comment edits, frozen or hidden threads, its skin);
- **blurbs** (``{% cached_blurb %}``, ``templatetags/discovery_blurbs.py``) per work
  version (``WorkVersion``, bumped by every notice about the work, read before the work
  is loaded), wrangling stamp, hit count and viewer class (admins, a work's own
  creators and works in a series are drawn apart or every time);
- **facet lists** (``facets_cached``) per plan (``plan_key``: the viewer's listing rule,
  mutes, filters and query, resolved) and generation, for every viewer;
- **the filter sidebar** (``{% sidebar_cache %}`` in ``discovery/_filters.html``,
  ``templatetags/discovery_filters.py``) as HTML, per facet key (so per plan and
  generation), ticked boxes, interface language and signed in or not; the reader's own
  part below it (the CSRF token of "Save this filter", their saved filters) is drawn
  every time.

Hit counts are the one thing shown that no notice follows (AO3 counts them lazily too):
a cached page shows the count of its generation."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import logging
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps
from typing import Any, TypeVar

from django.conf import settings
from django.db import connection, connections
from django.db.models import F
from django.http import HttpRequest, HttpResponse

from ficarchive.core.cache import cache_get, cache_set
from ficarchive.core.dbrouter import read_alias
from ficarchive.core.display import display_key
from ficarchive.core.viewers import request_is_anonymous
from ficarchive.tags.models import WranglingVersion
from ficarchive.works.models import SerialWork

from .models import CacheGeneration, WorkVersion

log = logging.getLogger(__name__)
PAGE_SECONDS = 600
FACET_SECONDS = 600
SIDEBAR_SECONDS = 600
BLURB_SECONDS = 3600
CACHE_HEADER = "X-Ficarchive-Cache"
T = TypeVar("T")


def changed(work_ids: list[int | None]) -> None:
    """A change notice reached the index (``bitmaps.log_changes``, in the writer's
    transaction): new generation, and new blurb versions for these works (None: all)."""
    generation_bump()
    if None in work_ids:  # everything may have changed (bulk load, restore): new epoch
        CacheGeneration.objects.filter(pk=1).update(epoch=_epoch())
    versions_bump([i for i in work_ids if i is not None])


def versions_bump(work_ids: list[int]) -> None:
    """Add one to each work's blurb version (an upsert; the row's lock orders writers)."""
    ids = sorted(set(work_ids))
    if not ids:
        return
    table = WorkVersion._meta.db_table
    with connection.cursor() as cursor:
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            cursor.execute(
                f"INSERT INTO {table} (work_id, value) VALUES "  # noqa: S608 - our table name
                + ", ".join(["(%s, 1)"] * len(chunk))
                + f" ON CONFLICT (work_id) DO UPDATE SET value = {table}.value + 1",
                chunk,
            )


def blurb_versions(work_ids: list[int]) -> dict[int, str]:
    """Each work's blurb key part (one query, two outside a listing view): its version, the
    generation's epoch (a bulk rebuild or a restore starts afresh) and the wrangling stamp
    (tag names). Read before the works are loaded, so a blurb stored under a version is at
    least that new. Empty when there is no generation row (nothing cached then)."""
    if not work_ids:
        return {}
    gen = generation()
    if gen is None:
        return {}
    epoch, _, stamp = gen.split(".", 2)
    # Plain SQL: the ORM's compiling of this one-line read cost more than the read.
    with connections[read_alias()].cursor() as cursor:
        cursor.execute(
            f"SELECT work_id, value FROM {WorkVersion._meta.db_table}"  # noqa: S608 - our table
            f" WHERE work_id IN ({', '.join(['%s'] * len(work_ids))})",
            list(work_ids),
        )
        found = dict(cursor.fetchall())
    return {pk: f"{epoch}.{stamp}.{pk}.{found.get(pk, 0)}" for pk in work_ids}


def work_page_stamp_columns(work_id_sql: str) -> list[str]:
    """``work_page_stamp``'s parts as scalar subqueries on the work whose id is the SQL
    expression ``work_id_sql`` (a column such as ``"works_work"."id"``, or ``%s``): the
    generation's epoch (NULL when there is no generation row), the wrangling stamp, the
    work's version, and the count and sum of the versions of the works in its series.
    ``works.page_cache`` puts them in the statement that reads the work's row, so a guest's
    page key costs one query."""
    version = WorkVersion._meta.db_table
    serial = SerialWork._meta.db_table
    siblings = (
        f"FROM {serial} s JOIN {version} v ON v.work_id = s.work_id WHERE s.series_id IN"  # noqa: S608
        f" (SELECT s1.series_id FROM {serial} s1 WHERE s1.work_id = {work_id_sql})"
    )
    return [
        f"(SELECT g.epoch FROM {CacheGeneration._meta.db_table} g WHERE g.id = 1)",  # noqa: S608
        f"(SELECT w.stamp FROM {WranglingVersion._meta.db_table} w WHERE w.id = 1)",  # noqa: S608
        f"(SELECT v.value FROM {version} v WHERE v.work_id = {work_id_sql})",  # noqa: S608
        f"(SELECT COUNT(*) {siblings})",
        f"(SELECT SUM(v.value) {siblings})",
    ]


def work_page_stamp_from_row(row: tuple[Any, ...] | list[Any]) -> str | None:
    """The stamp from the values of ``work_page_stamp_columns``: None when there is no
    generation row."""
    if row[0] is None:
        return None
    return ".".join(str(part or 0) for part in row)


def work_page_stamp(work_id: int) -> str | None:
    """A guest work page's stamp (``works.page_cache``), in one query: the generation's
    epoch, the wrangling stamp, the work's version, and the count and sum of the versions
    of the works in its series (a series line depends on them: an anonymous work hides it;
    versions only grow, and a work leaving a series bumps the others or lowers the count).
    None when there is no generation row or caching is off."""
    if not getattr(settings, "FICARCHIVE_CACHE_PAGES", True):
        return None
    columns = work_page_stamp_columns("%s")
    with connections[read_alias()].cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(columns), [work_id, work_id, work_id])
        row = cursor.fetchone()
    return None if row is None else work_page_stamp_from_row(row)


def generation_bump() -> None:
    """Move every cached page and facet list to new keys (inside the writer's transaction:
    the UPDATE's row lock orders concurrent writers, and a rollback undoes it)."""
    if not CacheGeneration.objects.filter(pk=1).update(value=F("value") + 1):
        CacheGeneration.objects.get_or_create(pk=1, defaults={"value": 1, "epoch": _epoch()})


def _epoch() -> str:
    return uuid.uuid4().hex


def _read_generation() -> str | None:
    """One query: the generation row and the wrangling stamp (a read of the tags app's
    table, which the tags app alone writes). None when caching is off
    (``FICARCHIVE_CACHE_PAGES=0``)."""
    if not getattr(settings, "FICARCHIVE_CACHE_PAGES", True):
        return None
    stamp_table = WranglingVersion._meta.db_table
    # From the database this request reads its data from (a replica, when reads go to one):
    # the data read after it is then at least as new as the generation it is stored under.
    with connections[read_alias()].cursor() as cursor:
        cursor.execute(
            f"SELECT g.epoch, g.value, (SELECT w.stamp FROM {stamp_table} w WHERE w.id = 1)"  # noqa: S608
            f" FROM {CacheGeneration._meta.db_table} g WHERE g.id = 1"
        )
        row = cursor.fetchone()
    return None if row is None else f"{row[0]}.{row[1]}.{row[2] or ''}"


_PINNED: ContextVar[tuple[str | None] | None] = ContextVar("cache_generation", default=None)


def generation() -> str | None:
    """The current generation as a key part ("EPOCH.N.STAMP"), or None when there is no
    generation row yet (nothing is cached then). Within ``generation_pinned`` (a listing
    view), the value read when the request began, so a page reads it once."""
    pinned = _PINNED.get()
    return pinned[0] if pinned is not None else _read_generation()


@contextmanager
def generation_pinned(gen: str | None) -> Iterator[None]:
    """Let ``generation()`` answer ``gen`` (read before any data of this request)."""
    token = _PINNED.set((gen,))
    try:
        yield
    finally:
        _PINNED.reset(token)


def uncommitted() -> bool:
    """Inside a transaction what was read may yet be rolled back, and the generation with
    it: a later commit would reuse the number. Store only what was read outside one."""
    return connection.in_atomic_block


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:40]


# --- whole guest pages ----------------------------------------------------------------
def _anonymous_request(request: HttpRequest) -> bool:
    """A GET by a guest with nothing personal attached (no session, messages or token)."""
    return request_is_anonymous(request)


def _storable(request: HttpRequest, response: HttpResponse) -> bool:
    """Nothing personal went into the answer: 200, no cookie, no CSRF token, no session."""
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE") or uncommitted():
        return False
    session = getattr(request, "session", None)
    return not (session is not None and session.modified)


def guest_page_cache(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Serve a guest's GET of this view from the cache, keyed on the generation, host and
    full path; other requests go straight through. Answers carry ``X-Ficarchive-Cache``
    (hit or miss) when the cache was consulted."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        gen = generation()
        with generation_pinned(gen):
            return _cached_view(view, gen, request, *args, **kwargs)

    return wrapper


def _cached_view(
    view: Callable[..., HttpResponse],
    gen: str | None,
    request: HttpRequest,
    *args: Any,
    **kwargs: Any,
) -> HttpResponse:
    if gen is None or not _anonymous_request(request):
        return view(request, *args, **kwargs)
    key = "page:" + _digest(
        f"{gen}|{request.scheme}|{request.get_host()}|{request.get_full_path()}"
        f"|{getattr(request, 'LANGUAGE_CODE', '')}|{display_key(request)}"
    )
    hit = cache_get(key)
    if isinstance(hit, tuple) and len(hit) == 2:
        response = HttpResponse(hit[0], content_type=hit[1])
        response[CACHE_HEADER] = "hit"
        return response
    response = view(request, *args, **kwargs)
    if _storable(request, response):
        cache_set(key, (response.content, response["Content-Type"]), PAGE_SECONDS)
        response[CACHE_HEADER] = "miss"
    return response


# --- facets ---------------------------------------------------------------------------
def _canon(value: Any) -> Any:
    """A plan's value in a form whose repr is the same in every process (sets sorted,
    dataclasses as their fields), for keys."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return (
            type(value).__name__,
            tuple(
                (f.name, _canon(getattr(value, f.name)))
                for f in dataclasses.fields(value)
                if f.compare
            ),
        )
    if isinstance(value, frozenset | set):
        # Tag closures are sets of hundreds of ids: sorted as numbers at C speed, not one
        # call and one repr per id (a 3-include plan made ~540 calls).
        if all(type(v) is int for v in value):
            return ("ints", tuple(sorted(value)))
        return ("set", tuple(sorted((_canon(v) for v in value), key=repr)))
    if isinstance(value, tuple | list):
        return tuple(_canon(v) for v in value)
    if isinstance(value, dict):
        return tuple(sorted(((repr(k), _canon(v)) for k, v in value.items()), key=repr))
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


def plan_key(plan: Any) -> str:
    """A digest of everything a resolved plan selects by (same plan, same digest in every
    process)."""
    return _digest(repr(_canon(plan)))


def facets_key(gen: str | None, plan: Any, querystring: str, engine: str) -> str:
    """The key of a plan's facets: generation ``gen`` (read by the caller before any data),
    engine, plan (``plan_key``: listing rule, mutes, reader sets, filters) and parameters
    (the facet links carry them). Empty when ``gen`` is None (nothing is cached then)."""
    if gen is None:
        return ""
    return "facets:" + _digest(f"{gen}|{engine}|{plan_key(plan)}|{querystring}")


def facets_cached(key: str, build: Callable[[], T]) -> T:
    """``build()``'s facets, cached under ``key`` (``facets_key``; empty: not cached), so
    nothing older than the key's generation is stored under it."""
    if not key:
        return build()
    hit = cache_get(key)
    if hit is not None:
        return hit
    value = build()
    if not uncommitted():
        cache_set(key, value, FACET_SECONDS)
    return value


# --- the filter sidebar ---------------------------------------------------------------
def sidebar_key(facets: str, *parts: str) -> str:
    """The key of a rendered filter sidebar: its facets' key (``facets_key``: generation,
    plan and parameters, so a reader whose mutes or read-state filters change the facets
    has keys of their own) and what else the sidebar shows (``parts``: the ticked boxes,
    the interface language, signed in or not, the form's address, the template)."""
    return "sidebar:" + _digest("|".join((facets, *parts)))
