"""Author statistics: each work's hits, kudos, comments, bookmarks, subscribers and words,
totals, a year selector, and a chart drawn on the server as SVG; private to the author
(and admins)."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.utils import timezone
from lxml import etree

from ficarchive.feedback.services import bookmark_save, comment_create, kudos_give
from ficarchive.reading import stats
from ficarchive.reading.chart import stats_svg
from ficarchive.testing import make_user, make_work
from ficarchive.works.hits import hits_discard, hits_flush

pytestmark = pytest.mark.django_db


@pytest.fixture
def counted(author, user):
    loved = make_work(author, title="Loved", chapters=["one two three four"])
    quiet = make_work(author, title="Quiet", chapters=["five six"])
    other = make_user("other")
    for giver in (user, other):
        kudos_give(actor=giver, work=loved)
    comment_create(actor=user, work=loved, body="Lovely!")
    bookmark_save(actor=user, work=loved)
    hits_discard()  # visits buffered by earlier tests (works.hits) are not this test's
    Client().get(f"/works/{loved.pk}", HTTP_USER_AGENT="Mozilla/5.0 Firefox/128.0")
    hits_flush()  # hits are buffered and reach the work at the next flush
    return loved, quiet


def test_figures_per_work_and_totals(author, counted):
    loved, quiet = counted
    data = stats.author_stats(author)
    rows = {r.work.title: r.figures for r in data.works}
    assert rows["Loved"] == {
        "hits": 1,
        "kudos": 2,
        "comments": 1,
        "bookmarks": 1,
        "subscribers": 0,
        "words": loved.word_count,
    }
    assert data.totals["kudos"] == 2 and data.totals["words"] == loved.word_count + quiet.word_count


def test_year_counts_what_came_that_year(author, counted):
    this_year = timezone.localdate().year
    data = stats.author_stats(author, this_year)
    assert data.totals["kudos"] == 2 and data.totals["hits"] == 1
    month = f"{this_year}-{timezone.localdate().month:02d}"
    assert dict(data.series)[month]["kudos"] == 2
    assert stats.author_stats(author, 1999).totals["kudos"] == 0


def test_subscriber_counts_come_from_the_registered_counter(author, counted):
    loved, _ = counted
    before = list(stats._SUBSCRIBERS)
    stats.subscriber_counts_register(lambda ids: {loved.pk: 7})
    try:
        assert stats.author_stats(author).totals["subscribers"] == 7
    finally:
        stats._SUBSCRIBERS[:] = before


def test_stats_page_is_the_authors_own(author, user, admin_user, counted):
    client = Client()
    client.force_login(author)
    page = client.get(f"/users/{author.username}/stats")
    assert page.status_code == 200
    # The chart is an SVG drawn on the server: no script beside the site's own.
    body = re.sub(
        r'<script src="/(?:static|jsi18n)/[^"]*"(?: defer)?></script>', "", page.content.decode()
    )
    assert "<svg" in body and "<script" not in body and "Loved" in body
    assert client.get(f"/users/{author.username}/stats?year=nonsense").status_code == 200
    nosy = Client()
    nosy.force_login(user)
    assert nosy.get(f"/users/{author.username}/stats").status_code == 404
    assert Client().get(f"/users/{author.username}/stats").status_code == 404
    admin = Client()
    admin.force_login(admin_user)
    assert admin.get(f"/users/{author.username}/stats").status_code == 200


def test_chart_is_well_formed_svg_and_escapes_labels():
    svg = stats_svg([("<b>", {"hits": 3, "kudos": 1}), ("2025", {"hits": 0})], "A & B")
    root = etree.fromstring(str(svg).encode())
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert len(root.findall("{http://www.w3.org/2000/svg}polyline")) == 4
    assert "<b>" not in str(svg)
    assert stats_svg([], "empty") == ""
