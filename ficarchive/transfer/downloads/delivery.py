"""What a download request gets: the file, or word that it is being built (or failed)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.http import HttpRequest

from ficarchive.core import ratelimit
from ficarchive.works.models import Work

from . import download_build, download_cached, download_needs_background, export_revision


@dataclass
class DownloadState:
    path: Path | None = None
    building: bool = False
    error: str = ""
    # Seconds to wait: this reader has started too many new builds lately.
    retry_after: int = 0


def build_quota_refused(request: HttpRequest | None) -> int:
    """Count one new build (a file not yet built or queued) against the reader's quota:
    settings.FICARCHIVE_RATE_LIMITS "download_build" per account and per address, or the
    smaller "download_build_guest" for guests. Seconds to wait when over it, else 0."""
    if request is None:
        return 0
    user = getattr(request, "user", None)
    scope = (
        "download_build" if user is not None and user.is_authenticated else "download_build_guest"
    )
    refused = ratelimit.action_refused(request, scope)
    return refused.retry_after if refused is not None else 0


def download_for_reader(work: Work, fmt: str, request: HttpRequest | None = None) -> DownloadState:
    """The cached file when it is there; else build it now (quick formats of shorter works)
    or queue a background build and say so. The caller has checked visibility.

    With the request, a build that is neither cached nor queued counts against the
    reader's quota (build_quota_refused); past it the reader gets retry_after instead, so
    many requests share the files already built or queued and start few new ones."""
    from ficarchive.transfer.models import DownloadJob, JobStatus
    from ficarchive.transfer.tasks import download_job_enqueue

    revision = export_revision(work)
    path = download_cached(work, fmt, revision)
    if path is not None:
        return DownloadState(path=path)
    queued = DownloadJob.objects.filter(
        work=work, format=fmt, revision=revision, status__in=[JobStatus.QUEUED, JobStatus.RUNNING]
    ).exists()
    if not queued:
        wait = build_quota_refused(request)
        if wait:
            return DownloadState(retry_after=wait)
    if not download_needs_background(work, fmt):
        return DownloadState(path=download_build(work, fmt, revision))
    job = download_job_enqueue(work=work, fmt=fmt, revision=revision)
    if job.status == JobStatus.FAILED:
        return DownloadState(error=job.error or "Building the download failed.")
    if job.status == JobStatus.DONE:
        # Done, but the file is gone (the cache was cleared): build it again.
        job.delete()
        job = download_job_enqueue(work=work, fmt=fmt, revision=revision)
    return DownloadState(building=True)
