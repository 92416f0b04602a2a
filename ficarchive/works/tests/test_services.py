"""The work services: what they write, and that refusals write nothing."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from ficarchive.core.errors import PermissionDenied
from ficarchive.tags.models import Tag, Tagging
from ficarchive.tags.vocabulary import ArchiveWarning, Rating
from ficarchive.works.models import Chapter, Creatorship, Work
from ficarchive.works.services import (
    ChapterInput,
    WorkMeta,
    chapter_add,
    chapter_update,
    chapters_reorder,
    work_create,
    work_update,
)

from .factories import make_user, make_work


def _meta(**overrides):
    fields = dict(
        title="Title",
        rating=Rating.GENERAL,
        warnings=[ArchiveWarning.NONE_APPLY],
        fandoms=["The Odyssey - Homer"],
        characters=["Penelope"],
        freeforms=["Weaving"],
    )
    fields.update(overrides)
    return WorkMeta(**fields)


def _counts():
    return (
        Work.objects.count(),
        Chapter.objects.count(),
        Creatorship.objects.count(),
        Tag.objects.exclude(kind__in=["rating", "warning", "category"]).count(),
        Tagging.objects.count(),
    )


REFUSALS = {
    "empty title": (dict(title=""), [ChapterInput(body="Text")], "title"),
    "unknown rating": (dict(rating="PG-13"), [ChapterInput(body="Text")], "rating"),
    "unknown warning": (dict(warnings=["Spoilers"]), [ChapterInput(body="Text")], "warnings"),
    "unknown category": (dict(categories=["F/F/F"]), [ChapterInput(body="Text")], "categories"),
    "no fandom": (dict(fandoms=[]), [ChapterInput(body="Text")], "fandoms"),
    "empty body": ({}, [ChapterInput(body="   ")], "body"),
    "empty second chapter": ({}, [ChapterInput(body="One"), ChapterInput(body="")], "chapter_2"),
    "no chapters": ({}, [], "body"),
    "5 MB body": ({}, [ChapterInput(body="x" * 5_000_000)], "body"),
    "bad tag in good company": (
        dict(characters=["Fine", "Not{ok}"]),
        [ChapterInput(body="Text")],
        "characters",
    ),
    "expected 0 chapters": (
        dict(expected_chapters=0),
        [ChapterInput(body="Text")],
        "expected_chapters",
    ),
    "summary too long": (dict(summary="word " * 400), [ChapterInput(body="Text")], "summary"),
}


@pytest.mark.parametrize("case", REFUSALS)
def test_work_create_refusals_write_nothing(author, case):
    """Each kind of bad input raises a ValidationError naming the field; nothing is written."""
    overrides, chapters, field = REFUSALS[case]
    before = _counts()
    with pytest.raises(ValidationError) as excinfo:
        work_create(actor=author, meta=_meta(**overrides), chapters=chapters)
    assert field in excinfo.value.message_dict
    assert _counts() == before


def test_work_create_counts_words_and_chapters(author):
    """A created work carries its word and chapter counters."""
    work = work_create(
        actor=author,
        meta=_meta(),
        chapters=[ChapterInput(body="one two"), ChapterInput(body="three")],
    )
    assert (work.word_count, work.chapter_count, work.chapters_display) == (3, 2, "2/2")


def test_work_update_refusal_writes_nothing(author):
    """A refused update leaves title, tags and text unchanged."""
    work = make_work(author, title="Stable", chapters=("Stable text.",))
    tags_before = sorted(t.name for t in Work.objects.get(pk=work.pk).tags.all())
    with pytest.raises(ValidationError):
        work_update(
            actor=author,
            work=work,
            meta=_meta(title="Changed", rating="Nope"),
            chapter=ChapterInput(body="Changed text."),
        )
    work = Work.objects.get(pk=work.pk)
    assert work.title == "Stable" and work.chapters.get().body == "<p>Stable text.</p>"
    assert sorted(t.name for t in work.tags.all()) == tags_before


def test_work_update_by_stranger_is_refused(author):
    """Only creators may update a work."""
    work = make_work(author)
    with pytest.raises(PermissionDenied):
        work_update(actor=make_user("stranger"), work=work, meta=_meta(title="Mine now"))


def test_chapter_add_refusal_writes_nothing(author, work):
    """An empty chapter is refused and the work keeps its counts."""
    with pytest.raises(ValidationError):
        chapter_add(actor=author, work=work, chapter=ChapterInput(body=""))
    work.refresh_from_db()
    assert work.chapters.count() == 1 and work.chapter_count == 1


def test_chapter_update_recounts(author, work):
    """Editing a chapter updates the work's word count."""
    chapter_update(
        actor=author, chapter=work.chapters.get(), data=ChapterInput(body="just three words")
    )
    work.refresh_from_db()
    assert work.word_count == 3


def test_reorder_requires_every_chapter_once(author):
    """Reordering with a missing or repeated chapter is refused."""
    work = make_work(author, chapters=("One.", "Two."))
    ids = list(work.chapters.order_by("position").values_list("pk", flat=True))
    with pytest.raises(ValidationError):
        chapters_reorder(actor=author, work=work, chapter_ids=[ids[0], ids[0]])
    chapters_reorder(actor=author, work=work, chapter_ids=list(reversed(ids)))
    assert list(work.chapters.order_by("position").values_list("pk", flat=True)) == list(
        reversed(ids)
    )
