"""The job queue: background work in a database table, run by `ficarchive worker`.

Apps register a handler per job kind from their ``AppConfig.ready()`` (``job_register``)
and queue jobs inside their own transactions (``job_enqueue``, ``jobs_enqueue``), so a job
exists exactly when the write that asked for it was committed. Queues kept in an app's own
table (transfer's download builds) join the same worker through ``queue_register``.

Rules, chosen for a small install on SQLite as much as for PostgreSQL:

- **Claimed once.** A worker claims a job with one conditional UPDATE (queued and due →
  running); two workers never run the same job at the same time.
- **Once-only enqueue.** A job with a ``key`` is inserted with ``ignore_conflicts``; while
  a row with that key exists, asking again does nothing.
- **Atomic by default.** A handler registered with ``atomic=True`` runs in one transaction
  with the row marking the job done: it happens entirely or not at all. Handlers that talk
  to the outside world (SMTP) register ``atomic=False`` and make themselves idempotent.
- **Retried with back-off.** A handler that raises is run again after
  ``RETRY_BASE * 2**(attempts-1)`` seconds (capped at ``RETRY_CAP``), up to its
  ``max_attempts``; then the job is marked failed with the error kept.
- **Crash-safe.** A job still running after ``STALE_AFTER`` is taken to be lost (its
  process died) and queued again; a handler must therefore tolerate being run twice.

With ``FICARCHIVE_TASK_MODE=thread`` (development and small installs) the queue is also
drained by a thread of the web process after each commit that queued something (so a
retry waiting out its back-off runs at the next such commit); with ``worker`` only
``ficarchive worker`` runs it, polling, which is what production should use.

With ``REDIS_URL`` the queue's hand-off goes through Redis: each commit that queued jobs
pushes a wake-up onto a Redis list (:data:`WAKE_KEY`), and an idle worker blocks on that
list (``BLPOP``) instead of sleeping, so a job starts as soon as it is committed, on
whichever worker or machine is free, and idle workers do not need to poll the database
often. The job's row stays the record: claimed once, retried, kept across a crash or a
Redis restart. A Redis that is down costs only the wake-ups: workers then poll."""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import close_old_connections, connection, transaction
from django.db.models import F
from django.utils import timezone

from .jobs_model import Job, JobStatus
from .redis import redis_client, redis_key

log = logging.getLogger(__name__)

STALE_AFTER = dt.timedelta(minutes=10)
RETRY_BASE = 30.0  # seconds before the first retry
RETRY_CAP = 3600.0  # never wait more than an hour between tries
DONE_KEPT = dt.timedelta(days=7)  # finished jobs kept this long (their keys block repeats)
WAKE_KEY = "jobs:wake"  # the Redis list idle workers block on (under the cache's prefix)
WAKE_KEPT = 64  # wake-ups kept at most: more than there are idle workers to wake

Handler = Callable[[dict[str, Any]], None]
Drainer = Callable[[], int]


@dataclass(frozen=True)
class _Kind:
    handler: Handler
    atomic: bool
    max_attempts: int
    scrub: bool = False


_KINDS: dict[str, _Kind] = {}
_QUEUES: dict[str, Drainer] = {}


@dataclass
class _Periodic:
    task: Callable[[], object]
    every: dt.timedelta
    last: float | None = None  # time.monotonic() of the last run in this process


# Housekeeping only the worker process runs (never a web process's drain thread), each at
# most once per ``every`` in that process: heavy, idempotent tasks such as retraining.
_PERIODIC: dict[str, _Periodic] = {}


def periodic_register(name: str, task: Callable[[], object], *, every: dt.timedelta) -> None:
    """Let ``ficarchive worker`` run ``task()`` when it is otherwise idle, at most once per
    ``every`` per worker process (the first time on its first idle pass). The task must be
    idempotent and decide itself whether there is anything to do; its errors are logged,
    never fatal. Off when ``FICARCHIVE_WORKER_PERIODIC`` is False (the test settings)."""
    _PERIODIC[name] = _Periodic(task=task, every=every)


def _periodic_run() -> None:
    if not getattr(settings, "FICARCHIVE_WORKER_PERIODIC", True):
        return
    now = time.monotonic()
    for name, entry in _PERIODIC.items():
        if entry.last is not None and now - entry.last < entry.every.total_seconds():
            continue
        entry.last = now
        try:
            entry.task()
        except Exception:  # a failing housekeeping task must not stop the mail
            log.exception("periodic task %s failed", name)


