"""The work page's data is loaded by its view: its queries are pinned, signed in and as a guest."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ficarchive.tags.vocabulary import Rating
from ficarchive.testing import make_user, make_work

pytestmark = pytest.mark.django_db

# Before the page's data moved into its view (feedback template tags re-running the access
# check twice): 18 signed in, 15 as a guest. Then 20 and 15, until hits were buffered
# (works.hits: no savepoint, insert, update, release per view) and a work without
# comments or kudos stopped asking for them (its counters say so).
# Signed in: session, user; work, taggings, creatorships, series, chapters; bookmark,
# pseuds to comment as; the reader's history (one upsert that also answers "marked for
# later?", issue 13: every chapter a signed-in reader opens is recorded); the subscribe
# button (notify: is the reader subscribed); which of collections, gifts and related works
# the work has (collections: one UNION, and nothing more when it has none); the work's
# skin (skins, issue 18: one query, its stylesheet is fetched separately). 13 until the
# work's row came to carry the parts' flags (works.pages.work_page_flag_register: in a
# series? in a collection, with gifts or related works? wearing a skin? guests' kudos),
# read with it: a work with none of them asks nothing more of them.
# Now: session, user; work (with its flags), taggings, creatorships, chapters; bookmark,
# pseuds to comment as; history; subscription; a block by a creator (AO3 offers a
# blocked reader neither kudos nor the comment form).
SIGNED_IN_QUERIES = 11
# A guest, drawing the page the cache will keep (works.page_cache): the work's hit count
# and rating as a guest may read it with its stamp (discovery: versions) in one query;
# then work (with its flags), taggings, creatorships, chapters. No session or user,
# bookmark, pseuds, history, subscription, nor "did this address leave kudos" (a shared
# page always offers the button). 9 before the stamp joined the row and the flags the work.
GUEST_QUERIES = 5

BROWSER = {"HTTP_USER_AGENT": "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0"}


def _page_queries(client, url: str) -> list[str]:
    # Nothing left in the cache by earlier tests (the test settings never clear it): the
    # first request below fills exactly what this page reads from it.
    cache.clear()
    client.get("/", **BROWSER)  # the session and per-user caches exist before counting
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, **BROWSER)
    assert response.status_code == 200
    assert 'id="feedback"' in response.content.decode()
    return [q["sql"] for q in ctx.captured_queries]


@pytest.fixture
def big_work():
    author = make_user("page_author")
    return make_work(
        author,
        chapters=[f"Chapter {i} text." for i in range(10)],
        rating=Rating.GENERAL,
        characters=[f"Character {i}" for i in range(15)],
        freeforms=[f"Tag {i}" for i in range(15)],
    )


def test_signed_in_work_page_queries(client, big_work):
    """A signed-in reader's full-work page costs exactly the pinned number of queries."""
    client.force_login(make_user("reader"))
    queries = _page_queries(client, f"/works/{big_work.pk}?view_full_work=true")
    assert len(queries) == SIGNED_IN_QUERIES, queries
    assert not [q for q in queries if q.startswith('SELECT 1 AS "a" FROM "works_work"')]


def test_guest_work_page_queries(client, big_work):
    """A guest's full-work page costs exactly the pinned number of queries."""
    queries = _page_queries(client, f"/works/{big_work.pk}?view_full_work=true")
    assert len(queries) == GUEST_QUERIES, queries
    assert not [q for q in queries if q.startswith('SELECT 1 AS "a" FROM "works_work"')]
