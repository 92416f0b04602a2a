"""Series blurbs with stats (works, words, bookmarks, subscriptions, complete) on the series
page and the user's series page, counted over the parts the viewer may see only."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from ficarchive.feedback.services import bookmark_save
from ficarchive.testing import make_user, make_work
from ficarchive.works import series_stats as stats_module
from ficarchive.works.services import series_add_work, series_update, work_hide

pytestmark = pytest.mark.django_db


def _stat(page: str, name: str) -> str:
    return re.search(rf'<dd class="{name}">([^<]*)</dd>', page).group(1)


def _get(user, url: str) -> str:
    client = Client()
    if user is not None:
        client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


@pytest.fixture
def saga():
    writer, reader = make_user("writer"), make_user("reader")
    admin = make_user("boss", is_superuser=True, is_staff=True)
    one = make_work(writer, title="Part-One", chapters=["one two three"])
    two = make_work(writer, title="Part-Two", chapters=["four five"], restricted=True)
    three = make_work(writer, title="Part-Three", chapters=["six seven eight nine"])
    draft = make_work(writer, title="Part-Draft", chapters=["ten"], draft=True)
    series = series_add_work(actor=writer, work=one, series_title="The Saga")
    for work in (two, three, draft):
        series_add_work(actor=writer, work=work, series=series)
    work_hide(actor=admin, work=three, hidden=True)
    bookmark_save(actor=reader, work=one)
    bookmark_save(actor=reader, work=two)
    return {"writer": writer, "reader": reader, "series": series}


def test_series_page_counts_only_what_the_viewer_sees(saga):
    url = f"/series/{saga['series'].pk}"
    guest = _get(None, url)  # only part one
    assert (_stat(guest, "works"), _stat(guest, "words"), _stat(guest, "bookmarks")) == (
        "1",
        "3",
        "1",
    )
    assert _stat(guest, "complete") == "No"
    reader = _get(saga["reader"], url)  # parts one and two
    assert (_stat(reader, "works"), _stat(reader, "words"), _stat(reader, "bookmarks")) == (
        "2",
        "5",
        "2",
    )
    writer = _get(saga["writer"], url)  # the writer opens the hidden part and the draft too
    assert _stat(writer, "works") == "4"
    series_update(
        actor=saga["writer"], series=saga["series"], title="The Saga", summary="", notes="",
        complete=True,
    )  # fmt: skip
    assert _stat(_get(None, url), "complete") == "Yes"


def test_subscriptions_come_from_the_registered_counter(saga, monkeypatch):
    sid = saga["series"].pk
    monkeypatch.setattr(stats_module, "_subscriber_counters", [lambda ids: {sid: 4}])
    assert _stat(_get(None, f"/series/{sid}"), "subscriptions") == "4"


def test_user_series_page(saga):
    writer = saga["writer"]
    hidden_only = make_work(writer, title="Lone-Restricted", restricted=True)
    series_add_work(actor=writer, work=hidden_only, series_title="Members Only Saga")
    guest = _get(None, "/users/writer/series")
    assert "The Saga" in guest and "Members Only Saga" not in guest
    assert "In progress" in guest
    assert _stat(guest, "words") == "3"
    member = _get(saga["reader"], "/users/writer/series")
    assert "Members Only Saga" in member
    assert _get(None, "/users/reader/series").count("series blurb") == 0
    assert Client().get("/users/nobody/series").status_code == 404
