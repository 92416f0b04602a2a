"""The log-in page says when an account is locked, and for how long."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import reverse

from ficarchive.core import ratelimit
from ficarchive.testing import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def limits(settings):
    settings.FICARCHIVE_RATELIMIT_ENABLED = True
    settings.FICARCHIVE_LOCKOUT_FAILURES = 3
    settings.FICARCHIVE_LOCKOUT_MINUTES = 15
    # Generous per-address limits, so only the account lock is tested here.
    settings.FICARCHIVE_RATE_LIMITS = {
        **settings.FICARCHIVE_RATE_LIMITS,
        "login_ip": "100/h",
        "login": "100/m",
    }
    cache.clear()
    yield
    cache.clear()


def _login(client, username, password):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def test_wrong_password_says_incorrect_only(client, user, limits):
    """One failure gets Django's usual message, no lock notice."""
    page = _login(client, "reader", "wrong").content.decode()
    assert "Please enter a correct" in page and "locked" not in page


def test_locked_account_is_told_for_how_long(client, user, limits):
    """After the limit of failures, even the right password shows the lock and its minutes left."""
    for _ in range(3):
        _login(client, "reader", "wrong")
    r = _login(client, "reader", PASSWORD)
    page = r.content.decode()
    assert r.status_code == 200
    assert "This account is locked after too many failed log-ins. Try again in 15 minutes" in page
    assert "Please enter a correct" not in page
    assert not r.wsgi_request.user.is_authenticated


def test_lock_notice_for_unknown_names_too(client, limits):
    """A name with no account locks the same way, so the notice reveals no account."""
    for _ in range(3):
        _login(client, "nobody_here", "wrong")
    assert "This account is locked" in _login(client, "nobody_here", "x").content.decode()


def test_lock_ends(client, user, limits, monkeypatch):
    """When the lock has run out, the right password logs in again."""
    for _ in range(3):
        _login(client, "reader", "wrong")
    real_time = ratelimit.time.time
    monkeypatch.setattr(ratelimit.time, "time", lambda: real_time() + 16 * 60)  # time is up
    assert _login(client, "reader", PASSWORD).status_code == 302


def test_address_block_is_explained(client, user, limits, settings):
    """An address that failed too often (across names) is told to wait."""
    settings.FICARCHIVE_RATE_LIMITS = {**settings.FICARCHIVE_RATE_LIMITS, "login_ip": "2/h"}
    _login(client, "someone_a", "wrong")
    _login(client, "someone_b", "wrong")
    assert (
        "Too many failed log-ins from your network"
        in _login(client, "reader", PASSWORD).content.decode()
    )
