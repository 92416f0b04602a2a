"""Shared fixtures: users and works made through the services, as the app makes them."""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, settings

# CI runs property tests on a fixed seed so that a landing is never decided by luck; a
# developer's run explores new examples each time (and keeps failures in .hypothesis/).
settings.register_profile(
    "ci", derandomize=True, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("dev", deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")

from ficarchive.core.testing import make_user, make_work  # noqa: F401


@pytest.fixture
def user(db):
    return make_user("reader")


@pytest.fixture
def author(db):
    return make_user("author")


@pytest.fixture
def admin_user(db):
    return make_user("admin", is_superuser=True, is_staff=True)


@pytest.fixture
def work(author):
    return make_work(author)
