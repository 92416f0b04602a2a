"""The endpoints for what the edit pages do: work delete and orphan, chapter edit, delete
and reorder, comment edit and delete, series, the inbox and tag suggestions."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from ficarchive.feedback.services import comment_create
from ficarchive.suggest.tests.factories import make_canon, make_holmes_work
from ficarchive.testing import make_user, make_work
from ficarchive.works.services import series_add_work

from .conftest import ApiClient, make_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_chapters(author):
    return make_work(
        author, title="Two Parts", chapters=["First part words.", "Second part words."]
    )


def test_chapter_edit_keeps_fields_left_out(author_api, reader_api, guest_api, two_chapters):
    """A creator PATCHes a chapter's text; its title stays; readers get 403, guests 401."""
    first = author_api.get(f"/works/{two_chapters.pk}/chapters").json()["items"][0]
    path = f"/works/{two_chapters.pk}/chapters/{first['id']}"
    author_api.patch(path, {"title": "The Beginning"})
    edited = author_api.patch(path, {"body": "New words entirely here.", "text_format": "text"})
    assert edited.status_code == 200
    body = edited.json()
    assert body["title"] == "The Beginning" and body["words"] == 4 and "New words" in body["body"]
    assert reader_api.patch(path, {"title": "Mine now"}).status_code == 403
    assert guest_api.patch(path, {"title": "Mine now"}).status_code == 401
    assert reader_api.get(path).json()["title"] == "The Beginning"
    assert guest_api.get(f"/works/{two_chapters.pk}").json()["words"] == 4 + 3


def test_chapter_delete_and_last_chapter_kept(author_api, reader_api, two_chapters):
    """Deleting a chapter renumbers the rest; the last chapter cannot go (400)."""
    ids = [c["id"] for c in author_api.get(f"/works/{two_chapters.pk}/chapters").json()["items"]]
    assert reader_api.delete(f"/works/{two_chapters.pk}/chapters/{ids[0]}").status_code == 403
    assert author_api.delete(f"/works/{two_chapters.pk}/chapters/{ids[0]}").status_code == 204
    left = author_api.get(f"/works/{two_chapters.pk}/chapters").json()["items"]
    assert [(c["id"], c["position"]) for c in left] == [(ids[1], 1)]
    refused = author_api.delete(f"/works/{two_chapters.pk}/chapters/{ids[1]}")
    assert (
        refused.status_code == 400 and "at least one chapter" in refused.json()["error"]["message"]
    )
    assert author_api.delete(f"/works/{two_chapters.pk}/chapters/999999").status_code == 404


def test_chapters_reorder(author_api, reader_api, two_chapters):
    """PUT chapters/order renumbers; a list that misses a chapter is a 400 and changes nothing."""
    ids = [c["id"] for c in author_api.get(f"/works/{two_chapters.pk}/chapters").json()["items"]]
    path = f"/works/{two_chapters.pk}/chapters/order"
    assert reader_api.request("put", path, {"chapter_ids": ids[::-1]}).status_code == 403
    assert author_api.request("put", path, {"chapter_ids": ids[:1]}).status_code == 400
    assert author_api.request("put", path, {"chapter_ids": ["x"]}).status_code == 400
    done = author_api.request("put", path, {"chapter_ids": ids[::-1]})
    assert done.status_code == 200
    assert [c["id"] for c in done.json()["items"]] == ids[::-1]
    assert [c["position"] for c in done.json()["items"]] == [1, 2]


def test_work_delete_by_creator_or_admin_only(author, author_api, reader_api, admin_api, guest_api):
    """Creators and admins delete works (204, then 404); readers get 403, guests 401."""
    mine = make_work(author, title="Mine")
    other = make_work(author, title="Other")
    assert guest_api.delete(f"/works/{mine.pk}").status_code == 401
    assert reader_api.delete(f"/works/{mine.pk}").status_code == 403
    assert author_api.delete(f"/works/{mine.pk}").status_code == 204
    assert guest_api.get(f"/works/{mine.pk}").status_code == 404
    assert admin_api.delete(f"/works/{other.pk}").status_code == 204
    assert author_api.get(f"/works/{other.pk}").status_code == 404


def test_read_token_cannot_delete(author, work):
    """A read-only token of the creator cannot delete (403 insufficient_scope)."""
    response = ApiClient(make_token(author, "read")).delete(f"/works/{work.pk}")
    assert response.status_code == 403 and response.json()["error"]["code"] == "insufficient_scope"