def job_register(
    kind: str,
    handler: Handler,
    *,
    atomic: bool = True,
    max_attempts: int = 8,
    scrub: bool = False,
) -> None:
    """Run ``handler(payload)`` for jobs of this kind. Registering again replaces it
    (Django may call ``ready()`` twice). With ``scrub``, a job's payload is emptied (``{}``)
    as soon as it is done: for payloads that carry secrets such as a mail's confirmation
    link, which must not sit in the table for ``DONE_KEPT``. A failed job keeps its payload
    so an admin can see what failed."""
    _KINDS[kind] = _Kind(handler, atomic, max_attempts, scrub)


def queue_register(name: str, drain: Drainer) -> None:
    """Another queue the worker drains: ``drain()`` runs what is due there and returns how
    many it ran (0 when nothing is left)."""
    _QUEUES[name] = drain


def _row(kind: str, payload: dict[str, Any], key: str | None, run_after: dt.datetime | None) -> Job:
    if kind not in _KINDS:
        raise ValueError(f"No job kind {kind!r} is registered.")
    return Job(kind=kind, payload=payload, key=key, run_after=run_after or timezone.now())


def job_enqueue(
    kind: str,
    payload: dict[str, Any],
    *,
    key: str | None = None,
    run_after: dt.datetime | None = None,
) -> None:
    """Queue one job (in the caller's transaction). With ``key``, nothing happens when a
    job with that key already exists. Raises ValueError for an unregistered kind."""
    jobs_enqueue([(kind, payload, key, run_after)])


def jobs_enqueue(
    rows: Iterable[tuple[str, dict[str, Any], str | None, dt.datetime | None]],
) -> int:
    """Queue many jobs in one INSERT (batched queueing for fan-outs); rows are
    ``(kind, payload, key, run_after)``. Returns how many were offered."""
    jobs = [_row(*r) for r in rows]
    if not jobs:
        return 0
    Job.objects.bulk_create(jobs, batch_size=500, ignore_conflicts=True)
    _kick_after_commit()
    return len(jobs)


# --- Running -----------------------------------------------------------------------------


def _backoff(attempts: int) -> dt.timedelta:
    return dt.timedelta(seconds=min(RETRY_BASE * 2 ** max(attempts - 1, 0), RETRY_CAP))


def job_run(job_id: int) -> bool:
    """Claim one due job and run it; False when another worker has it or it is not due."""
    now = timezone.now()
    claimed = Job.objects.filter(pk=job_id, status=JobStatus.QUEUED, run_after__lte=now).update(
        status=JobStatus.RUNNING, claimed_at=now, attempts=F("attempts") + 1
    )
    if not claimed:
        return False
    job = Job.objects.get(pk=job_id)
    kind = _KINDS.get(job.kind)
    if kind is None:
        _finish(job, JobStatus.FAILED, f"No handler for {job.kind!r}.")
        return True
    try:
        if kind.atomic:
            with transaction.atomic():
                kind.handler(job.payload)
                _finish(job, JobStatus.DONE, "", scrub=kind.scrub)
        else:
            kind.handler(job.payload)
            _finish(job, JobStatus.DONE, "", scrub=kind.scrub)
    except Exception as exc:  # every failure is retried or recorded, never lost
        log.warning("job %s (%s) failed: %s", job.pk, job.kind, exc)
        error = f"{exc.__class__.__name__}: {exc}"[:2000]
        if job.attempts >= kind.max_attempts:
            _finish(job, JobStatus.FAILED, error)
        else:
            Job.objects.filter(pk=job.pk).update(
                status=JobStatus.QUEUED,
                error=error,
                run_after=timezone.now() + _backoff(job.attempts),
            )
    return True


def _finish(job: Job, status: str, error: str, *, scrub: bool = False) -> None:
    fields: dict[str, Any] = {"status": status, "error": error, "finished_at": timezone.now()}
    if scrub:
        fields["payload"] = {}
    Job.objects.filter(pk=job.pk).update(**fields)


def jobs_requeue_stale(*, now: dt.datetime | None = None) -> int:
    """Queue again the jobs whose worker died while running them; returns how many."""
    now = now or timezone.now()
    return Job.objects.filter(status=JobStatus.RUNNING, claimed_at__lt=now - STALE_AFTER).update(
        status=JobStatus.QUEUED, run_after=now
    )


def jobs_run_pending(*, limit: int | None = None) -> int:
    """Run the due jobs of every queue, oldest first, until none is due (or ``limit`` ran);
    returns how many ran in this process."""
    done = 0
    while limit is None or done < limit:
        jobs_requeue_stale()
        batch = list(
            Job.objects.filter(status=JobStatus.QUEUED, run_after__lte=timezone.now())
            .order_by("run_after", "id")
            .values_list("pk", flat=True)[:50]
        )
        ran = 0
        for job_id in batch:
            if job_run(job_id):
                ran += 1
            if limit is not None and done + ran >= limit:
                break
        for drain in list(_QUEUES.values()):
            ran += drain()
        done += ran
        if not ran:
            break
    return done


