"""The work page's one read of its work (``access.access_work_page``) gives what
``access.access_work`` gives, plus the flags its parts read instead of asking again; and
the parts answer the same from the flags as from their own queries."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from ficarchive.collections.services.gifts import gift_add
from ficarchive.collections.work_part import work_page_part as collections_part
from ficarchive.core.errors import NotFound
from ficarchive.feedback.models import Kudos
from ficarchive.feedback.selectors import GUEST_KUDOS_FLAG, kudos_summary
from ficarchive.feedback.services import kudos_give
from ficarchive.skins import services as skins_services
from ficarchive.skins.selectors import SKIN_FLAG
from ficarchive.skins.views import work_page_part as skins_part
from ficarchive.testing import make_user, make_work
from ficarchive.works import access
from ficarchive.works.models import Chapter
from ficarchive.works.pages import work_page_flags
from ficarchive.works.services import series_add_work

pytestmark = pytest.mark.django_db


def _blurb(work) -> dict:
    """Every concrete field and every prefetched relation the page reads, as plain data."""
    fields = {f.attname: getattr(work, f.attname) for f in work._meta.concrete_fields}
    return {
        **fields,
        "taggings": [(t.pk, t.tag_id, t.tag.name, t.position) for t in work.taggings.all()],
        "creatorships": [
            (c.pk, c.pseud_id, c.pseud.name, c.pseud.user.username) for c in work.creatorships.all()
        ],
        "serial_works": [
            (s.pk, s.series_id, s.series.title, s.position, s.series_anonymous)
            for s in work.serial_works.all()
        ],
    }


@pytest.fixture
def author():
    return make_user("reads_author")


@pytest.mark.parametrize("in_series", [False, True])
def test_page_read_equals_access_work(author, in_series):
    """The page's read holds the same row and relations as ``access_work`` (a work in a
    series and one in none), and no query is left for a part to run on the relations."""
    work = make_work(author, characters=["A", "B"], freeforms=["Fluff"])
    if in_series:
        series_add_work(actor=author, work=work, series_title="A Series")
    for viewer in (None, author, make_user(f"other_{int(in_series)}")):
        expected = _blurb(access.access_work(viewer, work.pk))
        page = access.access_work_page(viewer, work.pk, flags=work_page_flags())
        with CaptureQueriesContext(connection) as ctx:
            got = _blurb(page)
        assert got == expected
        assert not ctx.captured_queries
        assert bool(page._page_in_series) is in_series


def test_page_read_refuses_as_access_work(author):
    """A draft is NotFound for a guest through the page's read too, as for a missing work
    or a bad id."""
    draft = make_work(author, draft=True)
    for work_id in (draft.pk, 999_999, "x"):
        with pytest.raises(NotFound):
            access.access_work_page(None, work_id, flags=work_page_flags())
    assert access.access_work_page(author, draft.pk, flags={}).pk == draft.pk


def test_flags_answer_as_the_parts_queries(author):
    """Kudos (guests counted), skin and collections parts give the same data from the
    flags read with the row as from their own queries, for a work with and without each."""
    plain = make_work(author, title="Plain")
    dressed = make_work(author, title="Dressed")
    skin, _ = skins_services.work_skin_create(actor=author, title="Mine", css="p { color: red; }")
    skins_services.work_skin_set(actor=author, work_id=dressed.pk, skin=skin)
    kudos_give(actor=None, work=dressed, guest_address="192.0.2.1")
    kudos_give(actor=None, work=dressed, guest_address="192.0.2.2")
    kudos_give(actor=make_user("fan"), work=dressed)
    gift_add(actor=author, work=dressed, name="fan")
    request = RequestFactory().get("/works/1")
    request.user = AnonymousUser()
    assert collections_part(request, access.access_work(None, dressed.pk), None)["gifts"]
    for work in (plain, dressed):
        flagged = access.access_work_page(None, work.pk, flags=work_page_flags())
        unflagged = access.access_work(None, work.pk)
        assert not hasattr(unflagged, SKIN_FLAG)
        assert getattr(flagged, GUEST_KUDOS_FLAG) == (2 if work is dressed else 0)
        assert kudos_summary(flagged, None) == kudos_summary(unflagged, None)
        orm = Kudos.objects.filter(work=work, user__isnull=False).select_related("user")
        users = [k.user for k in orm.order_by("-created_at")[:100]]
        assert kudos_summary(flagged, None)["users"] == users
        assert [u.username for u in users] == (["fan"] if work is dressed else [])
        assert skins_part(request, flagged, None) == skins_part(request, unflagged, None)
        assert collections_part(request, flagged, None) == collections_part(
            request, unflagged, None
        )
    assert skins_part(request, access.access_work_page(None, dressed.pk, flags={}), None)


def test_chapters_read_as_the_orm(author):
    """The page's chapters (compiled once) are the ORM's, posted ones for readers and
    drafts too for the work's creators, in order, each pointing back at the work."""
    from ficarchive.works.selectors import chapters_for_viewer
    from ficarchive.works.services import ChapterInput, chapter_add

    work = make_work(author, chapters=["One.", "Two.", "Three."])
    chapter_add(actor=author, work=work, chapter=ChapterInput(body="Draft."), posted=False)
    work = access.access_work_page(author, work.pk, flags={})
    fields = [f.attname for f in Chapter._meta.concrete_fields]

    def rows(chapters):
        return [[getattr(c, f) for f in fields] for c in chapters]

    everything = Chapter.objects.filter(work=work).order_by("position", "id")
    assert rows(chapters_for_viewer(work, author)) == rows(everything)
    assert len(everything) == 4
    reader = chapters_for_viewer(work, make_user("chapter_reader"))
    assert rows(reader) == rows(everything.filter(posted=True))
    with CaptureQueriesContext(connection) as ctx:
        assert all(c.work is work for c in reader)
    assert not ctx.captured_queries
