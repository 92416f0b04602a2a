"""/works and /works/search pages: the sidebar, shareable URLs, messages, mutes page."""

from __future__ import annotations

import pytest

from ficarchive.testing import PASSWORD, make_work

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("engine")]


def test_works_page_filters_and_shows_facets(client, archive):
    """/works?tag=... lists the matching works, with facets as include and exclude boxes."""
    response = client.get("/works", {"tag": "Doctor Who", "sort": "kudos"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "1 - 2 of 2 Works" in body
    assert body.index("Vampire Nights") < body.index("A Study in Scarlet")
    assert (
        'name="exclude_tag" value="Angst"' in body
        and 'name="tag" value="Doctor Who" checked' in body
    )
    assert 'href="/works?tag=Doctor+Who&amp;sort=kudos"' in body  # the shareable link


def test_search_page_highlights_and_explains_errors(client, archive):
    """/works/search marks matches, and a malformed query is a message, never a 500."""
    body = client.get("/works/search", {"q": '"hidden door"'}).content.decode()
    assert "<mark>hidden</mark>" in body and "The Dragon Library" in body
    bad = client.get("/works/search", {"q": "dragon OR"})
    assert bad.status_code == 200 and "needs a word on each side" in bad.content.decode()
    assert client.get("/works/search").status_code == 200


@pytest.mark.parametrize("q", ['"', "OR", "-", "words:>", "tag:", "((", "a:b:c", "\x00", "𝔘𝔫𝔦"])
def test_odd_queries_never_fail(client, archive, q):
    """Odd input gets a page, not a server error."""
    assert client.get("/works", {"q": q}).status_code == 200


def test_mutes_page_round_trip(client, archive, user):
    """A reader mutes a tag on the mutes page and the works page leaves its works out."""
    client.login(username=user.username, password=PASSWORD)
    response = client.post("/mutes", {"kind": "tag", "value": "Angst"})
    assert response.status_code == 302
    assert "Angst" in client.get("/mutes").content.decode()
    body = client.get("/works").content.decode()
    assert "Vampire Nights" not in body and "The Dragon Library" in body


def test_save_filter_from_sidebar(client, archive, user):
    """Saving a filter stores it and lists it in the sidebar."""
    client.login(username=user.username, password=PASSWORD)
    response = client.post(
        "/works/filters/save",
        {"name": "Doctor Who", "path": "/works", "querystring": "tag=Doctor+Who"},
    )
    assert response.status_code == 302 and response["Location"] == "/works?tag=Doctor+Who"
    assert 'href="/works?tag=Doctor+Who">Doctor Who</a>' in client.get("/works").content.decode()


def test_listing_pages_link_to_their_neighbours(client, author):
    """Past 20 works, /works says which page this is and links to the next and previous
    pages, keeping the filter."""
    for i in range(21):
        make_work(author, title=f"Numbered {i:02d}")
    first = client.get("/works", {"rating": "General Audiences"}).content.decode()
    assert (
        "Page 1 of 2" in first and 'rel="next" href="?rating=General+Audiences&amp;page=2"' in first
    )
    assert 'rel="prev"' not in first
    second = client.get("/works", {"rating": "General Audiences", "page": "2"}).content.decode()
    assert "Page 2 of 2" in second and 'rel="prev"' in second and 'rel="next"' not in second
