"""One entry point: the API, OPDS and the command line list works through the same
search as the pages (search_works), on the same engine, under the same rule."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command
from django.test import Client

from ficarchive.accounts.tokens import token_create
from ficarchive.discovery import bitmaps
from ficarchive.discovery.engines import sql as sql_engine
from ficarchive.testing import make_user
from ficarchive.works.services import work_hide

pytestmark = pytest.mark.django_db


def _api(path: str, user=None, **query) -> dict:
    headers = {}
    if user is not None:
        headers["Authorization"] = "Bearer " + token_create(actor=user, name="t", scope="read")[1]
    response = Client().get("/api/v1" + path, query, headers=headers)
    assert response.status_code == 200, response.content
    return response.json()


@pytest.fixture
def bitmaps_on(settings):
    settings.DISCOVERY_BITMAPS = True
    bitmaps.reset()
    yield
    bitmaps.reset()


def test_api_lists_from_the_bitmap_engine_when_it_is_on(archive, bitmaps_on, monkeypatch):
    """With the bitmap engine on, /api/v1/works and its cursor walk never ask the SQL
    engine, and give the pages' answer: the guest's works under a tag, newest first."""

    def refuse(plan):
        raise AssertionError("the SQL engine was asked")

    monkeypatch.setattr(sql_engine, "execute", refuse)
    page = _api("/works", tag="Doctor Who", limit=1)
    ids = [item["id"] for item in page["items"]]
    while page["next_cursor"]:
        page = _api("/works", tag="Doctor Who", limit=1, cursor=page["next_cursor"])
        ids += [item["id"] for item in page["items"]]
    assert ids == [archive.w3.pk, archive.w2.pk]
    assert {item["id"] for item in _api("/search", q="vampire")["items"]} == {
        archive.w3.pk,
        archive.w2.pk,
    }


@pytest.mark.parametrize("sort", ["relevance", "updated"])
def test_api_user_works_search_keeps_the_owners_own_rule(archive, engine, sort):
    """The owner searching their own works through the API finds the one an admin hid, in
    relevance order as in date order (the page's own rule, not the public listing's)."""
    work_hide(actor=make_user("mod", is_staff=True), work=archive.w2, hidden=True)
    found = _api(f"/users/{archive.bob.username}/works", user=archive.bob, q="hidden", sort=sort)
    assert [item["id"] for item in found["items"]] == [archive.w2.pk]
    assert _api(f"/users/{archive.bob.username}/works", q="hidden", sort=sort)["items"] == []


def test_opds_search_matches_the_text_as_the_site_search_does(client, archive, engine):
    """OPDS search finds works by the words of their chapters, not only their titles,
    and never by the name behind an anonymous work."""
    body = client.get("/opds/search", {"q": "espresso"}).content.decode()
    assert "Coffee and Deduction" in body
    assert "Coffee and Deduction" not in client.get("/opds/search", {"q": "carol"}).content.decode()
    assert "Vampire Nights" in client.get("/opds/search", {"q": "nights vampire"}).content.decode()


def test_command_line_search_lists_every_posted_work_as_the_operator(archive, engine, capsys):
    """`ficarchive search --json` sees restricted works and finds anonymous works by their
    creator (the operator), drafts never."""
    call_command("search", "dragon", "--json")
    titles = {json.loads(line)["title"] for line in capsys.readouterr().out.splitlines()}
    assert titles == {"The Dragon Library", "Locked Dragon"}
    call_command("search", "creator:carol", "--json")
    assert [json.loads(line)["title"] for line in capsys.readouterr().out.splitlines()] == [
        "Coffee and Deduction"
    ]
