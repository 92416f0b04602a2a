"""Shared fixtures: users and works made through the services, as the app makes them."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time

import pytest
from hypothesis import HealthCheck, settings

from ficarchive.testing import make_user, make_work  # noqa: F401

# CI runs property tests on a fixed seed so that a landing is never decided by luck; a
# developer's run explores new examples each time (and keeps failures in .hypothesis/).
settings.register_profile(
    "ci",
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("dev", deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")


@pytest.fixture(autouse=True)
def _force_login_passes_two_factor(monkeypatch):
    """The admin needs a second factor (django-otp). ``Client.force_login`` already skips
    the password; for staff it skips the code too, so tests of admin pages need not type
    one. The log-in with a real code is tested in ficarchive/site/tests/test_two_factor.py."""
    from django.test import Client

    original = Client.force_login

    def force_login(self, user, backend=None):
        original(self, user, backend)
        if getattr(user, "is_staff", False):
            from ficarchive.testing import otp_verify_session

            otp_verify_session(self, user)

    monkeypatch.setattr(Client, "force_login", force_login)


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


CHROMIUM = "/usr/bin/chromium"


@pytest.fixture
def browser():
    """Debian's headless Chromium driven by Playwright (never a downloaded browser); tests
    that need it skip where it is not installed."""
    sync_api = pytest.importorskip("playwright.sync_api")
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"Chromium is not installed at {CHROMIUM}")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's sync API runs an event loop
    with sync_api.sync_playwright() as p:
        launched = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-background-networking", "--disable-gpu"],
            headless=True,
        )
        yield launched
        launched.close()


@pytest.fixture(autouse=True)
def _empty_cache():
    """Every test starts and ends with an empty default cache: the local-memory cache
    outlives a test's rolled-back rows, so a page, facet list or blurb cached by an
    earlier test (whose ids may be reused) must not be served to this one."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _empty_hit_buffer():
    """Every test starts with an empty hit buffer (``works.hits``): visits buffered by an
    earlier test, whose works were rolled back (and whose ids may be reused), must not land
    on this test's works when it flushes."""
    from ficarchive.works.hits import hits_discard

    hits_discard()
    yield


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts in the default interface language and leaves it so: a request
    with ``Accept-Language`` (LocaleMiddleware) leaves its language active in the thread,
    and a later test asserting English text (a CLI error, a query message) would fail or
    pass by the order tests ran in."""
    from django.conf import settings
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):
        yield


def _free_tcp_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def redis_url():
    """A private redis-server on a free port for the test (skips when not installed);
    yields its ``redis://`` URL."""
    server = shutil.which("redis-server")
    if server is None:
        pytest.skip("redis-server is not installed")
    port = _free_tcp_port()
    proc = subprocess.Popen(  # noqa: S603 - a local test server
        [server, "--port", str(port), "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
                break
            except OSError:
                time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        proc.terminate()
        proc.wait(timeout=10)
