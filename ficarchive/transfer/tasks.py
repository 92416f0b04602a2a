"""Background builds of download files, on a small queue kept in the database.

A job is queued with transaction.on_commit. With FICARCHIVE_TASK_MODE "thread" (the
default: development, tests, small installs) it then runs in a thread of the web
process; with "worker" it waits for `ficarchive worker`, which any number of machines
may run: a job is claimed by one conditional UPDATE, so two workers never build it twice.

Bounded: identical requests share one job (a unique constraint on work, format and
revision); at most FICARCHIVE_CONVERT_CONCURRENCY jobs run at once across every process,
each holding one numbered slot that the database lets only one running job hold; a job
that finds every slot taken stays queued for the next free runner."""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time

from django.conf import settings
from django.db import (
    IntegrityError,
    OperationalError,
    close_old_connections,
    connection,
    transaction,
)
from django.utils import timezone

from ficarchive.core.jobs import workers_wake
from ficarchive.works.models import Work

from .downloads import ConversionError, download_build
from .models import DownloadJob, JobStatus

log = logging.getLogger(__name__)

# A running job not finished after this long is taken to be lost (its process died).
STALE_AFTER = dt.timedelta(minutes=15)
# A failed build is retried when someone asks again after this long.
RETRY_FAILED_AFTER = dt.timedelta(minutes=5)
MAX_ATTEMPTS = 3


def task_mode() -> str:
    return getattr(settings, "FICARCHIVE_TASK_MODE", "thread")


def convert_concurrency() -> int:
    """How many builds may run at once across all processes (at least 1)."""
    return max(1, int(getattr(settings, "FICARCHIVE_CONVERT_CONCURRENCY", 1)))


def download_job_enqueue(*, work: Work, fmt: str, revision: str) -> DownloadJob:
    """The job building this file: the existing one, or a new one queued after commit."""
    job = DownloadJob.objects.filter(work=work, format=fmt, revision=revision).first()
    if job is None:
        try:
            with transaction.atomic():
                job = DownloadJob.objects.create(work=work, format=fmt, revision=revision)
        except IntegrityError:  # another request queued it a moment ago
            return DownloadJob.objects.get(work=work, format=fmt, revision=revision)
        _dispatch(job.pk)
        return job
    now = timezone.now()
    stale = (
        job.status == JobStatus.RUNNING and job.started_at and now - job.started_at > STALE_AFTER
    )
    retry = (
        job.status == JobStatus.FAILED
        and job.attempts < MAX_ATTEMPTS
        and job.finished_at
        and now - job.finished_at > RETRY_FAILED_AFTER
    )
    if stale or retry:
        DownloadJob.objects.filter(pk=job.pk, status=job.status).update(
            status=JobStatus.QUEUED, error="", slot=None
        )
        job.status = JobStatus.QUEUED
        _dispatch(job.pk)
    elif job.status == JobStatus.QUEUED and not _busy():
        # Waiting for a slot that is free now (its holder's thread may have died with its
        # process): a reader asking again starts it. A busy queue starts nothing more.
        _dispatch(job.pk)
    return job


def _dispatch(job_id: int) -> None:
    if task_mode() == "thread":
        transaction.on_commit(lambda: _start_thread(job_id))
    else:  # the workers build it; with REDIS_URL an idle one starts at once
        transaction.on_commit(workers_wake)


# How often a build thread tries again when the database is locked, waiting a little
# longer each time (about 10 s in all).
LOCKED_RETRIES = 12


def _start_thread(job_id: int) -> None:
    def run() -> None:
        try:
            for attempt in range(LOCKED_RETRIES):
                try:
                    download_job_run(job_id)
                    # A job left queued because every slot was taken is run by whoever
                    # frees one.
                    download_jobs_run_pending()
                    return
                except OperationalError:
                    # SQLite refused the claim (a writer elsewhere; in the tests' shared
                    # in-memory database, even a reader of the table: no busy wait
                    # there). The job is still queued: try again rather than leave it
                    # for the next reader to restart.
                    connection.close()
                    time.sleep(0.15 * (attempt + 1))
            log.warning("download job %s: the database stayed locked; left queued", job_id)
        finally:
            connection.close()

    threading.Thread(target=run, name=f"download-job-{job_id}", daemon=True).start()


def _reclaim_stale() -> None:
    """Requeue running jobs whose process died, freeing their slots."""
    DownloadJob.objects.filter(
        status=JobStatus.RUNNING, started_at__lt=timezone.now() - STALE_AFTER
    ).update(status=JobStatus.QUEUED, slot=None)


def _claim(job_id: int) -> str:
    """ "claimed", "gone" (not queued: someone else has it) or "busy" (every slot taken)."""
    for slot in range(convert_concurrency()):
        try:
            with transaction.atomic():
                claimed = DownloadJob.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
                    status=JobStatus.RUNNING, started_at=timezone.now(), slot=slot
                )
        except IntegrityError:  # another running job holds this slot
            continue
        return "claimed" if claimed else "gone"
    return "busy"


def download_job_run(job_id: int) -> bool:
    """Claim a queued job and build its file; False when someone else has it or every
    build slot is taken (the job then stays queued)."""
    if _claim(job_id) != "claimed":
        return False
    job = DownloadJob.objects.select_related("work").get(pk=job_id)
    status, error = JobStatus.DONE, ""
    try:
        download_build(job.work, job.format, job.revision)
    except ConversionError as exc:
        status, error = JobStatus.FAILED, str(exc)
    except Exception as exc:  # a job must end, whatever went wrong
        log.exception("download job %s failed", job_id)
        status, error = JobStatus.FAILED, f"Building the download failed: {exc.__class__.__name__}."
    DownloadJob.objects.filter(pk=job_id).update(
        status=status,
        error=error,
        finished_at=timezone.now(),
        attempts=job.attempts + 1,
        slot=None,
    )
    return True


def download_jobs_run_pending(*, limit: int | None = None) -> int:
    """Run queued jobs, oldest first, while a build slot is free; returns how many this
    process ran."""
    _reclaim_stale()
    done = 0
    while limit is None or done < limit:
        ids = list(
            DownloadJob.objects.filter(status=JobStatus.QUEUED).values_list("pk", flat=True)[:10]
        )
        if not ids:
            break
        for job_id in ids:
            if download_job_run(job_id):
                done += 1
            elif _busy():
                return done  # every slot is taken: the runners holding them go on
            if limit is not None and done >= limit:
                break
    return done


def _busy() -> bool:
    return DownloadJob.objects.filter(slot__isnull=False).count() >= convert_concurrency()


def worker_loop(*, poll_seconds: float = 2.0, once: bool = False) -> None:
    """Process queued jobs forever (or once), polling the queue."""
    while True:
        close_old_connections()
        ran = download_jobs_run_pending()
        if once:
            return
        if not ran:
            time.sleep(poll_seconds)
