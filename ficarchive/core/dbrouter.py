"""Reads from a PostgreSQL streaming replica, writes to the primary, and every reader
still sees their own writes.

Active only when ``DATABASE_REPLICA_URL`` is set (settings then add the ``replica``
database alias, this router and ``ReplicaMiddleware``); without it nothing changes.

Which database a query goes to:

- **writes** always to the primary (``default``);
- **reads** to the replica only inside a web request that ``ReplicaMiddleware`` let read
  from it: a GET/HEAD/OPTIONS that carries no pin cookie. Everything else reads from the
  primary: the command line, the job worker, migrations, and any read inside a
  transaction on the primary (``transaction.atomic``: it may be about to write what it
  read);
- **read-your-writes**: an unsafe request (POST/PUT/PATCH/DELETE) reads from the primary
  throughout, and its answer sets the pin cookie (``REPLICA_PIN_COOKIE``,
  ``REPLICA_PIN_SECONDS``, default 5 s): that browser's requests read from the primary
  until it expires. Clients of the API that sign requests with a token (an
  ``Authorization`` header) keep no cookies: their pin is kept in the cache under a digest
  of the header instead, for the same time. A GET whose view writes (an account's default pseud made on first
  use, say) reads from the primary for the rest of that request. The incidental writes of
  reading a page do not count (``INCIDENTAL_WRITES``: the hit record and the work's hit
  counter; the reading history is written in SQL, past the router): every guest's work
  page records a hit, and counting it would send every work page back to the primary for
  a counter nobody reads back in the same request.

A replica normally replays within milliseconds on a local network; the pin covers a lag
of up to its length. Pages read from the replica are cached under the generation read
from the replica too (``replica_reads``, used by ``discovery.cache``), so a cached page
is never older than the generation it is stored under."""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.db import connections
from django.http import HttpRequest, HttpResponse

log = logging.getLogger(__name__)
PRIMARY = "default"
REPLICA = "replica"
REPLICA_PIN_COOKIE = "fa_primary"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
# Models a safe request writes as a side effect of being read (``label_lower``); settings
# may replace the set with ``REPLICA_INCIDENTAL_WRITES``.
INCIDENTAL_WRITES = frozenset({"works.workhit", "works.work", "sessions.session"})

# True while the current request may read from the replica. A ContextVar: each gunicorn
# thread (and each asyncio task) has its own.
_REPLICA_OK: ContextVar[bool] = ContextVar("replica_reads", default=False)
# Set when the current request wrote: the rest of it reads from the primary.
_WROTE: ContextVar[list[bool] | None] = ContextVar("replica_wrote", default=None)


def replica_configured() -> bool:
    """True when the ``replica`` alias is defined (settings add it when
    ``DATABASE_REPLICA_URL`` is set)."""
    return REPLICA in connections.settings


def read_alias() -> str:
    """The alias reads go to now: ``replica`` inside a request allowed to read from it
    that has not written, outside any transaction on the primary; else ``default``."""
    if not _REPLICA_OK.get() or not replica_configured():
        return PRIMARY
    wrote = _WROTE.get()
    if wrote and wrote[0]:
        return PRIMARY
    if connections[PRIMARY].in_atomic_block:
        return PRIMARY
    return REPLICA


def replica_reads() -> bool:
    """True when reads now go to the replica (``read_alias() == "replica"``)."""
    return read_alias() == REPLICA


def note_write(model: Any = None) -> None:
    """The current request writes ``model``: its remaining reads go to the primary, unless
    the write is incidental to reading a page (``INCIDENTAL_WRITES``)."""
    wrote = _WROTE.get()
    if wrote is None:
        return
    incidental = getattr(settings, "REPLICA_INCIDENTAL_WRITES", INCIDENTAL_WRITES)
    label = getattr(getattr(model, "_meta", None), "label_lower", None)
    if label not in incidental:
        wrote[0] = True


class PrimaryReplicaRouter:
    """Django database router (``DATABASE_ROUTERS``): see the module docstring."""

    def db_for_read(self, model: Any, **hints: Any) -> str:
        return read_alias()

    def db_for_write(self, model: Any, **hints: Any) -> str:
        note_write(model)
        return PRIMARY

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        # The replica is a copy of the primary: objects from either are the same rows.
        return True

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        # The replica replays the primary's migrations; it cannot be written to.
        return db == PRIMARY


def _pin_seconds() -> int:
    return int(getattr(settings, "REPLICA_PIN_SECONDS", 5))


def _token_key(request: HttpRequest) -> str | None:
    """The cache key of the pin of a client that signs with an Authorization header."""
    header = request.headers.get("Authorization", "")
    if not header:
        return None
    return "replica-pin:" + hashlib.sha256(header.encode()).hexdigest()[:40]


def _token_pin_set(request: HttpRequest, seconds: int) -> None:
    key = _token_key(request)
    if key is None:
        return
    try:
        caches["default"].set(key, time.time() + seconds, seconds)
    except Exception:  # noqa: BLE001 - a cache that fails loses the pin, never the answer
        log.warning("replica pin not stored", exc_info=True)


def _token_pinned(request: HttpRequest) -> bool:
    key = _token_key(request)
    if key is None:
        return False
    try:
        until = caches["default"].get(key)
    except Exception:  # noqa: BLE001 - unknown: read from the primary, which is always right
        return True
    return isinstance(until, float) and time.time() < until


def pinned(request: HttpRequest) -> bool:
    """True when the request carries an unexpired pin cookie (its value: the Unix time the
    pin ends; a forged one only sends that browser's reads to the primary), or signs with
    a token that wrote in the last ``REPLICA_PIN_SECONDS``."""
    if _token_pinned(request):
        return True
    value = request.COOKIES.get(REPLICA_PIN_COOKIE, "")
    try:
        until = float(value)
    except ValueError:
        return False
    return time.time() < until <= time.time() + _pin_seconds() + 1


class ReplicaMiddleware:
    """Lets safe, unpinned requests read from the replica; pins a browser to the primary
    for ``REPLICA_PIN_SECONDS`` after it sent an unsafe request. Placed first in
    ``MIDDLEWARE``, so sessions and accounts are read under the same rule."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        safe = request.method in SAFE_METHODS
        allowed = replica_configured() and safe and not pinned(request)
        ok_token = _REPLICA_OK.set(allowed)
        wrote_token = _WROTE.set([False])
        try:
            response = self.get_response(request)
        finally:
            _REPLICA_OK.reset(ok_token)
            _WROTE.reset(wrote_token)
        if replica_configured() and not safe:
            seconds = _pin_seconds()
            _token_pin_set(request, seconds)
            response.set_cookie(
                REPLICA_PIN_COOKIE,
                f"{time.time() + seconds:.3f}",
                max_age=seconds,
                httponly=True,
                samesite="Lax",
                secure=request.is_secure(),
            )
        return response
