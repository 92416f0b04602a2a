"""What a download request gets: the file, or word that it is being built (or failed)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ficarchive.works.models import Work

from . import download_build, download_cached, download_needs_background, export_revision


@dataclass
class DownloadState:
    path: Path | None = None
    building: bool = False
    error: str = ""


def download_for_reader(work: Work, fmt: str) -> DownloadState:
    """The cached file when it is there; else build it now (quick formats of shorter works)
    or queue a background build and say so. The caller has checked visibility."""
    from ficarchive.transfer.models import JobStatus
    from ficarchive.transfer.tasks import download_job_enqueue

    revision = export_revision(work)
    path = download_cached(work, fmt, revision)
    if path is not None:
        return DownloadState(path=path)
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
