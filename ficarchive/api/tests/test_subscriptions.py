"""POST/GET /api/v1/subscriptions and DELETE /api/v1/subscriptions/{id} (issue 13)."""

from __future__ import annotations

import pytest

from ficarchive.notify.models import Subscription
from ficarchive.testing import make_work
from ficarchive.works.services import series_add_work

pytestmark = pytest.mark.django_db


def test_subscribe_list_unsubscribe(reader_api, author, work):
    """Each target gives 201 and the subscription; GET lists them; DELETE removes one."""
    series = series_add_work(actor=author, work=work, series_title="Cases")
    made = reader_api.post("/subscriptions", {"work": work.pk})
    assert made.status_code == 201
    body = made.json()
    assert body["kind"] == "work" and body["work"] == work.pk and body["title"] == work.title
    assert made["Location"].endswith(f"/api/v1/subscriptions/{body['id']}")
    assert reader_api.post("/subscriptions", {"work": work.pk}).status_code == 200
    by_user = reader_api.post("/subscriptions", {"user": author.username})
    assert by_user.status_code == 201 and by_user.json()["user"] == author.username
    by_series = reader_api.post("/subscriptions", {"series": series.pk})
    assert by_series.status_code == 201 and by_series.json()["series"] == series.pk
    listing = reader_api.get("/subscriptions").json()
    assert [s["kind"] for s in listing["items"]] == ["series", "user", "work"]
    assert reader_api.get(f"/subscriptions/{body['id']}").status_code == 200
    assert reader_api.delete(f"/subscriptions/{body['id']}").status_code == 204
    assert reader_api.delete(f"/subscriptions/{body['id']}").status_code == 404
    assert Subscription.objects.count() == 2


def test_not_visible_is_404(reader_api, author):
    draft = make_work(author, draft=True)
    assert reader_api.post("/subscriptions", {"work": draft.pk}).status_code == 404
    assert reader_api.post("/subscriptions", {"work": 99999}).status_code == 404
    assert reader_api.post("/subscriptions", {"series": 99999}).status_code == 404
    assert reader_api.post("/subscriptions", {"user": "nobody"}).status_code == 404
    assert not Subscription.objects.exists()


def test_bad_input_is_400(reader_api, work, author):
    assert reader_api.post("/subscriptions", {}).status_code == 400
    assert reader_api.post("/subscriptions", {"work": work.pk, "user": "x"}).status_code == 400
    assert reader_api.post("/subscriptions", {"work": "seven"}).status_code == 400
    assert reader_api.post("/subscriptions", {"user": ""}).status_code == 400
    assert not Subscription.objects.exists()


def test_guests_and_others(guest_api, author_api, reader_api, work):
    assert guest_api.get("/subscriptions").status_code == 401
    assert guest_api.post("/subscriptions", {"work": work.pk}).status_code == 401
    made = reader_api.post("/subscriptions", {"work": work.pk}).json()
    assert author_api.delete(f"/subscriptions/{made['id']}").status_code == 404
    assert author_api.get(f"/subscriptions/{made['id']}").status_code == 404
    assert author_api.get("/subscriptions").json()["items"] == []


def test_in_openapi(guest_api):
    doc = guest_api.get("/openapi.json").json()
    assert {"get", "post"} <= set(doc["paths"]["/subscriptions"])
    assert "delete" in doc["paths"]["/subscriptions/{subscription_id}"]
