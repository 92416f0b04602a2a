"""Keeping the gunicorn master's bitmap index fresh, so a worker forked from it serves at once.

``config.gunicorn`` builds the index in the master (``preload_app``) and every worker
inherits it copy-on-write. A worker started later (after a crash, a timeout or
``--max-requests``) inherits the master's index as it is at the fork, and its first request
catches up through the change log from the index's newest seen id (``BitmapIndex.refresh``).
That is quick only if the master's copy is recent: left alone, it falls behind by every
write since the server started, and once more than ``PATCH_LIMIT`` changes (or a rebuild
notice) pile up the new worker rebuilds the whole index itself (tens of seconds at 1M
works), and every COUNTER_REFRESH_SECONDS its counter sorts go stale and are re-read on the
restart path.

So the master runs one daemon thread that brings its index up to date every
``FICARCHIVE_INDEX_REFRESH_SECONDS`` (default 2). Forking while that thread is half-way
through a patch would hand the worker a torn index and a lock held by a thread that does
not exist in the child, and forking while it holds a database connection would share the
connection's socket with the child. So the thread patches, and closes its connections,
under ``_ROUND`` (the counter sorts' periodic re-read goes into copies outside it, and
only their swap is under it), and an ``os.register_at_fork`` hook takes ``_ROUND`` before
every fork and releases it on both sides after: a fork waits for the round in progress
(milliseconds when patching; a counter re-read or a rebuild is longer and rare) and never
copies one half done.

``warm`` renders one guest listing in the master before the first fork, so a new worker
also inherits compiled templates, URL patterns and loaded translations instead of paying
for them on its first request (0.53 s of CPU against 0.11 s measured at 20k works)."""

from __future__ import annotations

import logging
import os
import threading

from django.db import connections

from . import bitmaps, sharedsorts

log = logging.getLogger("ficarchive")

DEFAULT_INTERVAL = 2.0

_ROUND = threading.Lock()
_started: threading.Thread | None = None
_stop = threading.Event()
_hooked = False


def interval() -> float:
    """Seconds between rounds: FICARCHIVE_INDEX_REFRESH_SECONDS (a positive number), else
    DEFAULT_INTERVAL; a bad value is logged and the default used."""
    raw = os.environ.get("FICARCHIVE_INDEX_REFRESH_SECONDS", "")
    if not raw.strip():
        return DEFAULT_INTERVAL
    try:
        value = float(raw)
    except ValueError:
        value = 0.0
    if value <= 0:
        log.warning("FICARCHIVE_INDEX_REFRESH_SECONDS=%r is not a positive number", raw)
        return DEFAULT_INTERVAL
    return value


def refresh_once() -> None:
    """One round: bring this process's index up to date with the change log (building it
    the first time), then close this thread's database connections. The periodic re-read
    of the counter sorts (seconds at 2M works) runs outside the round, into copies, and
    only the swap is under it: a fork need not wait for the read."""
    index = None
    with _ROUND:
        try:
            index = bitmaps.get_index(counters=False)
        except Exception:  # noqa: BLE001 - the next round tries again; workers catch up alone
            log.warning("bitmap index refresh failed", exc_info=True)
        finally:
            connections.close_all()
    if index is None:
        return
    stale = index.stale_counters()
    if not stale:
        return
    if sharedsorts.shared:
        share_counters(index)
        return
    try:
        sorts = index.read_counters(stale)
    except Exception:  # noqa: BLE001 - as above
        log.warning("bitmap index counter refresh failed", exc_info=True)
        return
    finally:
        connections.close_all()
    with _ROUND, index.lock:
        index.sorts.update(sorts)


def share_counters(index: bitmaps.BitmapIndex | None = None) -> bool:
    """Read the counter sorts once, write them to the shared file (``sharedsorts``) and
    map it in this process (the master), so that every worker, forked before or after,
    reads the same pages. The read and the write run outside ``_ROUND``; only the swap is
    under it. Returns whether it worked (a failure is logged; the workers fall back to
    their own re-read)."""
    try:
        index = index or bitmaps.get_index(counters=False)
        sharedsorts.write()
        read_at, sorts = sharedsorts.load()
    except Exception:  # noqa: BLE001 - the next round tries again; workers read alone
        log.warning("sharing the counter sorts failed", exc_info=True)
        return False
    finally:
        connections.close_all()
    with _ROUND:
        sharedsorts.adopt(index, read_at, sorts)
    return True


def trim() -> None:
    """Give the C heap's free pages back to the system (glibc ``malloc_trim``; nothing
    elsewhere). Called in the master before it forks: a freed page still mapped is shared
    with every worker forked, and the master's next allocation there would copy it into
    each worker's own memory (the index build's and the counter read's transients are
    hundreds of MB at 2M works)."""
    import ctypes
    import ctypes.util

    name = ctypes.util.find_library("c")
    try:
        ctypes.CDLL(name).malloc_trim(0)
    except (OSError, AttributeError):  # not glibc
        pass


def warm(path: str = "/works") -> int:
    """Answer one guest GET of ``path`` in this process (the master, before it forks), so
    the workers it forks inherit what the first request loads; then close the database
    connections. Reads only: a guest listing writes nothing (no session, no hit, no rate
    counter: those are for POSTs and work pages). Returns the status, 0 if it failed."""
    from django.conf import settings
    from django.test import Client

    hosts = [h for h in settings.ALLOWED_HOSTS if h and h[0] not in ".*"]
    try:
        return Client(HTTP_HOST=hosts[0] if hosts else "localhost").get(path).status_code
    except Exception:  # noqa: BLE001 - warming is an optimisation; serve anyway
        log.warning("warming %s failed", path, exc_info=True)
        return 0
    finally:
        connections.close_all()


def _loop(seconds: float) -> None:
    while not _stop.wait(seconds):
        refresh_once()


def _release() -> None:
    if _ROUND.locked():
        _ROUND.release()


def start(seconds: float | None = None) -> threading.Thread:
    """Start the refreshing thread in this process (once; later calls return the running
    one) and the fork hooks that keep forks off a half-done round."""
    global _started, _hooked
    if _started is not None and _started.is_alive():
        return _started
    # Workers forked from here read the counter sorts from the file this thread writes
    # (FICARCHIVE_SHARED_COUNTERS=0: each worker re-reads its own, as before).
    flag = os.environ.get("FICARCHIVE_SHARED_COUNTERS", "1").strip().lower()
    sharedsorts.shared = flag not in {"0", "false", "no", "off"}
    if not _hooked:
        os.register_at_fork(
            before=_ROUND.acquire, after_in_parent=_release, after_in_child=_release
        )
        _hooked = True
    _stop.clear()
    _started = threading.Thread(
        target=_loop, args=(seconds or interval(),), name="bitmap-index-keeper", daemon=True
    )
    _started.start()
    return _started


def running() -> bool:
    """Whether this process's refreshing thread is alive."""
    return _started is not None and _started.is_alive()


def stop(timeout: float = 10.0) -> None:
    """Stop the refreshing thread (tests; the master's exit does not need it: daemon)."""
    global _started
    _stop.set()
    sharedsorts.shared = False
    if _started is not None:
        _started.join(timeout)
    _started = None
