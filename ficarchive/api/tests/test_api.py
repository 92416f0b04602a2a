"""Tokens, CSRF, ETags, rate limits, cursors and the write endpoints."""

from __future__ import annotations

import hashlib

import pytest
from django.core.cache import cache
from django.test import Client

from ficarchive.accounts.models import ApiToken
from ficarchive.accounts.tokens import token_create
from ficarchive.testing import PASSWORD, make_work, start_of_fresh_window

from .conftest import ApiClient, make_token

pytestmark = pytest.mark.django_db

NEW_WORK = {
    "title": "Posted Through The API",
    "rating": "Teen And Up Audiences",
    "warnings": ["No Archive Warnings Apply"],
    "fandoms": ["Sherlock Holmes - Arthur Conan Doyle"],
    "relationships": ["Sherlock Holmes/John Watson"],
    "tags": ["Fluff"],
    "chapters": [{"title": "One", "body": "First chapter.\n\nSecond paragraph."}],
}


def test_token_is_stored_hashed(user):
    """Only the sha256 of a token is stored; the secret starts with fa_."""
    token, raw = token_create(actor=user, name="app", scope="read")
    assert raw.startswith("fa_")
    assert token.token_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert not ApiToken.objects.filter(token_hash__contains=raw).exists()


def test_token_authenticates_and_revoked_token_fails(user):
    """A token acts as its user until revoked; then 401 invalid_token."""
    token, raw = token_create(actor=user, name="app", scope="read")
    api = ApiClient(raw)
    assert api.get("/").json()["authenticated_as"] == "reader"
    token.delete()
    response = api.get("/")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "invalid_token"
    assert "Bearer" in response["WWW-Authenticate"]


def test_read_token_cannot_write(user, work):
    """A read-scoped token gets 403 insufficient_scope on writes."""
    api = ApiClient(make_token(user, "read"))
    response = api.post(f"/works/{work.pk}/kudos")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "insufficient_scope"
    assert work.kudos.count() == 0


def test_guest_write_is_401(guest_api, work):
    """A guest cannot write through the API."""
    assert guest_api.post(f"/works/{work.pk}/kudos").status_code == 401


def test_session_write_needs_csrf(user, work):
    """Cookie-session writes pass with the CSRF token and fail without it."""
    client = Client(enforce_csrf_checks=True)
    client.login(username="reader", password=PASSWORD)
    api = ApiClient(client=client)
    refused = api.post(f"/works/{work.pk}/kudos")
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "csrf_failed"
    client.get("/api/v1/docs")  # sets the CSRF cookie, as any page of the site does
    csrf = client.cookies["csrftoken"].value
    assert api.post(f"/works/{work.pk}/kudos", headers={"X-CSRFToken": csrf}).status_code == 201


def test_create_edit_and_add_chapter(author_api, reader_api):
    """A creator posts a work, edits it and adds a chapter; others see the result."""
    created = author_api.post("/works", NEW_WORK)
    assert created.status_code == 201
    work = created.json()
    assert work["relationships"] == ["Sherlock Holmes/John Watson"]
    assert created["Location"] == work["api_url"]
    edited = author_api.patch(f"/works/{work['id']}", {"title": "Renamed", "expected_chapters": 2})
    assert edited.json()["title"] == "Renamed"
    assert edited.json()["fandoms"] == NEW_WORK["fandoms"]  # untouched fields kept
    chapter = author_api.post(
        f"/works/{work['id']}/chapters", {"title": "Two", "body": "More words here."}
    )
    assert chapter.status_code == 201 and chapter.json()["position"] == 2
    seen = reader_api.get(f"/works/{work['id']}").json()
    assert seen["chapters"] == 2 and seen["complete"] is True


def test_create_invalid_is_400_with_fields(author_api):
    """Bad input names the fields at fault and creates nothing."""
    response = author_api.post("/works", {**NEW_WORK, "fandoms": [], "rating": "Nope"})
    assert response.status_code == 400
    body = response.json()["error"]
    assert body["code"] == "invalid" and {"fandoms", "rating"} <= set(body["fields"])
    assert author_api.get("/works").json()["items"] == []


