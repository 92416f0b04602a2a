"""The plain-SQL reads of a listing page (``discovery.fastreads``) give what the ORM gave,
and ``blurbs.row_kind`` what ``blurbs.viewer_kind`` gives, for every kind of viewer."""

from __future__ import annotations

import itertools
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, OuterRef
from django.http import QueryDict

from ficarchive.discovery import fastreads
from ficarchive.discovery.blurbs import row_kind, viewer_kind
from ficarchive.discovery.models import Mute, SavedFilter
from ficarchive.discovery.services import mute_add, saved_filter_create
from ficarchive.reading.selectors import blurb_states
from ficarchive.reading.services import history_record, later_mark
from ficarchive.testing import make_user, make_work
from ficarchive.works.models import Creatorship, SerialWork, Work
from ficarchive.works.services.series import series_add_work

pytestmark = pytest.mark.django_db


def _orm_rows(ids, user_id):
    rows = Work.objects.filter(pk__in=ids).annotate(
        in_series=Exists(SerialWork._base_manager.filter(work_id=OuterRef("pk")))
    )
    fields = ["id", "title", "posted", "chapter_count", "hit_count", "in_series"]
    if user_id is not None:
        mine = Creatorship.objects.filter(work_id=OuterRef("pk"), pseud__user_id=user_id)
        rows = rows.annotate(own=Exists(mine))
        fields.append("own")
    return {row["id"]: row for row in rows.values(*fields)}


def test_listing_rows_match_the_orm():
    author, reader = make_user("fastauthor"), make_user("fastreader")
    plain = make_work(author, title="Plain & <odd>")
    serial = make_work(author, title="In a series")
    series_add_work(actor=author, work=serial, series_title="Saga")
    theirs = make_work(reader, title="The reader's own")
    ids = [plain.pk, serial.pk, theirs.pk, 999_999]
    for user_id in (None, reader.pk, author.pk):
        assert fastreads.listing_rows(ids, user_id) == _orm_rows(ids, user_id)
    rows = fastreads.listing_rows(ids, reader.pk)
    assert rows[serial.pk]["in_series"] is True and rows[plain.pk]["in_series"] is False
    assert rows[theirs.pk]["own"] is True and rows[plain.pk]["own"] is False
    assert 999_999 not in rows
    assert fastreads.listing_rows([], reader.pk) == {}


def test_mute_rows_and_saved_filters_match_the_orm():
    reader = make_user("mutereader")
    other = make_user("otherreader")
    make_work(other, title="Something")
    mute_add(actor=reader, kind="creator", value="otherreader")
    mute_add(actor=reader, kind="language", value="fr")
    expected = sorted(
        Mute.objects.filter(user_id=reader.pk).values_list(
            "kind", "tag_id", "creator_id", "language", "work_id", "fandom_id"
        )
    )
    assert sorted(fastreads.mute_rows(reader.pk)) == expected
    assert fastreads.mute_rows(other.pk) == []
    for name in ("zeta", "Alpha", "beta"):
        saved_filter_create(actor=reader, name=name, path="/works", params=QueryDict("tag=x"))
    got = fastreads.saved_filters(reader.pk)
    want = list(SavedFilter.objects.filter(user_id=reader.pk))
    assert [(s.pk, s.name, s.get_absolute_url()) for s in got] == [
        (s.pk, s.name, s.get_absolute_url()) for s in want
    ]
    assert got[0].created_at == want[0].created_at  # deferred, loaded when read


def test_read_state_in_plain_sql():
    author, reader = make_user("stateauthor"), make_user("statereader")
    read, later, other = (make_work(author, title=t) for t in ("Read", "Later", "Other"))
    history_record(user=reader, work=read, chapter=None)
    later_mark(actor=reader, work=later)
    works = list(Work.objects.filter(pk__in=[read.pk, later.pk, other.pk]).order_by("pk"))
    blurb_states(reader, works)
    states = {w.pk: w.read_state for w in works}
    assert states[read.pk].read and not states[read.pk].later
    assert states[later.pk].later is True and not states[later.pk].read
    assert not states[other.pk].read and not states[other.pk].later


@pytest.mark.parametrize(
    "viewer",
    [
        AnonymousUser(),
        SimpleNamespace(is_authenticated=True, is_superuser=False, is_staff=False),
        SimpleNamespace(is_authenticated=True, is_superuser=True, is_staff=False),
        SimpleNamespace(is_authenticated=True, is_staff=False, hide_warnings=True),
        SimpleNamespace(is_authenticated=True, is_staff=False, hide_freeform=True),
    ],
)
def test_row_kind_is_viewer_kind(viewer):
    base = viewer_kind(viewer, in_series=False, own=False)
    signed_in = bool(getattr(viewer, "is_authenticated", False))
    for in_series, own in itertools.product([False, True], repeat=2):
        assert row_kind(base, signed_in, in_series=in_series, own=own) == viewer_kind(
            viewer, in_series=in_series, own=own
        )
