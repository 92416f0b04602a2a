"""A listing whose blurbs are all cached loads its works as rows, not models
(``discovery.blurbs``), and draws each reader's own part once per request for a stand-in
(``templatetags/discovery_blurbs.viewer_part``): every work still gets its own id, title and
read state, and the page the same HTML as when drawn in full. Commits, as the cache stores
only what was read outside a transaction."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from ficarchive.discovery.templatetags.discovery_blurbs import STAND_IN_PK, STAND_IN_TITLE
from ficarchive.reading.services import history_record, later_mark
from ficarchive.testing import PASSWORD, make_user, make_work

pytestmark = [pytest.mark.django_db(transaction=True)]


def _signed_in(user) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def _blurbs(page: str) -> dict[int, str]:
    found = {}
    for match in re.finditer(r'<li class="work blurb group" id="work_(\d+)"', page):
        end = page.find('<li class="work blurb group"', match.end())
        found[int(match.group(1))] = page[match.start() : end if end > 0 else len(page)]
    return found


def _tag_queries(client: Client, url: str) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as ctx:
        page = client.get(url).content.decode()
    return page, sum('"tags_tagging"' in q["sql"] for q in ctx.captured_queries)


@pytest.fixture
def shelf():
    author = make_user("rowsauthor")
    works = [make_work(author, title=f"Row <Work> & {i}") for i in range(3)]
    reader = make_user("rowsreader")
    history_record(user=reader, work=works[0], chapter=None)
    later_mark(actor=reader, work=works[1])
    return works, reader


def test_cached_listing_matches_a_drawn_one_for_each_work(shelf):
    works, reader = shelf
    client = _signed_in(reader)
    drawn, tag_queries = _tag_queries(client, "/works")
    assert tag_queries  # the first request loads the works and fills the blurb cache
    cached, tag_queries = _tag_queries(client, "/works")
    assert tag_queries == 0  # every blurb cached: no tags loaded
    drawn_blurbs, cached_blurbs = _blurbs(drawn), _blurbs(cached)
    assert set(cached_blurbs) == {w.pk for w in works}
    token = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
    for work in works:
        blurb = cached_blurbs[work.pk]
        assert token.sub("", blurb) == token.sub("", drawn_blurbs[work.pk])
        assert f"/works/{work.pk}/" in blurb
        assert f": Row &lt;Work&gt; &amp; {works.index(work)}</span>" in blurb
        assert str(STAND_IN_PK) not in blurb and STAND_IN_TITLE not in blurb
    assert "Mark as Read" in cached_blurbs[works[1].pk]
    assert "Marked for later" in cached_blurbs[works[1].pk]
    assert "Marked for later" not in cached_blurbs[works[0].pk]
    assert "Mark for Later" in cached_blurbs[works[0].pk]
    assert 'class="badge read"' in cached_blurbs[works[0].pk]
    assert 'class="badge read"' not in cached_blurbs[works[2].pk]


def test_another_reader_gets_only_their_own_part(shelf):
    works, reader = shelf
    _signed_in(reader).get("/works")  # fills the cache with the first reader's page
    other = _signed_in(make_user("rowsother"))
    other.get("/works")
    page, tag_queries = _tag_queries(other, "/works")
    assert tag_queries == 0
    assert "Marked for later" not in page and 'class="badge read"' not in page
    assert page.count("Mark for Later") == len(works)


def test_a_path_holding_the_stand_in_is_drawn_plainly(shelf):
    works, reader = shelf
    client = _signed_in(reader)
    client.get("/works")
    page = client.get(f"/works?junk={STAND_IN_PK}").content.decode()
    for work in works:
        assert f"/works/{work.pk}/" in _blurbs(page)[work.pk]
    assert f"junk={STAND_IN_PK}" in page  # the form's "next" keeps the reader's address


def test_the_creators_own_works_are_loaded_and_drawn(shelf):
    works, _reader = shelf
    author = works[0].creatorships.first().pseud.user
    client = _signed_in(author)
    client.get("/works")
    page, tag_queries = _tag_queries(client, "/works")
    assert tag_queries  # a creator's blurb is drawn for them alone (viewer_kind: None)
    assert set(_blurbs(page)) == {w.pk for w in works}


# A signed-in reader's /works when every blurb is cached (the SQL engine, as in tests):
# session, user; the cache generation; the reader's mutes (the plan); the count and the
# page's ids; blurb versions; the works' rows (one query: fields, "in a series",
# "theirs"); read states; saved filters. Before the rows (issue 17, "pages close to the
# floor") the works, taggings, creatorships and series were four: 13.
READER_CACHED_QUERIES = 10


def test_signed_in_cached_listing_queries(shelf):
    _works, reader = shelf
    client = _signed_in(reader)
    client.get("/works")
    with CaptureQueriesContext(connection) as ctx:
        client.get("/works")
    sql = [q["sql"] for q in ctx.captured_queries]
    assert len(sql) == READER_CACHED_QUERIES, "\n".join(s[:120] for s in sql)


def test_blurbs_are_cached_per_language():
    """A blurb drawn in one language is never served to a reader of another."""
    from django.utils import translation

    from ficarchive.discovery.blurbs import blurb_key

    with translation.override("en"):
        english = blurb_key("1.1.7.3", 12, "reader.00")
    with translation.override("fr"):
        french = blurb_key("1.1.7.3", 12, "reader.00")
    assert english != french


def test_work_in_a_series_is_loaded_whole(shelf):
    """Once the blurbs are cached, a work in a series still comes as a model (its blurb is
    drawn every time: whether its series shows depends on the series' other works), the
    others as rows."""
    from ficarchive.discovery.blurbs import CachedBlurbWork
    from ficarchive.discovery.search import search_works
    from ficarchive.works.services import series_add_work

    works, reader = shelf
    series_add_work(actor=works[0].creatorships.first().pseud.user, work=works[2], series_title="S")
    _signed_in(reader).get("/works")  # fills the blurb cache
    listed = {w.pk: w for w in search_works(reader, {}, cached_blurbs=True).works}
    assert not isinstance(listed[works[2].pk], CachedBlurbWork)
    assert isinstance(listed[works[0].pk], CachedBlurbWork)
    assert isinstance(listed[works[1].pk], CachedBlurbWork)