def test_draft_posted_by_patch(author_api, guest_api):
    """A draft is invisible until its creator PATCHes posted: true."""
    work = author_api.post("/works", {**NEW_WORK, "draft": True}).json()
    assert guest_api.get(f"/works/{work['id']}").status_code == 404
    assert author_api.patch(f"/works/{work['id']}", {"posted": True}).json()["posted"] is True
    assert guest_api.get(f"/works/{work['id']}").status_code == 200


def test_kudos_once_then_409(reader_api, work):
    """Kudos count once per user; a second time is 409 conflict."""
    first = reader_api.post(f"/works/{work.pk}/kudos")
    assert (
        first.status_code == 201 and first.json()["users"] == ["reader"] and first.json()["given"]
    )
    again = reader_api.post(f"/works/{work.pk}/kudos")
    assert again.status_code == 409 and again.json()["error"]["code"] == "conflict"


def test_comment_and_reply(reader_api, author_api, work):
    """Comments post and list in thread order with parent ids."""
    top = reader_api.post(
        f"/works/{work.pk}/comments", {"body": "Lovely <script>x</script>work"}
    ).json()
    assert "<script>" not in top["body"] and top["author"] == "reader"
    reply = author_api.post(
        f"/works/{work.pk}/comments", {"body": "Thank you!", "parent_id": top["id"]}
    ).json()
    assert reply["by_creator"] is True
    listed = reader_api.get(f"/works/{work.pk}/comments").json()["items"]
    assert [(c["id"], c["parent_id"]) for c in listed] == [
        (top["id"], None),
        (reply["id"], top["id"]),
    ]


def test_bookmarks(reader_api, guest_api, work):
    """Bookmarks are made, listed (private ones for their owner only) and deleted."""
    made = reader_api.post(
        "/bookmarks",
        {"work_id": work.pk, "notes": "Great", "tags": ["Favourites"], "private": True},
    )
    assert made.status_code == 201 and made.json()["tags"] == ["Favourites"]
    bookmark_id = made.json()["id"]
    assert [b["id"] for b in reader_api.get("/users/reader/bookmarks").json()["items"]] == [
        bookmark_id
    ]
    assert guest_api.get("/users/reader/bookmarks").json()["items"] == []
    assert guest_api.get(f"/bookmarks/{bookmark_id}").status_code == 404
    assert reader_api.delete(f"/bookmarks/{bookmark_id}").status_code == 204
    assert reader_api.get(f"/bookmarks/{bookmark_id}").status_code == 404


def test_etag_and_conditional_get(guest_api, reader_api, work):
    """Work detail carries an ETag; If-None-Match gives 304 until the work changes."""
    first = guest_api.get(f"/works/{work.pk}")
    etag = first["ETag"]
    assert guest_api.get(f"/works/{work.pk}", headers={"If-None-Match": etag}).status_code == 304
    assert (
        reader_api.get(f"/works/{work.pk}", headers={"If-None-Match": etag}).status_code == 200
    )  # another viewer class
    reader_api.post(f"/works/{work.pk}/kudos")
    assert guest_api.get(f"/works/{work.pk}", headers={"If-None-Match": etag}).status_code == 200


def test_cursor_pagination_is_stable(author, guest_api):
    """Walking pages by cursor visits every work once, in order, even with new works posted mid-walk."""
    for i in range(7):
        make_work(author, title=f"Work {i}", chapters=["word " * (i + 1)])
    seen: list[int] = []
    params = {"limit": 3, "sort": "words"}
    page = guest_api.get("/works", **params).json()
    make_work(author, title="Late arrival", chapters=["a " * 100])
    while True:
        seen += [w["id"] for w in page["items"]]
        if not page["next_cursor"]:
            break
        page = guest_api.get("/works", cursor=page["next_cursor"], **params).json()
    assert len(seen) == len(set(seen)) == 7
    words = [guest_api.get(f"/works/{i}").json()["words"] for i in seen]
    assert words == sorted(words, reverse=True)


