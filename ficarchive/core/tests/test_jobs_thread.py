"""In thread mode the web process drains the queue itself after a commit."""

from __future__ import annotations

import time

import pytest

from ficarchive.core import jobs
from ficarchive.core.models import Job

SEEN: list[dict] = []


@pytest.mark.django_db(transaction=True)
def test_thread_mode_runs_jobs_after_commit(settings):
    settings.FICARCHIVE_TASK_MODE = "thread"
    settings.FICARCHIVE_JOB_THREADS = True
    jobs.job_register("test.thread", SEEN.append)
    try:
        from django.db import transaction

        with transaction.atomic():
            jobs.job_enqueue("test.thread", {"n": 1})
            assert SEEN == []  # nothing runs before the commit
        for _ in range(200):  # the drain thread; poll, never assert on time
            if Job.objects.filter(status="done").exists():
                break
            time.sleep(0.05)
        assert SEEN == [{"n": 1}]
        # Let the drain thread finish and close its connection before the database goes.
        assert jobs._drain_lock.acquire(timeout=30)
        jobs._drain_lock.release()
    finally:
        jobs._KINDS.pop("test.thread", None)