def test_orphan(author_api, reader_api, admin_api, guest_api, work):
    """Orphaning hands the work to orphan_account; only its creators may (admins too get 403)."""
    assert reader_api.post(f"/works/{work.pk}/orphan").status_code == 403
    assert admin_api.post(f"/works/{work.pk}/orphan").status_code == 403
    assert author_api.post(f"/works/{work.pk}/orphan").status_code == 204
    body = guest_api.get(f"/works/{work.pk}").json()
    assert [c["user"] for c in body["creators"]] == ["orphan_account"]
    assert author_api.patch(f"/works/{work.pk}", {"summary": "Still mine?"}).status_code == 403


def test_comment_edit_and_delete(reader_api, author_api, guest_api, work):
    """Authors edit their comments; others may not (403); the work's creator deletes any."""
    made = reader_api.post(f"/works/{work.pk}/comments", {"body": "First thought."})
    comment = made.json()
    assert made["Location"] == comment["api_url"]
    assert comment["can_edit"] and comment["can_delete"]
    path = f"/comments/{comment['id']}"
    edited = reader_api.patch(path, {"body": "Second thought."})
    assert edited.status_code == 200
    assert "Second thought." in edited.json()["body"] and edited.json()["edited_at"]
    assert author_api.patch(path, {"body": "Rewritten by the author"}).status_code == 403
    assert reader_api.patch(path, {}).status_code == 400
    seen = guest_api.get(path).json()
    assert "Second thought." in seen["body"] and not seen["can_edit"]
    assert author_api.delete(path).status_code == 204
    assert guest_api.get(path).status_code == 404
    assert reader_api.get(f"/works/{work.pk}/comments").json()["items"] == []


def test_comment_delete_not_by_strangers(reader_api, author, work):
    """Another reader cannot delete someone's comment (403); it stays."""
    comment = reader_api.post(f"/works/{work.pk}/comments", {"body": "Mine."}).json()
    stranger = ApiClient(make_token(make_user("stranger")))
    assert stranger.delete(f"/comments/{comment['id']}").status_code == 403
    assert stranger.get(f"/comments/{comment['id']}").status_code == 200


def test_comment_on_restricted_work_hidden_from_guests(author, reader_api, guest_api):
    """A comment on a restricted work is 404 for guests, as its work is."""
    locked = make_work(author, title="Locked", restricted=True)
    comment = reader_api.post(f"/works/{locked.pk}/comments", {"body": "Members only."}).json()
    assert guest_api.get(f"/comments/{comment['id']}").status_code == 404
    assert guest_api.delete(f"/comments/{comment['id']}").status_code == 401


def test_series_shows_visible_works_only(author, guest_api, reader_api):
    """A series lists its works in order, restricted ones only for users; all-hidden is 404."""
    one = make_work(author, title="Book One")
    two = make_work(author, title="Book Two", restricted=True)
    series = series_add_work(actor=author, work=one, series_title="Saga")
    series_add_work(actor=author, work=two, series_title="Saga")
    as_reader = reader_api.get(f"/series/{series.pk}").json()
    assert [w["title"] for w in as_reader["works"]] == ["Book One", "Book Two"]
    assert as_reader["creators"][0]["user"] == "author"
    assert [w["title"] for w in guest_api.get(f"/series/{series.pk}").json()["works"]] == [
        "Book One"
    ]
    locked = make_work(author, title="Locked Alone", restricted=True)
    hidden_series = series_add_work(actor=author, work=locked, series_title="Secret")
    assert guest_api.get(f"/series/{hidden_series.pk}").status_code == 404
    assert guest_api.get("/series/999999").status_code == 404


