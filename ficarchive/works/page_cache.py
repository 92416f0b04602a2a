"""Whole-page cache of guests' work pages (``/works/ID``, its chapter pages and
``?view_full_work=true``), never stale after a write.

**Which requests.** Only a guest's GET with nothing personal attached: no session or
messages cookie, no ``Authorization`` header, not signed in (``shared_request``). Every
other request (a signed-in reader, a guest who has a session) is drawn as before and never
stored. Only a 200 answer is stored, and only when the view set no cookie but the adult
notice's own, changed no session, added no message and asked for no CSRF token of its own.

**The key.** The address (host, path and query: the chapter, ``view_full_work``,
``view_adult``, ``style``), the interface language, ``core.display.display_key`` (time
zone, site skin), whether the adult notice is shown, the work's hit count, the parts other
apps register (``work_page_key_part_register``: the site banner's version) and the work's
stamp (``work_page_stamp_register``, filled by discovery: the cache epoch, the wrangling
stamp, the work's version and the versions of the works in its series). The work's
version moves with every ``core.changes`` notice about it, in the writer's transaction:
edits, chapters, tags and wrangling, kudos and comment counts (comments posted, approved,
marked as spam, deleted), visibility, deletion, collection reveals; and with
``changes.work_pages_changed`` for what the page shows beyond search (a comment edited, a
thread frozen or hidden, the work's skin chosen or edited, a commenter's pseud renamed,
merged or claimed: ``changes.pseuds_renamed``, heard by feedback). A series line ("Part 2 of")
depends on the other works of the series (an anonymous one hides it), hence their
versions. The stamp and the hit count are read before anything else of the request, so
what is stored under a key is at least as new as the key: freshness is immediate.

**CSRF tokens.** The page carries forms (kudos, comment, reply) that guests may post, so
AO3 shows them to guests and so do we. The page is drawn with a placeholder where each
token goes (``CSRF_PLACEHOLDER``, given to the template as ``csrf_token``), stored so, and
every answer, hit or miss, gets the request's own token put in (Django's ``get_token``,
which also sets the reader's CSRF cookie). Two guests therefore never share a token, and
the cached body holds none.

**Personal bits left out for shared pages.** "You left kudos" for a guest is known from
their address; a shared page always offers the Kudos button, and a second kudos from the
same address is refused with a message, as AO3 does for guests. The adult notice's choice
is a cookie (``ADULT_COOKIE`` in ``works.views``), read before the key is made."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.core.cache import caches
from django.db import connection, connections
from django.db.models.expressions import RawSQL
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token

from ficarchive.core.display import display_key
from ficarchive.core.viewers import request_is_anonymous
from ficarchive.tags.vocabulary import ADULT_RATINGS

from . import access
from .models import Work

log = logging.getLogger(__name__)

PAGE_SECONDS = 600
CACHE_HEADER = "X-Ficarchive-Cache"
# Only characters no template filter escapes, and nothing a work could plausibly contain.
CSRF_PLACEHOLDER = "ficarchive-csrf-placeholder-7f3a9c"
_SHARED_ATTR = "_ficarchive_shared_page"

Stamp = Callable[[int], "str | None"]
StampColumns = Callable[[str], list[str]]
StampFromRow = Callable[[tuple], "str | None"]
KeyPart = Callable[[HttpRequest], str]
_STAMP: list[Stamp] = []
# The stamp as SQL columns on the work's row, and how to read it back: one query per key.
_STAMP_SQL: list[tuple[StampColumns, StampFromRow]] = []
_KEY_PARTS: dict[str, KeyPart] = {}


def work_page_stamp_register(
    stamp: Stamp, *, columns: StampColumns | None = None, from_row: StampFromRow | None = None
) -> None:
    """Set the function giving a work's stamp (``stamp(work_id)``: a string that changes
    with every write the work page shows, or None when nothing may be cached). Discovery
    registers ``cache.work_page_stamp`` from its ``ready()``; without one, nothing is
    cached. Registering again replaces it.

    ``columns(work_id_sql)`` (optional, with ``from_row``): the same stamp as scalar SQL
    subqueries on the work whose id is the SQL expression given; ``from_row(values)``
    makes the stamp (or None) from their values. With them the key's facts are one query
    instead of two."""
    _STAMP[:] = [stamp]
    _STAMP_SQL[:] = [(columns, from_row)] if columns and from_row else []
    _guest_row_sql.cache_clear()


def work_page_key_part_register(name: str, part: KeyPart) -> None:
    """Add ``part(request)`` (a short string, cheap: no query on the common path) to every
    work page's key, for what the base template shows from an app above works (the site
    banner). Registering a name again replaces it."""
    _KEY_PARTS[name] = part


@dataclass(frozen=True)
class GuestFacts:
    """What a cached guest page needs to know of its work before its key is made."""

    work_id: int
    hit_count: int
    is_adult: bool
    stamp: str


def shared_request(request: HttpRequest) -> bool:
    """A GET by a guest with nothing personal attached (no session, messages or token), with
    page caching on (``FICARCHIVE_CACHE_PAGES``)."""
    if not getattr(settings, "FICARCHIVE_CACHE_PAGES", True) or not _STAMP:
        return False
    return request_is_anonymous(request)


def is_shared(request: HttpRequest) -> bool:
    """True while a page that may be stored for every guest is being drawn: the parts of
    the page leave out what is the guest's own (their kudos) and draw CSRF placeholders."""
    return bool(getattr(request, _SHARED_ATTR, False))


