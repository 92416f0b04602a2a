"""The reading contract: PUT/DELETE /works/{id}/later, GET /me/later, GET /me/history
(items with work, last_chapter, visited_at), a chapter read through the API with a token
counts as read; what the reader may not see is 404 and never listed."""

from __future__ import annotations

import pytest

from ficarchive.reading import services
from ficarchive.testing import make_work
from ficarchive.works.services import ChapterInput, chapter_add, work_hide

from .conftest import ApiClient, make_token

pytestmark = pytest.mark.django_db


def test_put_and_delete_later(reader_api, author, user):
    work = make_work(author, title="Later On")
    response = reader_api.request("put", f"/works/{work.pk}/later")
    assert response.status_code == 200
    assert response.json()["work"]["id"] == work.pk
    assert reader_api.request("put", f"/works/{work.pk}/later").status_code == 200  # again: same
    items = reader_api.get("/me/later").json()["items"]
    assert [i["work"]["title"] for i in items] == ["Later On"]
    assert reader_api.delete(f"/works/{work.pk}/later").status_code == 204
    assert reader_api.get("/me/later").json()["items"] == []


def test_later_of_an_unseen_work_is_404(reader_api, author):
    draft = make_work(author, draft=True)
    assert reader_api.request("put", f"/works/{draft.pk}/later").status_code == 404
    assert reader_api.delete(f"/works/{draft.pk}/later").status_code == 404
    assert reader_api.request("put", "/works/999999/later").status_code == 404


def test_guest_and_read_only_token(guest_api, user, author):
    work = make_work(author)
    assert guest_api.get("/me/history").status_code == 401
    assert guest_api.request("put", f"/works/{work.pk}/later").status_code == 401
    read_only = ApiClient(make_token(user, "read"))
    assert read_only.request("put", f"/works/{work.pk}/later").status_code == 403
    assert read_only.get("/me/later").status_code == 200


def test_chapter_read_through_the_api_counts_as_read(reader_api, author):
    work = make_work(author, chapters=["One.", "Two."])
    first, second = list(work.chapters.order_by("position"))
    assert reader_api.get("/me/history").json()["items"] == []
    assert reader_api.get(f"/works/{work.pk}/chapters/{second.pk}", body="true").status_code == 200
    items = reader_api.get("/me/history").json()["items"]
    assert len(items) == 1
    item = items[0]
    assert item["work"]["id"] == work.pk
    assert item["last_chapter"]["id"] == second.pk and item["last_chapter"]["position"] == 2
    assert item["visited_at"] and item["views"] == 1
    # Metadata only (body=false) is not reading.
    reader_api.get(f"/works/{work.pk}/chapters/{first.pk}", body="false")
    assert reader_api.get("/me/history").json()["items"][0]["views"] == 1


def test_history_never_lists_what_became_unseen(reader_api, user, author, admin_user):
    shown, hidden = make_work(author, title="Shown"), make_work(author, title="Hidden")
    for work in (shown, hidden):
        chapter = work.chapters.first()
        reader_api.get(f"/works/{work.pk}/chapters/{chapter.pk}", body="true")
    services.later_mark(actor=user, work=hidden)
    work_hide(actor=admin_user, work=hidden, hidden=True)
    assert [i["work"]["title"] for i in reader_api.get("/me/history").json()["items"]] == ["Shown"]
    assert reader_api.get("/me/later").json()["items"] == []


def test_history_pages_by_cursor_and_clears(reader_api, author):
    works = [make_work(author, title=f"W{i}") for i in range(3)]
    for work in works:
        reader_api.get(f"/works/{work.pk}/chapters/{work.chapters.first().pk}", body="true")
    first = reader_api.get("/me/history", limit="2").json()
    assert [i["work"]["title"] for i in first["items"]] == ["W2", "W1"]
    rest = reader_api.get("/me/history", limit="2", cursor=first["next_cursor"]).json()
    assert [i["work"]["title"] for i in rest["items"]] == ["W0"] and rest["next_cursor"] is None
    assert reader_api.delete(f"/me/history/{works[0].pk}").status_code == 204
    assert len(reader_api.get("/me/history").json()["items"]) == 2
    assert reader_api.delete("/me/history").status_code == 204
    assert reader_api.get("/me/history").json()["items"] == []


def test_history_setting_off_stops_recording(reader_api, author):
    work = make_work(author)
    response = reader_api.patch("/me/reading_settings", {"history_enabled": False})
    assert response.json() == {"history_enabled": False, "reading_list_public": False}
    reader_api.get(f"/works/{work.pk}/chapters/{work.chapters.first().pk}", body="true")
    assert reader_api.get("/me/history").json()["items"] == []
    assert reader_api.patch("/me/reading_settings", {"history_enabled": "no"}).status_code == 400


def test_reading_list_statuses(reader_api, author):
    work = make_work(author, title="Listed")
    response = reader_api.request("put", f"/works/{work.pk}/reading_list", {"status": "reading"})
    assert response.status_code == 200 and response.json()["status"] == "reading"
    bad = reader_api.request("put", f"/works/{work.pk}/reading_list", {"status": "skimmed"})
    assert bad.status_code == 400
    assert [i["status"] for i in reader_api.get("/me/reading_list").json()["items"]] == ["reading"]
    assert reader_api.get("/me/reading_list", status="dropped").json()["items"] == []
    assert reader_api.delete(f"/works/{work.pk}/reading_list").status_code == 204


def test_stats_in_the_api(author_api, author, user):
    work = make_work(author, title="Counted", chapters=["One two three."])
    chapter_add(actor=author, work=work, chapter=ChapterInput(body="Four five."))
    data = author_api.get("/me/stats").json()
    assert data["year"] is None
    assert data["works"][0]["title"] == "Counted" and data["works"][0]["subscribers"] == 0
    assert data["totals"]["words"] == data["works"][0]["words"] > 0
    year = data["years"][0]
    by_year = author_api.get("/me/stats", year=str(year)).json()
    assert by_year["year"] == year and len(by_year["series"]) == 12
    assert author_api.get("/me/stats", year="soon").status_code == 400
