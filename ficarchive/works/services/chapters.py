"""Writes to a work's chapters: adding, editing, deleting, reordering."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from ficarchive.accounts.models import User
from ficarchive.core import changes

from ..models import (
    Chapter,
    Work,
)
from ._inputs import ChapterInput, prepare_chapter
from .works import _require_creator, work_recount


def _touch_revised(work: Work) -> None:
    if work.posted:
        work.revised_at = timezone.now()
        work.save(update_fields=["revised_at", "updated_at"])
    else:
        work.save(update_fields=["updated_at"])


@transaction.atomic
def chapter_add(*, actor: User, work: Work, chapter: ChapterInput, posted: bool = True) -> Chapter:
    """Add a chapter at the end of the work."""
    _require_creator(actor, work)
    errors: dict[str, list[str]] = {}
    prepared = prepare_chapter(chapter, errors=errors)
    if errors:
        raise ValidationError(errors)
    position = (work.chapters.aggregate(m=Max("position"))["m"] or 0) + 1
    new = Chapter.objects.create(
        work=work,
        position=position,
        title=prepared.title,
        summary=prepared.summary,
        notes=prepared.notes,
        end_notes=prepared.end_notes,
        body=prepared.body,
        word_count=prepared.word_count,
        posted=posted,
        published_at=timezone.now() if (posted and work.posted) else None,
    )
    if work.expected_chapters is not None and work.expected_chapters < position:
        work.expected_chapters = position
        work.save(update_fields=["expected_chapters"])
    work_recount(work)
    _touch_revised(work)
    changes.works_changed([work.pk])
    if posted and work.posted:
        changes.chapters_posted([new.pk])
    return new


@transaction.atomic
def chapter_update(*, actor: User, chapter: Chapter, data: ChapterInput) -> Chapter:
    """Replace a chapter's title, notes and text."""
    _require_creator(actor, chapter.work)
    errors: dict[str, list[str]] = {}
    prepared = prepare_chapter(data, errors=errors)
    if errors:
        raise ValidationError(errors)
    chapter.title = prepared.title
    chapter.summary = prepared.summary
    chapter.notes = prepared.notes
    chapter.end_notes = prepared.end_notes
    chapter.body = prepared.body
    chapter.word_count = prepared.word_count
    chapter.save()
    work_recount(chapter.work)
    _touch_revised(chapter.work)
    changes.works_changed([chapter.work_id])
    return chapter


@transaction.atomic
def chapter_delete(*, actor: User, chapter: Chapter) -> None:
    """Delete a chapter; the last one cannot go (delete the work instead)."""
    work = chapter.work
    _require_creator(actor, work)
    if work.chapters.count() <= 1:
        raise ValidationError("A work must keep at least one chapter; delete the work instead.")
    chapter.delete()
    for position, ch in enumerate(work.chapters.order_by("position", "id"), start=1):
        if ch.position != position:
            ch.position = position
            ch.save(update_fields=["position"])
    work_recount(work)
    _touch_revised(work)
    changes.works_changed([work.pk])


@transaction.atomic
def chapters_reorder(*, actor: User, work: Work, chapter_ids: Sequence[int]) -> None:
    """Put the work's chapters in the given order (every chapter named exactly once)."""
    _require_creator(actor, work)
    current = {ch.pk: ch for ch in work.chapters.all()}
    if sorted(chapter_ids) != sorted(current) or len(set(chapter_ids)) != len(chapter_ids):
        raise ValidationError("Name every chapter of the work exactly once to reorder them.")
    for position, chapter_id in enumerate(chapter_ids, start=1):
        ch = current[chapter_id]
        if ch.position != position:
            ch.position = position
            ch.save(update_fields=["position"])
    work.save(update_fields=["updated_at"])
    changes.works_changed([work.pk])
