"""Authentication edges (issue 19): an e-reader's token is not a failed password, a new
password revokes API tokens, and reset links come from the configured site address."""

from __future__ import annotations

import base64
import re

import pytest
from django.core import mail
from django.test import Client

from ficarchive.accounts.models import ApiToken
from ficarchive.accounts.tokens import token_create
from ficarchive.core import ratelimit
from ficarchive.testing import PASSWORD, make_user, make_work, start_of_fresh_window

pytestmark = pytest.mark.django_db
NEW = "an-entirely-new-password-42"


@pytest.fixture
def limits_on(settings):
    start_of_fresh_window(60, 5)  # limits set per minute count in fixed windows
    settings.FICARCHIVE_RATELIMIT_ENABLED = True
    settings.FICARCHIVE_LOCKOUT_FAILURES = 5
    return settings


def _basic(user: str, secret: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{secret}".encode()).decode()


def test_opds_token_syncs_never_lock_the_owner_out(limits_on):
    """Ten OPDS requests with an API token as the Basic password succeed and count no
    failed log-in: the owner's password still works afterwards."""
    reader = make_user("reader")
    _, raw = token_create(actor=reader, name="e-reader")
    client = Client()
    for _ in range(10):
        response = client.get("/opds/bookmarks", HTTP_AUTHORIZATION=_basic("reader", raw))
        assert response.status_code == 200
    assert ratelimit.login_locked_for("reader") == 0
    assert client.login(username="reader", password=PASSWORD)


def test_password_change_revokes_api_tokens():
    """After a password change the account's tokens no longer work, and the page says so."""
    reader = make_user("reader")
    _, raw = token_create(actor=reader, name="script")
    client = Client()
    client.force_login(reader)
    response = client.post(
        "/password/change",
        {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW},
        follow=True,
    )
    assert response.status_code == 200
    assert b"revoked" in response.content
    assert not ApiToken.objects.filter(user=reader).exists()
    api = Client().get("/api/v1/works", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert api.status_code == 401


def test_password_reset_link_uses_site_url_and_revokes_tokens(settings):
    """The link in the reset email is built from SITE_URL whatever Host the request sent;
    setting the new password revokes the tokens."""
    settings.SITE_URL = "https://archive.example.org"
    reader = make_user("reader")
    token_create(actor=reader, name="script")
    client = Client()
    client.post("/password/reset", {"email": reader.email}, HTTP_HOST="localhost")
    body = mail.outbox[0].body
    assert "https://archive.example.org/password/reset/" in body
    assert "localhost" not in body
    path = re.search(r"https://archive\.example\.org(/password/reset/\S+)", body).group(1)
    response = client.get(path, follow=True)
    client.post(response.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW})
    reader.refresh_from_db()
    assert reader.check_password(NEW)
    assert not ApiToken.objects.filter(user=reader).exists()


def test_opds_search_is_rate_limited_and_bounded(limits_on):
    """OPDS search counts against the "search" limit (429 past it), and an absurd page
    number is an empty page, not a deep scan or an error."""
    limits_on.FICARCHIVE_RATE_LIMITS = {**limits_on.FICARCHIVE_RATE_LIMITS, "search": "2/m"}
    make_work(make_user("author"), title="Findable Story")
    client = Client(REMOTE_ADDR="203.0.113.40")
    assert client.get("/opds/search", {"q": "Findable"}).status_code == 200
    deep = client.get("/opds/search", {"q": "Findable", "page": "9" * 30})
    assert deep.status_code == 200 and b"Findable Story" not in deep.content
    assert client.get("/opds/search", {"q": "Findable"}).status_code == 429


def test_opds_revoked_token_is_refused_without_counting_a_failure(limits_on):
    """A revoked token (the e-reader not yet told of a password change) gets 401 on every
    sync and never locks the owner out."""
    reader = make_user("reader")
    token, raw = token_create(actor=reader, name="e-reader")
    token.delete()
    client = Client()
    for _ in range(8):
        response = client.get("/opds/bookmarks", HTTP_AUTHORIZATION=_basic("reader", raw))
        assert response.status_code == 401
    assert ratelimit.login_locked_for("reader") == 0
    assert client.login(username="reader", password=PASSWORD)
