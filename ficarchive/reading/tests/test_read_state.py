"""Read state in listings, on both engines: blurbs say read / N new chapters / marked for
later; the sidebar hides what was read, kudos'd or bookmarked and can show only works
updated since they were read; a single work can be muted, and a tag mute limited to one
fandom."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from ficarchive.discovery import services as discovery
from ficarchive.discovery.search import search_works
from ficarchive.feedback.services import bookmark_save, kudos_give
from ficarchive.reading import services
from ficarchive.testing import make_user, make_work
from ficarchive.works.services import ChapterInput, chapter_add

pytestmark = pytest.mark.django_db


@pytest.fixture
def shelf(author, user, engine):
    works = {
        name: make_work(author, title=name, fandoms=[fandom], freeforms=["Angst"])
        for name, fandom in (
            ("Read", "Alpha"),
            ("Kudosed", "Alpha"),
            ("Bookmarked", "Beta"),
            ("Untouched", "Beta"),
        )
    }
    services.history_record(user=user, work=works["Read"], chapter=None)
    kudos_give(actor=user, work=works["Kudosed"])
    bookmark_save(actor=user, work=works["Bookmarked"], private=True)
    return works


def _titles(viewer, params) -> set[str]:
    return {w.title for w in search_works(viewer, params).works}


def test_hide_read_kudosed_bookmarked(shelf, user):
    assert _titles(user, {"hide": "read"}) == {"Kudosed", "Bookmarked", "Untouched"}
    assert _titles(user, {"hide": ["kudosed", "bookmarked"]}) == {"Read", "Untouched"}


def test_updated_since_read(shelf, user, author):
    assert _titles(user, {"updated_since_read": "1"}) == set()
    chapter_add(actor=author, work=shelf["Read"], chapter=ChapterInput(body="Next."))
    assert _titles(user, {"updated_since_read": "1"}) == {"Read"}
    services.history_record(user=user, work=shelf["Read"], chapter=None)
    shelf["Read"].refresh_from_db()
    services.history_record(user=user, work=shelf["Read"], chapter=None)
    assert _titles(user, {"updated_since_read": "1"}) == set()


def test_sql_engine_reads_the_history_in_a_subquery(shelf, user, engine):
    """hide=read and "updated since I read" put no list of ids in the SQL: the history
    is read by the database in a subquery, whatever its length."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if engine != "sql":
        pytest.skip("the bitmap engine takes the ids into its index by design")
    with CaptureQueriesContext(connection) as ctx:
        _titles(user, {"hide": "read", "updated_since_read": "1"})
    sqls = [q["sql"] for q in ctx.captured_queries]
    assert [s for s in sqls if 'FROM "works_work"' in s and 'FROM "reading_reading"' in s]
    # No query fetches the history's ids to pass them back as a list.
    assert not [s for s in sqls if s.startswith('SELECT "reading_reading"."work_id"')]


def test_guests_get_a_note_not_a_filter(shelf, client):
    result = search_works(None, {"hide": "read"})
    assert result.total == 4 and result.errors


def test_mute_a_single_work(shelf, user, author):
    discovery.mute_add(actor=user, kind="work", value=str(shelf["Untouched"].pk))
    assert "Untouched" not in _titles(user, {})
    draft = make_work(author, draft=True)
    with pytest.raises(ValidationError):
        discovery.mute_add(actor=user, kind="work", value=str(draft.pk))
    with pytest.raises(ValidationError):
        discovery.mute_add(actor=user, kind="work", value="not a number")


def test_tag_mute_limited_to_a_fandom(shelf, user):
    discovery.mute_add(actor=user, kind="tag", value="Angst", fandom="Alpha")
    assert _titles(user, {}) == {"Bookmarked", "Untouched"}
    with pytest.raises(ValidationError):
        discovery.mute_add(actor=user, kind="tag", value="Angst", fandom="Angst")  # not a fandom
    with pytest.raises(ValidationError):
        discovery.mute_add(actor=user, kind="creator", value="author", fandom="Alpha")


def test_blurbs_show_read_state_and_later(shelf, user, author):
    services.later_mark(actor=user, work=shelf["Untouched"])
    chapter_add(actor=author, work=shelf["Read"], chapter=ChapterInput(body="Next."))
    states = {w.title: w.read_state for w in search_works(user, {}).works}
    assert states["Read"].read and states["Read"].new_chapters == 1
    assert states["Untouched"].later and not states["Untouched"].read
    assert not states["Kudosed"].read
    client = Client()
    client.force_login(user)
    page = client.get("/works").content.decode()
    assert "1 new chapter since you read" in page and "Marked for later" in page
    assert "Hide works I have read" in page
    guest_page = Client().get("/works").content.decode()
    assert "Marked for later" not in guest_page and "Hide works I have read" not in guest_page


def test_mute_this_work_from_its_page(shelf, user):
    client = Client()
    client.force_login(user)
    work = shelf["Untouched"]
    response = client.post(
        "/mutes", {"kind": "work", "value": str(work.pk), "next": f"/works/{work.pk}"}
    )
    assert response.status_code == 302 and response["Location"] == f"/works/{work.pk}"
    assert "Untouched" not in _titles(user, {})
    other = make_user("other")
    assert "Untouched" in _titles(other, {})