def test_inbox_owner_only(author, user, author_api, reader_api, guest_api, work):
    """Comments land in the creator's inbox; only they read it (404 for others) and mark it."""
    comment_create(actor=user, work=work, body="Wonderful.")
    comment_create(actor=user, work=work, body="Still thinking about it.")
    page = author_api.get("/users/author/inbox", limit=1).json()
    assert len(page["items"]) == 1 and page["next_cursor"]
    first = page["items"][0]
    assert (
        first["comment"]["author"] == "reader"
        and first["work"]["id"] == work.pk
        and not first["read"]
    )
    second = author_api.get("/users/author/inbox", limit=1, cursor=page["next_cursor"]).json()[
        "items"
    ][0]
    assert second["id"] != first["id"]
    assert reader_api.get("/users/author/inbox").status_code == 404
    assert guest_api.get("/users/author/inbox").status_code == 404
    assert (
        reader_api.post(
            "/users/author/inbox", {"action": "read", "item_ids": [first["id"]]}
        ).status_code
        == 404
    )
    done = author_api.post(
        "/users/author/inbox", {"action": "read", "item_ids": [first["id"]]}
    ).json()
    assert done == {"action": "read", "count": 1, "unread": 1}
    assert [
        i["id"] for i in author_api.get("/users/author/inbox", unread="true").json()["items"]
    ] == [second["id"]]
    assert (
        author_api.post("/users/author/inbox", {"action": "shout", "item_ids": []}).status_code
        == 400
    )
    gone = author_api.post(
        "/users/author/inbox", {"action": "delete", "item_ids": [first["id"], second["id"]]}
    )
    assert gone.json()["count"] == 2
    assert author_api.get("/users/author/inbox").json()["items"] == []


@pytest.fixture
def holmes(author):
    cache.clear()
    make_canon()
    return make_holmes_work(author)


def test_suggestions_for_creators_only(holmes, author_api, reader_api, admin_api, guest_api):
    """The creator sees the proposals with their passages; everyone else gets 404."""
    body = author_api.get(f"/works/{holmes.pk}/suggestions").json()
    characters = [i for i in body["items"] if i["kind"] == "character"]
    assert body["count"] == len(body["items"]) >= 3
    assert any(i["name"] == "John Watson" for i in characters)
    watson = next(i for i in characters if i["name"] == "John Watson")
    assert watson["passages"] and all(p["cue"] for p in watson["passages"])
    for other in (reader_api, admin_api, guest_api):
        assert other.get(f"/works/{holmes.pk}/suggestions").status_code == 404
    decision = {"kind": "character", "name": "John Watson"}
    assert reader_api.post(f"/works/{holmes.pk}/suggestions/accept", decision).status_code == 404
    assert guest_api.post(f"/works/{holmes.pk}/suggestions/accept", decision).status_code == 401


def test_suggestion_accept_dismiss_restore(holmes, author_api, guest_api):
    """Accepting tags the work; dismissing drops a proposal until restored; unknown names are 400."""
    path = f"/works/{holmes.pk}/suggestions"
    before = author_api.get(path).json()["count"]
    accepted = author_api.post(f"{path}/accept", {"kind": "character", "name": "John Watson"})
    assert accepted.status_code == 200 and accepted.json()["count"] == before - 1
    assert "John Watson" in guest_api.get(f"/works/{holmes.pk}").json()["characters"]
    other = next(i for i in accepted.json()["items"] if i["kind"] == "character")
    dismissed = author_api.post(
        f"{path}/dismiss", {"kind": "character", "name": other["name"]}
    ).json()
    assert other["name"] not in [i["name"] for i in dismissed["items"]]
    assert [d["name"] for d in dismissed["dismissed"]] == [other["name"]]
    restored = author_api.post(
        f"{path}/restore", {"kind": "character", "name": other["name"]}
    ).json()
    assert other["name"] in [i["name"] for i in restored["items"]] and restored["dismissed"] == []
    assert (
        author_api.post(
            f"{path}/accept", {"kind": "character", "name": "Nobody At All"}
        ).status_code
        == 400
    )
    assert author_api.post(f"{path}/accept", {"kind": "planet", "name": "Mars"}).status_code == 400


def test_suggested_rating_needs_confirmation(author_api, author):
    """Accepting a suggested rating through the API needs confirm_from and confirm_to."""
    from ficarchive.suggest.selectors import suggestions_for_work
    from ficarchive.testing import make_work

    text = "They kissed and then they made love all night, naked, moaning, in bed. " * 30
    work = make_work(author, chapters=(text,), rating="General Audiences")
    new = suggestions_for_work(work)["rating"][0]["name"]
    path = f"/works/{work.pk}/suggestions/accept"
    refused = author_api.post(path, {"kind": "rating", "name": new})
    assert refused.status_code == 400 and "needs your confirmation" in refused.content.decode()
    work.refresh_from_db()
    assert work.rating == "General Audiences"
    body = {"kind": "rating", "name": new, "confirm_from": "General Audiences", "confirm_to": new}
    assert author_api.post(path, body).status_code == 200
    work.refresh_from_db()
    assert work.rating == new
