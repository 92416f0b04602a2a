"""A listing's works, loaded by statements compiled once (``search._blurb_works``), are the
ORM's: the same columns (the same deferred ones), taggings, creatorships and series
entries, for pages of different sizes and with a work in a series."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ficarchive.core import compiledqs
from ficarchive.discovery import search
from ficarchive.testing import make_user, make_work
from ficarchive.works.models import Work
from ficarchive.works.services import series_add_work

pytestmark = pytest.mark.django_db


def _data(work: Work) -> dict:
    loaded = {
        f.attname: getattr(work, f.attname)
        for f in work._meta.concrete_fields
        if f.attname in work.__dict__
    }
    return {
        **loaded,
        "deferred": sorted(work.get_deferred_fields()),
        "taggings": [
            (t.pk, t.tag_id, t.tag.name, t.tag.kind, t.position, t.work is work)
            for t in work.taggings.all()
        ],
        "creatorships": [
            (c.pk, c.pseud.name, c.pseud.user.username, c.pseud.user.is_staff, c.position)
            for c in work.creatorships.all()
        ],
        "serial_works": [
            (s.pk, s.series.title, s.position, s.series_anonymous) for s in work.serial_works.all()
        ],
    }


def test_compiled_blurbs_equal_the_orm():
    """Each page size gives the ORM's works and relations, in the ids' order, and reading
    them afterwards costs no query; a second page of the same size reuses the statement."""
    author = make_user("blurb_author")
    works = [
        make_work(author, title=f"W{i}", characters=[f"C{i}", "Shared"], freeforms=["Fluff"])
        for i in range(5)
    ]
    series_add_work(actor=author, work=works[1], series_title="S")
    series_add_work(actor=author, work=works[3], series_title="S")
    ids = [w.pk for w in reversed(works)] + [999_999]
    for size in (1, 3, len(ids)):
        page = ids[:size]
        orm = {w.pk: w for w in search.with_blurb_data(Work.objects.filter(pk__in=page))}
        got = search._load(page, whole=False)
        assert [w.pk for w in got] == [i for i in page if i in orm]
        with CaptureQueriesContext(connection) as ctx:
            assert [_data(w) for w in got] == [_data(orm[w.pk]) for w in got]
        assert not ctx.captured_queries
    assert any(name.startswith("discovery.blurbs.works#") for _, name in compiledqs._COMPILED)
    assert _data(search._load([works[1].pk], whole=False)[0])["serial_works"]


def test_many_ids_fall_back_to_the_orm():
    """More ids than ``MAX_VALUES`` are read by the ORM's query, with the same result."""
    author = make_user("many_author")
    work = make_work(author)
    ids = [work.pk] + list(range(10_000_000, 10_000_000 + compiledqs.MAX_VALUES))
    got = search._load(ids, whole=False)
    assert [w.pk for w in got] == [work.pk]
    assert [t.tag.name for t in got[0].taggings.all()] == [
        t.tag.name for t in work.taggings.select_related("tag")
    ]


def test_prefetched_relations_filter_like_the_manager():
    """A listing work's relation reads its prefetched rows without a query, and a further
    filter on it asks the database for this work's rows only, as the manager would."""
    author = make_user("filter_author")
    first = make_work(author, title="First", characters=["Anna"], freeforms=["Fluff", "Angst"])
    make_work(author, title="Second", characters=["Anna"], freeforms=["Fluff"])
    (work,) = search._load([first.pk], whole=False)
    count = first.taggings.count()
    with CaptureQueriesContext(connection) as ctx:
        assert len(work.taggings.all()) == count > 3
        assert work.taggings.count() == count
        assert all(t.work is work for t in work.taggings.all())
    assert not ctx.captured_queries
    fresh = Work.objects.get(pk=first.pk)
    for kind in ("character", "freeform"):
        got = sorted(t.tag.name for t in work.taggings.all().filter(tag__kind=kind))
        want = sorted(t.tag.name for t in fresh.taggings.filter(tag__kind=kind))
        assert got == want
    assert sorted(t.pk for t in work.taggings.exclude(tag__kind="freeform")) == sorted(
        t.pk for t in fresh.taggings.exclude(tag__kind="freeform")
    )
    assert [c.pseud.name for c in work.creatorships.all()] == [
        c.pseud.name for c in fresh.creatorships.all()
    ]