def guest_facts(request: HttpRequest, work_id: int) -> GuestFacts | None:
    """The work's facts for a shared request's key, or None: not a shared request, a work a
    guest may not read (the view answers: 404, or log in), or no stamp. One query (the
    work's hit count and rating as a guest may read it, through ``access.visible_q``, and
    its stamp as columns of the same row) when the stamp came with its SQL form, else two."""
    if not shared_request(request):
        return None
    alias, sql, params = _guest_row_sql(Work.objects.db)
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, [work_id if p == _SENTINEL else p for p in params])
        row = cursor.fetchone()
    if row is None:
        return None
    if _STAMP_SQL:
        stamp = _STAMP_SQL[0][1](tuple(row[2:]))
    else:
        stamp = _STAMP[0](work_id)
    if stamp is None:
        return None
    return GuestFacts(work_id, row[0], row[1] in ADULT_RATINGS, stamp)


_SENTINEL = 9_876_543_210_123  # stands for the work id in the compiled statement


@lru_cache(maxsize=4)
def _guest_row_sql(alias: str) -> tuple[str, str, tuple]:
    """The statement reading a work's hit count and rating (and its stamp's columns, when
    registered) when a guest may read it, compiled once per process from
    ``access.visible_q(None)`` (the guest's rule is fixed flags): building it through the
    ORM on every request cost more than the bare view."""
    qs = Work.objects.using(alias).filter(access.visible_q(None), pk=_SENTINEL).order_by()
    names = ["hit_count", "rating"]
    if _STAMP_SQL:
        work_id_sql = f'"{Work._meta.db_table}"."{Work._meta.pk.column}"'
        # Table and column names only (discovery's own text); the work id stays a parameter.
        columns = _STAMP_SQL[0][0](work_id_sql)
        stamp = {f"stamp_{i}": RawSQL(c, ()) for i, c in enumerate(columns)}  # noqa: S611
        qs = qs.annotate(**stamp)
        names += list(stamp)
    sql, params = qs.values_list(*names).query.sql_with_params()
    if params.count(_SENTINEL) != 1:
        raise RuntimeError("the guest row statement does not hold the work id once")
    return alias, sql, tuple(params)


def page_key(request: HttpRequest, facts: GuestFacts, *, notice: bool) -> str:
    """The cache key of this guest page (see the module docstring)."""
    parts = "|".join(f"{name}={part(request)}" for name, part in sorted(_KEY_PARTS.items()))
    text = (
        f"{facts.stamp}|{facts.hit_count}|{int(notice)}|{request.scheme}|{request.get_host()}"
        f"|{request.get_full_path()}|{getattr(request, 'LANGUAGE_CODE', '')}"
        f"|{display_key(request)}|{parts}"
    )
    return "workpage:" + hashlib.sha256(text.encode()).hexdigest()[:40]


def cached(request: HttpRequest, key: str) -> HttpResponse | None:
    """The stored page with this request's own CSRF token put in, or None (absent, or the
    cache failed: logged, the page is drawn)."""
    try:
        hit = caches["default"].get(key)
    except Exception:  # noqa: BLE001 - a cache that fails is a miss, never an error page
        log.warning("cache read failed; serving uncached", exc_info=True)
        return None
    if not (isinstance(hit, tuple) and len(hit) == 2):
        return None
    response = HttpResponse(_with_token(request, hit[0]), content_type=hit[1])
    response[CACHE_HEADER] = "hit"
    return response


def drawn(
    request: HttpRequest, key: str, build: Callable[[], HttpResponse], *, allowed_cookies: set[str]
) -> HttpResponse:
    """Draw the page as a shared one (``build()``), store it when nothing personal went into
    it, then put this request's own CSRF token in."""
    setattr(request, _SHARED_ATTR, True)
    try:
        response = build()
    finally:
        setattr(request, _SHARED_ATTR, False)
    if response.streaming or not hasattr(response, "content"):
        return response
    body = response.content
    if _storable(request, response, allowed_cookies):
        try:
            caches["default"].set(key, (body, response["Content-Type"]), PAGE_SECONDS)
            response[CACHE_HEADER] = "miss"
        except Exception:  # noqa: BLE001
            log.warning("cache write failed", exc_info=True)
    response.content = _with_token(request, body)
    return response


def _with_token(request: HttpRequest, body: bytes) -> bytes:
    placeholder = CSRF_PLACEHOLDER.encode()
    if placeholder not in body:
        return body
    return body.replace(placeholder, get_token(request).encode())


def _storable(request: HttpRequest, response: HttpResponse, allowed_cookies: set[str]) -> bool:
    """Nothing personal went into the answer: a 200, no cookie but ``allowed_cookies``, no
    real CSRF token asked for, no session changed, no message added, nothing read inside a
    transaction (a rollback would reuse its version numbers)."""
    if response.status_code != 200 or not set(response.cookies) <= allowed_cookies:
        return False
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE") or connection.in_atomic_block:
        return False
    session = getattr(request, "session", None)
    if session is not None and session.modified:
        return False
    storage = getattr(request, "_messages", None)
    return not getattr(storage, "added_new", False)
