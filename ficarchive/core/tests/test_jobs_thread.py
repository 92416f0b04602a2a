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
        assert jobs.drain_idle(30)
    finally:
        jobs._KINDS.pop("test.thread", None)


@pytest.mark.django_db(transaction=True)
def test_a_job_queued_while_the_drain_thread_finishes_still_runs(settings, monkeypatch):
    """The lost wake-up: a job committed after the drain thread's last empty read, while
    that thread still counts as running, is drained by it before it stops (it used to
    wait for the next commit or a worker)."""
    import threading

    from django.db import transaction

    settings.FICARCHIVE_TASK_MODE = "thread"
    settings.FICARCHIVE_JOB_THREADS = True
    jobs.job_register("test.late", SEEN.append)
    first_pass_done = threading.Event()
    release = threading.Event()
    real = jobs.jobs_run_pending
    calls = []

    def slow_run_pending(**kwargs):
        ran = real(**kwargs)
        calls.append(ran)
        if len(calls) == 1:  # the thread's read found nothing yet: hold it there
            first_pass_done.set()
            assert release.wait(30)
        return ran

    monkeypatch.setattr(jobs, "jobs_run_pending", slow_run_pending)
    SEEN.clear()
    try:
        jobs._start_drain_thread()  # a drain thread with nothing to do yet
        assert first_pass_done.wait(30)
        with transaction.atomic():
            jobs.job_enqueue("test.late", {"n": 2})  # its commit finds the thread running
        release.set()
        assert jobs.drain_idle(30)
        assert SEEN == [{"n": 2}]
        assert len(calls) == 2
    finally:
        release.set()
        jobs.drain_idle(30)
        jobs._KINDS.pop("test.late", None)
