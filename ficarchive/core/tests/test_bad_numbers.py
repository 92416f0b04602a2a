"""Numbers too large for the database are a 400, never a 500, and every API error is JSON
(issue 19)."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from ficarchive.accounts.models import TokenScope
from ficarchive.accounts.tokens import token_create
from ficarchive.testing import make_user, make_work

pytestmark = pytest.mark.django_db
HUGE = "9" * 25


@pytest.fixture
def author():
    return make_user("author")


@pytest.fixture
def api(author):
    _, raw = token_create(actor=author, name="t", scope=TokenScope.WRITE)
    return Client(headers={"Authorization": f"Bearer {raw}"})


@pytest.mark.parametrize(
    "path",
    [
        f"/works/{HUGE}",
        f"/works/{HUGE}/chapters/1",
        f"/comments/{HUGE}",
        f"/downloads/{HUGE}/x.epub",
    ],
)
def test_web_ids_too_large_are_400(path):
    """A path id past 64 bits gets the 400 page, not a 500."""
    client = Client(raise_request_exception=False)
    response = client.get(path)
    assert response.status_code in (400, 404)
    assert response.status_code != 500


@pytest.mark.parametrize(
    "path",
    [f"/api/v1/works/{HUGE}", f"/api/v1/comments/{HUGE}", f"/api/v1/works/{HUGE}/chapters"],
)
def test_api_ids_too_large_are_json_400(api, path):
    """Under /api/ a too-large id is a JSON 400 (or 404), never HTML."""
    response = Client(raise_request_exception=False).get(path)
    assert response.status_code in (400, 404)
    assert response["Content-Type"].startswith("application/json")
    assert "error" in response.json()


def test_expected_chapters_too_large_is_400_on_api_and_web(api, author):
    """expected_chapters of 10**30 is refused with a message naming the field, on both doors."""
    work = make_work(author)
    response = api.patch(
        f"/api/v1/works/{work.pk}",
        json.dumps({"expected_chapters": 10**30}),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "expected_chapters" in response.json()["error"].get("fields", {})
    web = Client(raise_request_exception=False)
    web.force_login(author)
    page = web.post(
        f"/works/{work.pk}/edit",
        {
            "title": "T",
            "rating": "General Audiences",
            "warnings": ["No Archive Warnings Apply"],
            "fandoms": "Original Work",
            "language": "en",
            "comment_permission": "users",
            "multi_chapter": "on",
            "expected_chapters": str(10**30),
            "body": "Text.",
            "text_format": "auto",
        },
    )
    assert page.status_code in (200, 400)
    assert b"10,000" in page.content or b"10000" in page.content


def test_inbox_ids_too_large_are_ignored(author):
    """An inbox update naming an id past 64 bits changes nothing and does not fail."""
    client = Client(raise_request_exception=False)
    client.force_login(author)
    response = client.post(
        f"/users/{author.username}/inbox/update", {"items": [HUGE, "1"], "action": "read"}
    )
    assert response.status_code == 302


def test_api_server_error_and_unknown_address_are_json(settings):
    """A 500 and a 404 under /api/ answer JSON in the API's error shape."""
    from ficarchive.core import views

    rf_client = Client(raise_request_exception=False)
    missing = rf_client.get("/api/nowhere")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
    from django.test import RequestFactory

    crashed = views.server_error(RequestFactory().get("/api/v1/works"))
    assert crashed.status_code == 500
    assert json.loads(crashed.content)["error"]["code"] == "server_error"


def test_middleware_turns_overflow_into_400_everywhere():
    """Any view that overflows the database's integers (SQLite OverflowError, PostgreSQL
    "out of range") answers 400: JSON under /api/, the error page elsewhere."""
    from django.db import DataError
    from django.test import RequestFactory

    from ficarchive.core.bad_input import BadNumberMiddleware

    middleware = BadNumberMiddleware(lambda request: None)
    rf = RequestFactory()
    api = middleware.process_exception(rf.get("/api/v1/works/1"), OverflowError("too big"))
    assert api.status_code == 400 and json.loads(api.content)["error"]["code"] == "bad_number"
    web = middleware.process_exception(
        rf.get("/works/1"), DataError("value out of range for type bigint")
    )
    assert web.status_code == 400 and b"too large" in web.content
    assert middleware.process_exception(rf.get("/"), ValueError("other")) is None
