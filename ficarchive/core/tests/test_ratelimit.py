"""Rate limits (429 with Retry-After) and the log-in lock-out."""

from __future__ import annotations

import pytest
from django.contrib.auth import authenticate
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpResponse
from django.test import RequestFactory

from ficarchive.core import ratelimit
from ficarchive.testing import PASSWORD, make_user, start_of_fresh_window


@pytest.fixture
def limits_on(settings, db):
    # The limits below count per minute in fixed windows: start with a few seconds left.
    start_of_fresh_window(60, 5)
    settings.FICARCHIVE_RATELIMIT_ENABLED = True
    settings.FICARCHIVE_RATE_LIMITS = {
        **settings.FICARCHIVE_RATE_LIMITS,
        "comment": "3/m",
        "login": "4/m",
        "login_ip": "50/15m",
    }
    settings.FICARCHIVE_LOCKOUT_FAILURES = 5
    settings.FICARCHIVE_LOCKOUT_MINUTES = 15
    cache.clear()
    yield settings
    cache.clear()


def test_parse_rate_understands_units_and_multiples():
    """Rates read as count per period in seconds; nonsense fails loudly."""
    assert ratelimit.parse_rate("5/m") == (5, 60)
    assert ratelimit.parse_rate("100/10m") == (100, 600)
    assert ratelimit.parse_rate("2/d") == (2, 86400)
    with pytest.raises(ImproperlyConfigured):
        ratelimit.parse_rate("five a minute")


def test_decorator_answers_429_with_retry_after_past_the_limit(limits_on):
    """The fourth comment within a minute from one address gets 429 and Retry-After; another
    address is not affected, and GETs are not counted."""

    @ratelimit.ratelimit(scope="comment")
    def view(request):
        return HttpResponse("ok")

    rf = RequestFactory()
    for _ in range(5):
        assert view(rf.get("/", REMOTE_ADDR="10.0.0.1")).status_code == 200
    codes = [view(rf.post("/", REMOTE_ADDR="10.0.0.1")).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    refused = view(rf.post("/", REMOTE_ADDR="10.0.0.1"))
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert b"too many times" in refused.content
    assert view(rf.post("/", REMOTE_ADDR="10.0.0.2")).status_code == 200


def test_limits_off_when_disabled(limits_on):
    """FICARCHIVE_RATELIMIT_ENABLED=False lets everything through."""
    limits_on.FICARCHIVE_RATELIMIT_ENABLED = False

    @ratelimit.ratelimit(scope="comment")
    def view(request):
        return HttpResponse("ok")

    rf = RequestFactory()
    assert {view(rf.post("/", REMOTE_ADDR="10.0.0.1")).status_code for _ in range(10)} == {200}


def test_client_ip_believes_forwarded_for_only_from_trusted_proxies(settings):
    """X-Forwarded-For counts only when the peer is a trusted proxy; spoofed entries left of
    the proxy's own are ignored."""
    settings.FICARCHIVE_TRUSTED_PROXIES = ["127.0.0.1/32"]
    rf = RequestFactory()
    direct = rf.get("/", REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert ratelimit.client_ip(direct) == "203.0.113.9"
    proxied = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.7")
    assert ratelimit.client_ip(proxied) == "198.51.100.7"


@pytest.mark.django_db
def test_login_view_is_rate_limited_per_address(client, limits_on):
    """The log-in form (limited by URL name in settings) answers 429 past its rate."""
    codes = [
        client.post(
            "/login", {"username": f"nobody{i}", "password": "x"}, REMOTE_ADDR="10.9.9.9"
        ).status_code
        for i in range(5)
    ]
    assert codes[:4] == [200] * 4
    assert codes[4] == 429


@pytest.mark.django_db
def test_account_locks_after_repeated_failures_even_for_the_right_password(limits_on, monkeypatch):
    """Five wrong passwords lock the account for 15 minutes: the right one fails too, other
    accounts are unaffected, and the lock lifts when the time is up."""
    make_user("victim")
    make_user("bystander")
    for _ in range(5):
        assert authenticate(None, username="victim", password="wrong") is None
    assert ratelimit.login_locked_for("victim") > 14 * 60
    assert authenticate(None, username="victim", password=PASSWORD) is None
    assert authenticate(None, username="bystander", password=PASSWORD) is not None
    real_time = ratelimit.time.time
    monkeypatch.setattr(ratelimit.time, "time", lambda: real_time() + 16 * 60)
    assert ratelimit.login_locked_for("victim") == 0
    assert authenticate(None, username="victim", password=PASSWORD) is not None


@pytest.mark.django_db
def test_successful_login_clears_failures(limits_on):
    """Failures below the threshold are forgotten after a successful log-in."""
    make_user("forgetful")
    for _ in range(4):
        authenticate(None, username="forgetful", password="wrong")
    assert authenticate(None, username="forgetful", password=PASSWORD) is not None
    for _ in range(4):
        authenticate(None, username="forgetful", password="wrong")
    assert ratelimit.login_locked_for("forgetful") == 0


@pytest.mark.django_db
def test_locked_account_cannot_log_in_through_the_form(client, limits_on):
    """Through the real log-in page, a locked account stays signed out."""
    make_user("formuser")
    limits_on.FICARCHIVE_RATE_LIMITS = {**limits_on.FICARCHIVE_RATE_LIMITS, "login": "100/m"}
    for _ in range(5):
        client.post("/login", {"username": "formuser", "password": "wrong"})
    client.post("/login", {"username": "formuser", "password": PASSWORD})
    assert "_auth_user_id" not in client.session


def test_ipv6_addresses_count_by_their_64_network():
    """Two addresses of one IPv6 /64 share a counter; another /64 and IPv4 do not."""
    rf = RequestFactory()
    a = ratelimit.key_ip(rf.get("/", REMOTE_ADDR="2001:db8:1:2::10"))
    b = ratelimit.key_ip(rf.get("/", REMOTE_ADDR="2001:db8:1:2:ffff::99"))
    c = ratelimit.key_ip(rf.get("/", REMOTE_ADDR="2001:db8:1:3::10"))
    assert a == b == "ip:2001:db8:1:2::/64" and c != a
    assert ratelimit.key_ip(rf.get("/", REMOTE_ADDR="203.0.113.9")) == "ip:203.0.113.9"
