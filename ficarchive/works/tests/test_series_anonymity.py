"""A series holding a named and an anonymous work names no one: on its page, its API object,
the named work's "Part N of" line and blurb, and the named work's download."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from lxml import html as lxml_html

from ficarchive.testing import make_user, make_work
from ficarchive.works.models import Series
from ficarchive.works.services import series_add_work

AUTHOR = "seriesauthor"
SERIES = "The Secret Series"


@pytest.fixture
def archive(db):
    author = make_user(AUTHOR)
    named = make_work(author, title="Named Part One")
    anonymous = make_work(author, title="Anonymous Part Two", anonymous=True)
    plain = make_work(author, title="Plain Part One")
    for work, title in ((named, SERIES), (anonymous, SERIES), (plain, "An Open Series")):
        series_add_work(actor=author, work=work, series_title=title)
    return {
        "users": {
            "reader": make_user("seriesreader"),
            "author": author,
            "admin": make_user("seriesadmin", is_staff=True, is_superuser=True),
        },
        "named": named,
        "anonymous": anonymous,
        "plain": plain,
        "series": Series.objects.get(title=SERIES),
        "open": Series.objects.get(title="An Open Series"),
    }


def _client(archive, role: str) -> Client:
    client = Client()
    if role != "guest":
        client.force_login(archive["users"][role])
    return client


def _blurb_text(page: str, work_id: int) -> str:
    """The text of one work's blurb in a listing."""
    (blurb,) = lxml_html.fromstring(page).xpath(f'//li[@id="work_{work_id}"]')
    return blurb.text_content()


@pytest.mark.parametrize("role", ["guest", "reader"])
def test_anonymous_series_names_no_one(archive, role):
    """Guests and other users: the series page, its API object and each entry say "Anonymous",
    and the named work is not listed beside the anonymous one (its own page names its
    creator, so listing it there would tie her to the anonymous work)."""
    client = _client(archive, role)
    page = client.get(f"/series/{archive['series'].pk}").content.decode()
    assert "Anonymous Part Two" in page
    assert "Named Part One" not in page
    assert f"/works/{archive['named'].pk}" not in page
    assert AUTHOR not in page
    assert "Anonymous" in page
    body = client.get(f"/api/v1/series/{archive['series'].pk}").json()
    assert body["creators"] == []
    assert body["byline"] == "Anonymous"
    assert [w["id"] for w in body["works"]] == [archive["anonymous"].pk]
    assert [w["creators"] for w in body["works"]] == [None]
    assert {w["byline"] for w in body["works"]} == {"Anonymous"}
    assert AUTHOR not in json.dumps(body)


@pytest.mark.parametrize("role", ["guest", "reader"])
def test_named_work_hides_its_anonymous_series(archive, role):
    """The named work's page, blurb, API object and download do not tie it to the series."""
    client = _client(archive, role)
    named = archive["named"]
    page = client.get(f"/works/{named.pk}").content.decode()
    assert AUTHOR in page  # the named work is named...
    assert SERIES not in page  # ...so it does not say which series holds the anonymous one
    assert SERIES not in _blurb_text(
        client.get(f"/users/{AUTHOR}/works").content.decode(), named.pk
    )
    assert client.get(f"/api/v1/works/{named.pk}").json()["series"] == []
    download = client.get(f"/downloads/{named.pk}/{named.slug}.html")
    assert download.status_code == 200
    assert SERIES not in b"".join(download.streaming_content).decode()


def test_anonymous_work_keeps_its_series_line(archive):
    """The anonymous work itself still says it is part of the series (that names no one)."""
    page = Client().get(f"/works/{archive['anonymous'].pk}").content.decode()
    assert SERIES in page
    assert AUTHOR not in page


@pytest.mark.parametrize("role", ["author", "admin"])
def test_creator_and_admin_see_the_series_creator(archive, role):
    """The series' creator and admins see the creator on the series, its API object and the
    named work's series line."""
    client = _client(archive, role)
    page = client.get(f"/series/{archive['series'].pk}").content.decode()
    assert AUTHOR in page
    body = client.get(f"/api/v1/series/{archive['series'].pk}").json()
    assert [c["user"] for c in body["creators"]] == [AUTHOR]
    assert SERIES in client.get(f"/works/{archive['named'].pk}").content.decode()


def test_series_without_anonymous_work_names_its_creator(archive):
    """A series of named works names its creator to guests, on the page and in the API."""
    client = Client()
    assert AUTHOR in client.get(f"/series/{archive['open'].pk}").content.decode()
    body = client.get(f"/api/v1/series/{archive['open'].pk}").json()
    assert [c["user"] for c in body["creators"]] == [AUTHOR]
    assert "An Open Series" in client.get(f"/works/{archive['plain'].pk}").content.decode()
