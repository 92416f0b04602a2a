"""The worker's periodic housekeeping: run when idle, at most once per interval, errors
logged and never fatal; suggestions' retraining is registered with it."""

from __future__ import annotations

import datetime as dt

import pytest

from ficarchive.core import jobs

pytestmark = pytest.mark.django_db


@pytest.fixture
def periodic(settings):
    settings.FICARCHIVE_WORKER_PERIODIC = True
    saved = dict(jobs._PERIODIC)
    jobs._PERIODIC.clear()
    yield jobs._PERIODIC
    jobs._PERIODIC.clear()
    jobs._PERIODIC.update(saved)


def test_runs_once_per_interval_and_survives_errors(periodic):
    calls: list[str] = []

    def broken() -> None:
        calls.append("broken")
        raise RuntimeError("boom")

    jobs.periodic_register("count", lambda: calls.append("count"), every=dt.timedelta(hours=1))
    jobs.periodic_register("broken", broken, every=dt.timedelta(hours=1))
    jobs.worker_run(until_idle=True)
    jobs.worker_run(until_idle=True)  # within the hour: not again
    assert sorted(calls) == ["broken", "count"]
    periodic["count"].last = None  # as if the hour had passed
    jobs.worker_run(until_idle=True)
    assert calls.count("count") == 2


def test_off_in_settings(settings, periodic):
    settings.FICARCHIVE_WORKER_PERIODIC = False
    calls: list[int] = []
    jobs.periodic_register("count", lambda: calls.append(1), every=dt.timedelta(seconds=0))
    jobs.worker_run(until_idle=True)
    assert calls == []


def test_suggestions_retrain_from_the_worker():
    from ficarchive.suggest.services import model_retrain_if_due

    assert jobs._PERIODIC["suggest_retrain"].task is model_retrain_if_due
