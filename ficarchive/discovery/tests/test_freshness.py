"""Freshness: new and edited works, kudos and wrangling show in results at once."""

from __future__ import annotations

import time

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db.models import F

from ficarchive.core.testing import make_work
from ficarchive.discovery.selectors import filter_works, ordered_ids
from ficarchive.tags.models import Tag
from ficarchive.works.models import Work
from ficarchive.works.services import (
    ChapterInput,
    WorkMeta,
    chapter_update,
    work_delete,
    work_update,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("engine")]
GUEST = AnonymousUser()


def found(params):
    return {w.pk for w in filter_works(GUEST, params).works}


def test_new_and_edited_work_is_searchable_within_two_seconds(archive):
    """A posted work is found by its text, and an edit by its new text, within 2 s."""
    start = time.monotonic()
    work = make_work(archive.alice, title="Moonlit Orchard", chapters=["Apples under a silver moon."])
    assert found({"q": "orchard apples"}) == {work.pk}
    chapter = work.chapters.get()
    chapter_update(actor=archive.alice, chapter=chapter, data=ChapterInput(body="Pears instead."))
    assert found({"q": "pears"}) == {work.pk} and found({"q": "apples"}) == set()
    work_update(actor=archive.alice, work=work, meta=WorkMeta(
        title="Silver Pears", rating="General Audiences", warnings=["No Archive Warnings Apply"], fandoms=["Orchards"]))
    assert found({"q": "title:silver", "tag": "Orchards"}) == {work.pk}
    work_delete(actor=archive.alice, work=work)
    assert found({"q": "pears"}) == set()
    assert time.monotonic() - start < 2


def test_kudos_show_in_sort_at_once(archive):
    """A kudos (the counter the feedback service bumps) reorders a kudos sort at once."""
    Work.objects.filter(pk=archive.w4.pk).update(kudos_count=F("kudos_count") + 1000)
    assert ordered_ids(GUEST, {"sort": "kudos"})[0] == archive.w4.pk


def test_wrangling_shows_at_once(archive):
    """Making a tag a synonym brings its works under the canonical tag's filter at once."""
    assert archive.w1.pk not in found({"tag": "Angst"})
    Tag.objects.filter(name="Fluff").update(synonym_of=Tag.objects.get(name="Angst"))
    assert archive.w1.pk in found({"tag": "Angst"})