def jobs_pending_count() -> int:
    """Jobs queued and due now (the health page and tests read it)."""
    return Job.objects.filter(status=JobStatus.QUEUED, run_after__lte=timezone.now()).count()


def jobs_prune(*, now: dt.datetime | None = None) -> int:
    """Delete finished jobs older than ``DONE_KEPT``; returns how many."""
    now = now or timezone.now()
    deleted, _ = Job.objects.filter(
        status__in=[JobStatus.DONE, JobStatus.FAILED], finished_at__lt=now - DONE_KEPT
    ).delete()
    return deleted


def worker_run(*, until_idle: bool = False, poll_seconds: float = 2.0) -> int:
    """The worker's loop: run due jobs; with ``until_idle`` return once nothing is due
    (jobs scheduled for later, such as tomorrow's digest, do not keep it waiting),
    otherwise poll forever. Returns how many jobs ran."""
    total = 0
    while True:
        if not connection.in_atomic_block:  # a caller's transaction (a test) is kept open
            close_old_connections()  # a long-lived worker drops broken or aged connections
        ran = jobs_run_pending()
        total += ran
        if ran:
            continue
        jobs_prune()
        _periodic_run()
        if until_idle:
            return total
        wait_for_work(poll_seconds)


# --- In-process mode ----------------------------------------------------------------------

_drain_lock = threading.Lock()
# Whether this process has a drain thread, and whether a commit queued work while it was
# draining: the thread then drains once more before it stops. Without the second flag a
# job committed just after the thread's last empty read, while it still held its place,
# waited for the next commit or a worker (a lost wake-up; a CI test once waited 120 s).
_drain_state = {"running": False, "again": False}


def _kick_after_commit() -> None:
    if getattr(settings, "FICARCHIVE_TASK_MODE", "thread") == "thread" and getattr(
        settings, "FICARCHIVE_JOB_THREADS", True
    ):
        transaction.on_commit(_start_drain_thread)
    if getattr(settings, "REDIS_URL", ""):
        transaction.on_commit(workers_wake)


def workers_wake() -> bool:
    """Tell idle workers (``REDIS_URL``) that jobs were committed: push one wake-up onto
    :data:`WAKE_KEY`, keeping at most :data:`WAKE_KEPT`. Whether it was pushed; a Redis
    that is down is logged and ignored (the workers' polling still finds the jobs)."""
    client = redis_client()
    if client is None:
        return False
    key = redis_key(WAKE_KEY)
    try:
        client.pipeline().lpush(key, 1).ltrim(key, 0, WAKE_KEPT - 1).execute()
    except Exception as exc:  # the row is committed; only the wake-up is lost
        log.warning("could not wake the workers through Redis (%s); they will poll", exc)
        return False
    return True


def wait_for_work(timeout: float) -> bool:
    """An idle worker's wait: up to ``timeout`` seconds, less when jobs are committed
    meanwhile (``REDIS_URL``: a ``BLPOP`` on :data:`WAKE_KEY`). Whether a wake-up came.
    Without Redis, or with Redis down, it sleeps ``timeout``."""
    client = redis_client()
    if client is not None:
        try:
            return client.blpop([redis_key(WAKE_KEY)], timeout=max(timeout, 0.01)) is not None
        except Exception as exc:
            log.warning("could not wait on Redis for jobs (%s); polling instead", exc)
    time.sleep(timeout)
    return False


def _start_drain_thread() -> None:
    with _drain_lock:
        if _drain_state["running"]:
            _drain_state["again"] = True  # the running thread drains once more
            return
        _drain_state["running"] = True
        _drain_state["again"] = False
    threading.Thread(target=_drain, name="jobs-drain", daemon=True).start()


def _drain() -> None:
    """The drain thread: run due jobs until no commit has queued more meanwhile."""
    stopped = False
    try:
        while True:
            try:
                jobs_run_pending()
            except Exception:
                log.exception("background jobs failed")
            with _drain_lock:
                if not _drain_state["again"]:
                    # Closed before the thread counts as gone (tests then drop the database).
                    connection.close()
                    _drain_state["running"] = False
                    stopped = True
                    return
                _drain_state["again"] = False
    finally:
        if not stopped:  # something escaped the loop: let the next commit start a thread
            connection.close()
            with _drain_lock:
                _drain_state["running"] = False


def drain_idle(timeout: float) -> bool:
    """Wait up to ``timeout`` seconds until this process has no drain thread at work;
    whether it has none (tests: before their database goes)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with _drain_lock:
            if not _drain_state["running"]:
                return True
        time.sleep(0.02)
    return False
