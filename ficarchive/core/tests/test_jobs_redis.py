"""With REDIS_URL the job queue's hand-off goes through Redis: a commit that queued jobs
pushes a wake-up, an idle worker's wait (BLPOP) returns on it; a rolled-back write wakes
no one; a Redis that is down costs only the wake-up (the worker sleeps and polls)."""

from __future__ import annotations

import socket
import threading

import pytest
from django.db import transaction
from django.test import override_settings

from ficarchive.core import jobs
from ficarchive.core.redis import redis_client, redis_key

pytestmark = pytest.mark.django_db


def _redis_settings(url: str) -> override_settings:
    return override_settings(
        REDIS_URL=url,
        FICARCHIVE_TASK_MODE="worker",
        CACHES={
            "default": {
                "BACKEND": "ficarchive.core.cache_backend.FailSoftRedisCache",
                "LOCATION": url,
                "KEY_PREFIX": "jobstest",
            }
        },
    )


@pytest.fixture
def kind():
    jobs.job_register("test.redis", lambda payload: None)
    yield "test.redis"
    jobs._KINDS.pop("test.redis", None)


def _pending_wakeups() -> int:
    return redis_client().llen(redis_key(jobs.WAKE_KEY))


def test_a_committed_job_wakes_one_wait(redis_url, kind, django_capture_on_commit_callbacks):
    with _redis_settings(redis_url):
        with django_capture_on_commit_callbacks(execute=True):
            jobs.job_enqueue(kind, {"n": 1})
        assert _pending_wakeups() == 1
        assert redis_key(jobs.WAKE_KEY).startswith("jobstest:")
        # The wake-up is there: the wait returns it (a lost one would wait the 30 s out
        # and return False).
        assert jobs.wait_for_work(30) is True
        assert _pending_wakeups() == 0


def test_a_rolled_back_job_wakes_no_one(redis_url, kind, django_capture_on_commit_callbacks):
    with _redis_settings(redis_url):
        with django_capture_on_commit_callbacks(execute=True):
            try:
                with transaction.atomic():
                    jobs.job_enqueue(kind, {"n": 2})
                    raise RuntimeError("the write fails")
            except RuntimeError:
                pass
        assert _pending_wakeups() == 0
        assert jobs.wait_for_work(0.05) is False


def test_a_waiting_worker_returns_when_woken(redis_url):
    with _redis_settings(redis_url):
        result: list[bool] = []
        waiter = threading.Thread(target=lambda: result.append(jobs.wait_for_work(30)))
        waiter.start()
        assert jobs.workers_wake() is True
        waiter.join(60)
        assert result == [True]


def test_wakeups_are_bounded(redis_url):
    with _redis_settings(redis_url):
        for _ in range(jobs.WAKE_KEPT + 10):
            jobs.workers_wake()
        assert _pending_wakeups() == jobs.WAKE_KEPT


def test_redis_down_costs_only_the_wakeup(kind, django_capture_on_commit_callbacks):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # nothing listens there once closed
    with _redis_settings(f"redis://127.0.0.1:{port}/0"):
        with django_capture_on_commit_callbacks(execute=True):
            jobs.job_enqueue(kind, {"n": 3})
        assert jobs.workers_wake() is False
        assert jobs.wait_for_work(0.05) is False
        assert jobs.jobs_pending_count() == 1  # the job is in the table for the poll


def test_without_redis_nothing_is_pushed(kind):
    assert redis_client() is None
    assert jobs.workers_wake() is False


def test_a_download_build_queued_for_the_workers_wakes_them(
    work, monkeypatch, settings, django_capture_on_commit_callbacks
):
    from ficarchive.transfer import tasks

    settings.FICARCHIVE_TASK_MODE = "worker"
    woken: list[bool] = []
    monkeypatch.setattr(tasks, "workers_wake", lambda: woken.append(True))
    with django_capture_on_commit_callbacks(execute=True):
        tasks.download_job_enqueue(work=work, fmt="epub", revision="r1")
    assert woken == [True]
