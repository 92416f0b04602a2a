"""Fixtures of the notify tests: jobs run when the test says so, never in a thread."""

from __future__ import annotations

import pytest

from ficarchive.core.jobs import jobs_run_pending


@pytest.fixture(autouse=True)
def worker_mode(settings):
    settings.FICARCHIVE_TASK_MODE = "worker"
    settings.SITE_URL = "http://testserver"


@pytest.fixture
def drain():
    """Run every due job, as `ficarchive worker --until-idle` does."""
    return jobs_run_pending
