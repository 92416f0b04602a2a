"""AO3's tag index at ``/tags``: a cloud of popular tags and a search of tags by name,
counting only the works the reader may list."""

from __future__ import annotations

import re
from unittest import mock

import pytest
from django.test import Client

from ficarchive.tags import views
from ficarchive.testing import PASSWORD, make_user, make_work
from ficarchive.works.tag_selectors import tags_cloud_for

pytestmark = pytest.mark.django_db


def _cloud(html: str) -> dict[str, str]:
    """{tag name: its title ("N works")} from the page's cloud."""
    return {
        name: title
        for title, name in re.findall(
            r'<a class="tag" href="/tags/[^"]+/works" title="([^"]+)">([^<]+)</a>', html
        )
    }


def _archive():
    author = make_user("cloudauthor")
    make_work(author, title="Open", freeforms=["Fluff", "Hurt/Comfort"])
    make_work(author, title="Open 2", freeforms=["Fluff"])
    make_work(author, title="Members", freeforms=["Fluff", "Members Only Trope"], restricted=True)
    make_work(author, title="Unposted", freeforms=["Draft Only Trope"], draft=True)
    return author


def test_tags_index_answers_with_the_cloud_and_a_search_form():
    """/tags is a page (not 404) with the popular tags linked to their works and a tag search."""
    _archive()
    response = Client().get("/tags")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="name"' in html and 'href="/works/search"' in html
    cloud = _cloud(html)
    assert cloud["Fluff"] == "2 works" and cloud["Hurt/Comfort"] == "1 work"
    assert 'href="/tags/Hurt*s*Comfort/works"' in html


def test_guests_learn_nothing_of_works_they_may_not_see():
    """A guest's cloud leaves out restricted and draft works from names and counts; a member
    counts the restricted work but never another's draft."""
    _archive()
    guest = _cloud(Client().get("/tags").content.decode())
    assert "Members Only Trope" not in guest and "Draft Only Trope" not in guest
    assert guest["Fluff"] == "2 works"
    make_user("cloudreader")
    member = Client()
    assert member.login(username="cloudreader", password=PASSWORD)
    seen = _cloud(member.get("/tags").content.decode())
    assert seen["Fluff"] == "3 works" and seen["Members Only Trope"] == "1 work"
    assert "Draft Only Trope" not in seen


def test_search_finds_tags_by_name_and_kind():
    """?name= lists the tags whose names match, with the reader's count; ?kind= narrows."""
    _archive()
    html = Client().get("/tags", {"name": "flu"}).content.decode()
    assert 'href="/tags/Fluff"' in html and "2 works" in html
    assert "Hurt/Comfort" not in html
    none = Client().get("/tags", {"name": "flu", "kind": "fandom"}).content.decode()
    assert 'href="/tags/Fluff"' not in none
    hidden = Client().get("/tags", {"name": "members"}).content.decode()
    assert "Members Only Trope" not in hidden


def test_cloud_kinds_and_sizes():
    """?kind= shows one kind; sizes run 1..5, the most used tag the largest."""
    author = _archive()
    rows = tags_cloud_for(None, kind="fandom")
    assert {r["tag"].kind for r in rows} == {"fandom"}
    rows = tags_cloud_for(None)
    assert max(rows, key=lambda r: r["uses"])["size"] == 5
    assert all(1 <= r["size"] <= 5 for r in rows)
    assert author  # the archive's works are the author's
    html = Client().get("/tags", {"kind": "fandom"}).content.decode()
    assert "Sherlock Holmes - Arthur Conan Doyle" in _cloud(html) and "Fluff" not in _cloud(html)


@pytest.mark.parametrize(
    ("language", "text"), [("fr", "Tags populaires"), ("ar", "الوسوم الشائعة")]
)
def test_the_index_is_translated(language, text):
    """The page reads in French and Arabic."""
    _archive()
    html = Client().get("/tags", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert text in html


@pytest.mark.django_db(transaction=True)
def test_the_cached_cloud_follows_writes_and_keeps_roles_apart():
    """The cloud is cached per listing rule: a new work's tag shows on the next request, and
    a member's cloud (restricted works counted) is never served to a guest."""
    from django.core.cache import cache

    cache.clear()
    author = _archive()
    member = Client()
    make_user("cloudmember")
    assert member.login(username="cloudmember", password=PASSWORD)
    assert "Members Only Trope" in _cloud(member.get("/tags").content.decode())
    with mock.patch.object(views, "tags_cloud_for", side_effect=views.tags_cloud_for) as built:
        member.get("/tags")
    assert built.call_count == 0  # served from the cache
    assert "Members Only Trope" not in _cloud(Client().get("/tags").content.decode())
    make_work(author, title="Later", freeforms=["Brand New Trope"])
    assert _cloud(member.get("/tags").content.decode())["Brand New Trope"] == "1 work"
    assert _cloud(Client().get("/tags").content.decode())["Fluff"] == "2 works"
