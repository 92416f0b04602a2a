"""The token settings page and the human description of the API."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings
from django.urls import include, path

from ficarchive.accounts.models import ApiToken
from ficarchive.testing import PASSWORD

pytestmark = pytest.mark.django_db

# The site's URLs plus the token page at /users/NAME/tokens, as config/urls.py will mount it.
urlpatterns = [
    path("", include("ficarchive.api.site_urls")),
    path("", include("config.urls")),
]


def _login(username: str) -> Client:
    client = Client()
    client.login(username=username, password=PASSWORD)
    return client


def test_token_page_creates_shows_once_and_revokes(user):
    """A user makes a token (shown once, working at once), sees it listed, and revokes it."""
    client = _login("reader")
    made = client.post(
        "/api/v1/tokens", {"action": "create", "name": "My reader app", "scope": "write"}
    )
    assert made.status_code == 200
    raw = made.context["raw_token"]
    assert raw.startswith("fa_") and raw in made.content.decode()
    assert (
        Client()
        .get("/api/v1/", headers={"Authorization": f"Bearer {raw}"})
        .json()["authenticated_as"]
        == "reader"
    )
    listed = client.get("/api/v1/tokens").content.decode()
    assert "My reader app" in listed and raw not in listed
    token = ApiToken.objects.get(user=user)
    client.post("/api/v1/tokens", {"action": "revoke", "token_id": token.pk})
    assert not ApiToken.objects.exists()
    assert Client().get("/api/v1/", headers={"Authorization": f"Bearer {raw}"}).status_code == 401


def test_token_page_rejects_blank_name(user):
    """A token needs a name; the form says so and makes nothing."""
    response = _login("reader").post(
        "/api/v1/tokens", {"action": "create", "name": "  ", "scope": "read"}
    )
    assert response.status_code == 400 and b"Give the token a name" in response.content
    assert not ApiToken.objects.exists()


def test_cannot_revoke_someone_elses_token(user, author):
    """Revoking another user's token is a 404 and leaves it working."""
    from ficarchive.accounts.tokens import token_create

    token, _raw = token_create(actor=author, name="theirs", scope="read")
    response = _login("reader").post("/api/v1/tokens", {"action": "revoke", "token_id": token.pk})
    assert response.status_code == 404
    assert ApiToken.objects.filter(pk=token.pk).exists()


@override_settings(ROOT_URLCONF=__name__)
def test_token_page_at_user_address(user, author):
    """/users/NAME/tokens is the owner's page, a 404 for anyone else, a log-in for guests."""
    assert _login("reader").get("/users/reader/tokens").status_code == 200
    assert _login("author").get("/users/reader/tokens").status_code == 404
    assert Client().get("/users/reader/tokens").status_code == 302


def test_docs_page_lists_every_operation(db):
    """The human page names every path of openapi.json."""
    page = Client().get("/api/v1/docs").content.decode()
    spec = Client().get("/api/v1/openapi.json").json()
    for path_name in spec["paths"]:
        assert f"/api/v1{path_name}" in page
    assert 'rel="stylesheet"' in page or "<main" in page
