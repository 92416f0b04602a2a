"""E-reader sync: the authenticated OPDS shelves "Marked for Later" and "Continue reading"
(at the next unread chapter), whose ``updated`` changes when a chapter is posted; and the
whole-series EPUB."""

from __future__ import annotations

import base64
import datetime as dt
import io
import zipfile

import pytest
from django.test import Client
from lxml import etree

from ficarchive.accounts.tokens import token_create
from ficarchive.reading import services
from ficarchive.testing import PASSWORD, make_work
from ficarchive.works.services import (
    ChapterInput,
    WorkMeta,
    chapter_add,
    series_add_work,
    work_create,
)

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def _basic(user, password: str = PASSWORD) -> dict:
    raw = base64.b64encode(f"{user.username}:{password}".encode()).decode()
    return {"HTTP_AUTHORIZATION": f"Basic {raw}"}


def _feed(response) -> etree._Element:
    assert response.status_code == 200, response.content[:200]
    return etree.fromstring(response.content)


def test_shelves_need_a_log_in(client):
    assert client.get("/opds/later").status_code == 401
    assert client.get("/opds/continue").status_code == 401


def test_root_links_the_shelves(user):
    root = _feed(Client().get("/opds", **_basic(user)))
    titles = [e.findtext(f"{ATOM}title") for e in root.iter(f"{ATOM}entry")]
    assert "Marked for Later" in titles and "Continue reading" in titles


def test_later_shelf_with_a_token_and_updated_moves_with_a_new_chapter(user, author):
    long_ago = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    work = work_create(
        actor=author,
        meta=WorkMeta(
            title="Saved Up",
            rating="General Audiences",
            fandoms=["Sherlock Holmes"],
            warnings=["No Archive Warnings Apply"],
        ),
        chapters=[ChapterInput(body="One.")],
        published_at=long_ago,
        revised_at=long_ago,
    )
    services.later_mark(actor=user, work=work)
    token = token_create(actor=user, name="e-reader", scope="read")[1]
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    first = _feed(Client().get("/opds/later", **headers))
    assert [e.findtext(f"{ATOM}title") for e in first.iter(f"{ATOM}entry")] == ["Saved Up"]
    before = first.findtext(f"{ATOM}updated")
    assert before.startswith("2020-01-01")
    chapter_add(actor=author, work=work, chapter=ChapterInput(body="More."))
    after = _feed(Client().get("/opds/later", **headers)).findtext(f"{ATOM}updated")
    assert after > before


def test_continue_reading_points_at_the_next_unread_chapter(user, author):
    work = make_work(author, title="Halfway", chapters=["One.", "Two.", "Three."])
    finished = make_work(author, title="Done", chapters=["Only."])
    first, second, _ = list(work.chapters.order_by("position"))
    services.history_record(user=user, work=work, chapter=first)
    services.history_record(user=user, work=finished, chapter=None)
    root = _feed(Client().get("/opds/continue", **_basic(user)))
    entries = list(root.iter(f"{ATOM}entry"))
    assert [e.findtext(f"{ATOM}title") for e in entries] == ["Halfway"]
    related = [x for x in entries[0].iter(f"{ATOM}link") if x.get("rel") == "related"]
    assert related[0].get("href").endswith(f"/works/{work.pk}/chapters/{second.pk}")
    # A new chapter on the finished work puts it back on the shelf.
    chapter_add(actor=author, work=finished, chapter=ChapterInput(body="Epilogue."))
    root = _feed(Client().get("/opds/continue", **_basic(user)))
    assert {e.findtext(f"{ATOM}title") for e in root.iter(f"{ATOM}entry")} == {"Halfway", "Done"}


def test_shelves_leave_out_what_the_reader_may_not_see(user, author, admin_user):
    from ficarchive.works.services import work_hide

    work = make_work(author, title="Gone")
    services.later_mark(actor=user, work=work)
    work_hide(actor=admin_user, work=work, hidden=True)
    root = _feed(Client().get("/opds/later", **_basic(user)))
    assert list(root.iter(f"{ATOM}entry")) == []


def test_whole_series_epub(user, author):
    one = make_work(author, title="Part One", chapters=["Alpha text."])
    two = make_work(author, title="Part Two", chapters=["Beta text.", "Gamma text."])
    draft = make_work(author, title="Part Three", chapters=["Secret text."], draft=True)
    for work in (one, two, draft):
        series = series_add_work(actor=author, work=work, series_title="The Saga")
    response = Client().get(f"/downloads/series/{series.pk}/wrong.epub")
    assert response.status_code == 302
    response = Client().get(response["Location"])
    assert response.status_code == 200 and response["Content-Type"] == "application/epub+zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    text = " ".join(archive.read(n).decode() for n in archive.namelist() if n.endswith(".xhtml"))
    assert "Alpha text." in text and "Gamma text." in text and "Secret text." not in text
    assert "The Saga" in archive.read("OEBPS/content.opf").decode()
    assert Client().get("/downloads/series/999999/x.epub").status_code == 404
