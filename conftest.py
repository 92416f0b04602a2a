"""Shared fixtures: users and works made through the services, as the app makes them."""

from __future__ import annotations

import pytest

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
