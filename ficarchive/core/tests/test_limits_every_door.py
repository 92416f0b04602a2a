"""One limit for every door (issue 19): the web form and the API count the same action
against the same account and address; guests behind a trusted proxy are told apart; the
deploy check warns about per-process counters."""

from __future__ import annotations

import json

import pytest
from django.core.checks import run_checks
from django.test import Client

from ficarchive.accounts.models import TokenScope
from ficarchive.accounts.tokens import token_create
from ficarchive.core import ratelimit, ratestore
from ficarchive.feedback.models import Kudos
from ficarchive.testing import make_user, make_work, start_of_fresh_window
from ficarchive.works.hits import hits_flush
from ficarchive.works.models import WorkHit


@pytest.fixture
def limits_on(settings, db):
    # The limits below count per minute in fixed windows: start with a few seconds left.
    start_of_fresh_window(60, 5)
    settings.FICARCHIVE_RATELIMIT_ENABLED = True
    settings.FICARCHIVE_RATELIMIT_STORE = "database"
    settings.FICARCHIVE_MODERATE_GUEST_COMMENTS = False
    settings.FICARCHIVE_RATE_LIMITS = {
        **settings.FICARCHIVE_RATE_LIMITS,
        "comment": "3/m",
        "bookmark": "2/m",
        "kudos": "100/m",
    }
    settings.FICARCHIVE_TRUSTED_PROXIES = ["127.0.0.1/32"]
    return settings


def _api(token, path, data):
    return Client().post(
        "/api/v1" + path,
        json.dumps(data),
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )


def test_web_and_api_comments_share_one_limit(limits_on):
    """comment=3/m: two API comments and one web comment use up the account's minute; the
    fourth is refused on both doors (JSON under /api/, the 429 page on the web)."""
    author, reader = make_user("author"), make_user("reader")
    work = make_work(author)
    _, raw = token_create(actor=reader, name="t", scope=TokenScope.WRITE)
    assert _api(raw, f"/works/{work.pk}/comments", {"body": "One."}).status_code == 201
    assert _api(raw, f"/works/{work.pk}/comments", {"body": "Two."}).status_code == 201
    web = Client()
    web.force_login(reader)
    assert web.post(f"/works/{work.pk}/comments", {"body": "Three."}).status_code == 302
    refused = web.post(f"/works/{work.pk}/comments", {"body": "Four."})
    assert refused.status_code == 429 and "Retry-After" in refused
    api_refused = _api(raw, f"/works/{work.pk}/comments", {"body": "Five."})
    assert api_refused.status_code == 429
    assert api_refused.json()["error"]["code"] == "rate_limited"


def test_api_bookmarks_are_limited_per_account(limits_on):
    """bookmark=2/m: the third API bookmark within a minute is a 429."""
    author, reader = make_user("author"), make_user("reader")
    works = [make_work(author, title=f"W{i}") for i in range(3)]
    _, raw = token_create(actor=reader, name="t", scope=TokenScope.WRITE)
    codes = [_api(raw, "/bookmarks", {"work_id": w.pk}).status_code for w in works]
    assert codes[:2] == [201, 201] and codes[2] == 429


def test_address_is_counted_across_accounts(limits_on):
    """Two accounts on one address share the address's counter (comment_address unset, so
    the address has the account's rate)."""
    author = make_user("author")
    work = make_work(author)
    codes = []
    for i in range(4):
        user = make_user(f"sock{i}")
        c = Client(REMOTE_ADDR="198.51.100.20")
        c.force_login(user)
        codes.append(c.post(f"/works/{work.pk}/comments", {"body": f"Hi {i}."}).status_code)
    assert codes == [302, 302, 302, 429]


def test_guests_behind_the_trusted_proxy_are_told_apart(limits_on):
    """Behind nginx (REMOTE_ADDR 127.0.0.1) two guests with their own X-Forwarded-For each
    leave kudos and each count a hit; a guest sending X-Forwarded-For directly is not
    believed."""
    author = make_user("author")
    work = make_work(author)
    for addr in ("203.0.113.1", "203.0.113.2"):
        c = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=addr)
        c.post(f"/works/{work.pk}/kudos")
        c.get(f"/works/{work.pk}")
    assert Kudos.objects.filter(work=work, user__isnull=True).count() == 2
    hits_flush()  # hits are buffered, then written in batches (works.hits)
    assert WorkHit.objects.filter(work=work).count() == 2
    spoof = Client(REMOTE_ADDR="203.0.113.1", HTTP_X_FORWARDED_FOR="192.0.2.99")
    spoof.post(f"/works/{work.pk}/kudos")
    assert Kudos.objects.filter(work=work, user__isnull=True).count() == 2


def test_database_store_counts_and_expires(limits_on, monkeypatch):
    """The database store counts atomically from 1, and an expired lock starts again."""
    assert [ratestore.incr("k", 60) for _ in range(3)] == [1, 2, 3]
    assert ratestore.get("k") == 3
    ratestore.put("lock", 12345, 60)
    assert ratestore.get("lock") == 12345
    ratestore.delete("k")
    assert ratestore.get("k") == 0
    ratestore.incr("short", -1)  # already expired
    assert ratestore.incr("short", 60) == 1
    assert ratestore.sweep() == 0


def test_cache_store_still_works(limits_on):
    """With FICARCHIVE_RATELIMIT_STORE=cache (Redis in production) the limits still count."""
    limits_on.FICARCHIVE_RATELIMIT_STORE = "cache"
    decisions = [ratelimit.hit("comment", "ip:192.0.2.1") for _ in range(4)]
    assert [d.allowed for d in decisions] == [True, True, True, False]


def test_deploy_check_warns_about_per_process_limits(settings):
    """`check --deploy` warns (ficarchive.W001) when limits live in a local-memory cache, and
    not with the database store."""
    settings.FICARCHIVE_RATELIMIT_ENABLED = True
    settings.FICARCHIVE_RATELIMIT_STORE = "cache"
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    ids = {m.id for m in run_checks(include_deployment_checks=True)}
    assert "ficarchive.W001" in ids
    settings.FICARCHIVE_RATELIMIT_STORE = "database"
    ids = {m.id for m in run_checks(include_deployment_checks=True)}
    assert "ficarchive.W001" not in ids


@pytest.mark.parametrize(
    ("path", "scope", "signed_in"),
    [("/works/import", "import", True), ("/signup", "signup", False)],
)
def test_imports_and_signups_are_limited(limits_on, path, scope, signed_in):
    """Imports (per account and address) and sign-ups (per address) stop at their rate,
    even when the posts themselves are refused as invalid."""
    limits_on.FICARCHIVE_RATE_LIMITS = {**limits_on.FICARCHIVE_RATE_LIMITS, scope: "2/h"}
    client = Client(REMOTE_ADDR="198.51.100.77")
    if signed_in:
        client.force_login(make_user("importer"))
    codes = [client.post(path, {}).status_code for _ in range(3)]
    assert 429 not in codes[:2] and codes[2] == 429
