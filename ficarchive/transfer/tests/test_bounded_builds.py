"""Bounded download builds (issue 19): identical requests share one job, at most
FICARCHIVE_CONVERT_CONCURRENCY builds run at once across processes (a slot the database
lets one running job hold), and a reader may start only so many new builds."""

from __future__ import annotations

import pytest
from django.test import Client

from ficarchive.testing import make_user, make_work
from ficarchive.transfer.models import DownloadJob, JobStatus
from ficarchive.transfer.tasks import download_job_run, download_jobs_run_pending


@pytest.fixture(autouse=True)
def queued_builds(settings, tmp_path, monkeypatch):
    settings.DOWNLOADS_ROOT = tmp_path / "downloads"
    settings.FICARCHIVE_TASK_MODE = "worker"  # jobs wait; the test runs them
    settings.FICARCHIVE_CONVERT_CONCURRENCY = 1
    settings.FICARCHIVE_RATELIMIT_ENABLED = True
    settings.FICARCHIVE_RATE_LIMITS = {
        **settings.FICARCHIVE_RATE_LIMITS,
        "download_build_guest": "3/h",
        "download_build": "5/h",
    }
    monkeypatch.setattr(
        "ficarchive.transfer.downloads.convert_epub",
        lambda epub, fmt, *, title, timeout=None: b"AZW3 data",
    )


def _azw3(work):
    return f"/downloads/{work.pk}/{work.slug}.azw3"


def test_many_guests_asking_for_one_file_share_one_job(author):
    """Sixty guests from sixty addresses asking for the same AZW3 queue one job."""
    work = make_work(author)
    codes = {Client(REMOTE_ADDR=f"198.51.100.{i}").get(_azw3(work)).status_code for i in range(60)}
    assert codes == {202}
    assert DownloadJob.objects.filter(work=work).count() == 1


def test_a_guest_may_start_only_a_few_new_builds(author):
    """download_build_guest=3/h: the fourth new AZW3 from one address is a 429 and queues
    nothing; files already queued are still shared with that guest."""
    works = [make_work(author, title=f"Work {i}") for i in range(5)]
    guest = Client(REMOTE_ADDR="203.0.113.7")
    codes = [guest.get(_azw3(w)).status_code for w in works[:4]]
    assert codes == [202, 202, 202, 429]
    assert DownloadJob.objects.count() == 3
    Client(REMOTE_ADDR="203.0.113.8").get(_azw3(works[4]))  # another guest queues it
    assert guest.get(_azw3(works[4])).status_code == 202  # shared, not a new build
    assert DownloadJob.objects.count() == 4


def test_only_one_build_runs_at_a_time(author):
    """With one slot held by a running job, another job is not claimed and stays queued;
    once the slot is free the queue runs it."""
    first, second = make_work(author, title="First"), make_work(author, title="Second")
    guest = Client(REMOTE_ADDR="203.0.113.9")
    guest.get(_azw3(first))
    guest.get(_azw3(second))
    job_a, job_b = DownloadJob.objects.order_by("id")
    # Another process holds the only slot (what a running worker's claim leaves behind).
    DownloadJob.objects.filter(pk=job_a.pk).update(status=JobStatus.RUNNING, slot=0)
    assert download_job_run(job_b.pk) is False
    job_b.refresh_from_db()
    assert job_b.status == JobStatus.QUEUED and job_b.slot is None
    assert download_jobs_run_pending() == 0
    DownloadJob.objects.filter(pk=job_a.pk).update(status=JobStatus.DONE, slot=None)
    assert download_jobs_run_pending() == 1
    job_b.refresh_from_db()
    assert job_b.status == JobStatus.DONE and job_b.slot is None


def test_two_slots_let_two_builds_run(author, settings):
    """FICARCHIVE_CONVERT_CONCURRENCY=2: a second job takes the second slot."""
    settings.FICARCHIVE_CONVERT_CONCURRENCY = 2
    first, second = make_work(author, title="First"), make_work(author, title="Second")
    user = make_user("reader")
    client = Client()
    client.force_login(user)
    client.get(_azw3(first))
    client.get(_azw3(second))
    job_a, job_b = DownloadJob.objects.order_by("id")
    DownloadJob.objects.filter(pk=job_a.pk).update(status=JobStatus.RUNNING, slot=0)
    assert download_job_run(job_b.pk) is True
    job_b.refresh_from_db()
    assert job_b.status == JobStatus.DONE
