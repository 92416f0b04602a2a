"""Hits counted without a database write per page view, as AO3 counts them in Redis and
writes them to the works in batches.

A view's visit is a line "WORK_ID VISITOR_DIGEST DAY" pushed to a buffer:

- with ``REDIS_URL``: a Redis list (``RPUSH``), shared by every worker and server;
- without it: a spool file in ``FICARCHIVE_HOME/hits/`` shared by the worker processes of
  this machine: each visit is one ``O_APPEND`` write under a shared ``flock``; the flush
  takes the file under an exclusive lock and renames it, so no line is lost or read twice.

``hits_flush`` (every ``FLUSH_SECONDS`` by ``ficarchive worker``, and by a web process in
a thread when its last flush is that old, unless job threads are off, as in tests) hands
the visits to ``services.hits_add``, which counts each visitor once per work and day (the
rule ``hit_record`` always kept, by the same unique constraint). A flush that fails keeps
its visits (Redis: pushed back; the spool: the taken file stays and is read again), and a
flush repeated after a commit counts nothing twice. When the buffer itself fails (Redis
down, a disk error), the visit is written at once (``services.hit_record``): slower,
never lost."""

from __future__ import annotations

import datetime as dt
import fcntl
import logging
import os
import threading
import time
import uuid
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.utils import timezone

from ficarchive.core.redis import redis_client

from . import services
from .models import Work

log = logging.getLogger(__name__)

FLUSH_SECONDS = 30.0
REDIS_KEY = "hits:pending"
_flush_lock = threading.Lock()
_last_flush = time.monotonic()


def _redis() -> object | None:
    """The raw client of the default cache when it is Redis (``REDIS_URL``), else None."""
    return redis_client()


def _spool() -> Path:
    folder = Path(settings.FICARCHIVE_HOME) / "hits"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _line(work_id: int, visitor_key: str, day: dt.date) -> str:
    return f"{work_id} {services.visitor_digest(visitor_key)} {day.isoformat()}"


def hit_buffer(*, work_id: int, visitor_key: str, day: dt.date | None = None) -> None:
    """Count a visit (a posted work, a visitor who is not its creator nor a robot: the
    caller decides) at the next flush; written at once when the buffer fails (logged)."""
    day = day or timezone.localdate()
    line = _line(work_id, visitor_key, day)
    try:
        client = _redis()
        if client is not None:
            client.rpush(_redis_key(), line)  # type: ignore[attr-defined]
        else:
            _spool_append(line)
    except Exception:  # noqa: BLE001 - a failing buffer costs a write, never the hit
        log.warning("hit buffer failed; counting the hit at once", exc_info=True)
        work = Work.objects.filter(pk=work_id).first()
        if work is not None:
            services.hit_record(work=work, visitor_key=visitor_key, day=day)
        return
    _flush_soon()


def _redis_key() -> str:
    return caches["default"].make_and_validate_key(REDIS_KEY)


def _spool_append(line: str) -> None:
    path = _spool() / "pending"
    for _ in range(5):
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_SH)
            try:
                moved = os.fstat(fd).st_ino != os.stat(path).st_ino
            except FileNotFoundError:
                moved = True
            if not moved:  # not taken by a flush between our open and our lock
                os.write(fd, (line + "\n").encode())
                return
        finally:
            os.close(fd)  # also releases the lock
    raise OSError("the hit spool kept moving")


def _spool_take() -> list[Path]:
    """Rename the pending spool to a taken file (under the exclusive lock, so no append is
    half done) and return every taken file, earlier failed flushes' too."""
    folder = _spool()
    path = folder / "pending"
    try:
        fd = os.open(path, os.O_RDWR)
    except FileNotFoundError:
        pass
    else:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            os.rename(path, folder / f"taken-{uuid.uuid4().hex}")
        finally:
            os.close(fd)
    return sorted(folder.glob("taken-*"))


def _parse(lines: list[str]) -> list[services.hits.Visit]:
    visits = []
    for line in lines:
        parts = line.split()
        if len(parts) == 3 and parts[0].isdigit():
            try:
                visits.append((int(parts[0]), parts[1], dt.date.fromisoformat(parts[2])))
            except ValueError:
                log.warning("hit spool line skipped: %r", line)
    return visits


def hits_flush() -> int:
    """Write every buffered visit to the works' hit counts; returns how many hits were
    added. Runs one flush at a time per process (another caller returns 0 at once); on a
    database error the visits stay buffered and the error is raised."""
    global _last_flush
    if not _flush_lock.acquire(blocking=False):
        return 0
    try:
        _last_flush = time.monotonic()
        client = _redis()
        if client is not None:
            return _flush_redis(client)
        return _flush_spool()
    finally:
        _flush_lock.release()


def _flush_redis(client: object) -> int:
    key = _redis_key()
    pipe = client.pipeline(transaction=True)  # type: ignore[attr-defined]
    pipe.lrange(key, 0, -1)
    pipe.delete(key)
    raw, _ = pipe.execute()
    lines = [v.decode() if isinstance(v, bytes) else str(v) for v in raw]
    try:
        added = services.hits_add(visits=_parse(lines))
    except Exception:
        if lines:
            client.rpush(key, *lines)  # type: ignore[attr-defined]
        raise
    return sum(added.values())


def _flush_spool() -> int:
    lock = os.open(_spool() / "flush.lock", os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return 0  # another process is flushing
        total = 0
        for taken in _spool_take():
            visits = _parse(taken.read_text().splitlines())
            total += sum(services.hits_add(visits=visits).values())
            taken.unlink()
        return total
    finally:
        os.close(lock)


def hits_discard() -> None:
    """Forget every buffered visit (tests start from an empty buffer)."""
    client = _redis()
    if client is not None:
        client.delete(_redis_key())  # type: ignore[attr-defined]
        return
    for path in [_spool() / "pending", *_spool_take()]:
        path.unlink(missing_ok=True)


def _flush_soon() -> None:
    """In a web process, flush in a thread when the last flush is older than
    ``FLUSH_SECONDS`` (so a small install without a worker still sees its hits)."""
    global _last_flush
    if time.monotonic() - _last_flush < FLUSH_SECONDS:
        return
    if not getattr(settings, "FICARCHIVE_JOB_THREADS", True) or connection.in_atomic_block:
        return
    _last_flush = time.monotonic()  # one thread per period, however many views see it due

    def run() -> None:
        try:
            hits_flush()
        except Exception:
            log.exception("hit flush failed; the visits stay buffered")
        finally:
            connection.close()

    threading.Thread(target=run, name="hits-flush", daemon=True).start()