def test_cursor_for_title_sort(author, guest_api):
    """Title order pages through case-insensitively, ascending by default."""
    for title in ("banana", "Apple", "cherry", "apricot"):
        make_work(author, title=title)
    titles, cursor = [], None
    while True:
        query = {"limit": 1, "sort": "title"} | ({"cursor": cursor} if cursor else {})
        page = guest_api.get("/works", **query).json()
        titles += [w["title"] for w in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert titles == ["Apple", "apricot", "banana", "cherry"]


def test_bad_input_errors(guest_api, work):
    """Bad parameters, cursors and methods get JSON errors with codes."""
    assert guest_api.get("/works", sort="sideways").json()["error"]["code"] == "invalid_parameter"
    assert guest_api.get("/works", limit=1000).status_code == 400
    assert guest_api.get("/works", cursor="garbage!").json()["error"]["code"] == "invalid_cursor"
    assert guest_api.get("/works", rating="Spicy").status_code == 400
    # An empty vocabulary value is an error, not "no filter" (schemathesis sent rating=).
    empty = guest_api.get("/search", rating="", q="")
    assert empty.status_code == 400 and "rating" in empty.json()["error"]["fields"]
    response = Client().put(f"/api/v1/works/{work.pk}")
    assert response.status_code == 405 and "GET" in response["Allow"]
    assert response.json()["error"]["code"] == "method_not_allowed"
    missing = Client().get("/api/v1/no/such/thing")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"


def test_rate_limit_per_token(settings, user):
    """Past the per-token limit: 429, Retry-After and a JSON error; another token is unaffected."""
    start_of_fresh_window(60, 5)  # the limit counts per minute in fixed windows
    settings.FICARCHIVE_RATELIMIT_ENABLED = True
    settings.FICARCHIVE_RATE_LIMITS = {
        **settings.FICARCHIVE_RATE_LIMITS,
        "api": "3/m",
        "api_guest": "2/m",
    }
    cache.clear()
    api = ApiClient(make_token(user, "read"))
    assert [api.get("/").status_code for _ in range(3)] == [200, 200, 200]
    limited = api.get("/")
    assert limited.status_code == 429
    assert int(limited["Retry-After"]) >= 1
    assert limited.json()["error"]["code"] == "rate_limited"
    assert ApiClient(make_token(user, "read")).get("/").status_code == 200
    guest = ApiClient()
    assert [guest.get("/").status_code for _ in range(3)] == [200, 200, 429]
    cache.clear()


def test_works_list_query_count_is_constant(author, guest_api, django_assert_max_num_queries):
    """A page of 20 works costs a fixed handful of queries, not one per work."""
    for i in range(20):
        make_work(author, title=f"Work {i}")
    with django_assert_max_num_queries(6):
        assert len(guest_api.get("/works").json()["items"]) == 20


def test_search_pages_by_relevance(author, guest_api):
    """Search walks its best-match order by cursor, each match once."""
    make_work(author, title="Hound", chapters=["The hound bayed. The hound ran. The hound."])
    make_work(author, title="Moor", chapters=["A hound on the moor."])
    make_work(author, title="Other", chapters=["Nothing to see."])
    first = guest_api.get("/search", q="hound", limit=1).json()
    assert first["sort"] == "relevance" and first["next_cursor"]
    second = guest_api.get("/search", q="hound", limit=1, cursor=first["next_cursor"]).json()
    titles = [w["title"] for w in first["items"] + second["items"]]
    assert sorted(titles) == ["Hound", "Moor"] and second["next_cursor"] is None


def test_markdown_chapter_renders_as_posted_through_the_form(author_api):
    """`"text_format": "markdown"` renders a chapter with the posting form's Markdown pipeline."""
    work = author_api.post("/works", NEW_WORK).json()
    body = "## The Ball\n\nShe wore **red**."
    chapter = author_api.post(
        f"/works/{work['id']}/chapters", {"body": body, "text_format": "markdown"}
    )
    assert chapter.status_code == 201
    from ficarchive.works.models import Chapter

    stored = Chapter.objects.get(pk=chapter.json()["id"]).body
    assert "<h2>The Ball</h2>" in stored and "<strong>red</strong>" in stored
