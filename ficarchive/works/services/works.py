"""Writes to works: creating, editing, posting, hiding, deleting, the Django admin's edits (hits: hits.py)."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from ficarchive.accounts.models import Pseud, User
from ficarchive.core import changes
from ficarchive.core.audit import audit_record
from ficarchive.core.errors import PermissionDenied
from ficarchive.core.viewers import Viewer, is_admin
from ficarchive.tags.services import (
    work_tags_clear,
    work_tags_set,
)
from ficarchive.tags.vocabulary import TagKind

from .. import access
from ..models import (
    Chapter,
    Creatorship,
    Work,
)
from ..text import count_words
from ._inputs import (
    ChapterInput,
    WorkMeta,
    _apply_meta,
    _errors_add,
    _sanitized,
    _validate_meta,
    prepare_chapter,
)
from .series import series_add_work


def _author_pseuds(actor: User, pseuds: Sequence[Pseud] | None) -> list[Pseud]:
    if not pseuds:
        return [actor.default_pseud()]
    for pseud in pseuds:
        if pseud.user_id != actor.pk and not actor.is_superuser:
            raise PermissionDenied(f"The pseud {pseud.name!r} is not yours.")
    return list(pseuds)


def can_edit_work(user: Viewer, work: Work) -> bool:
    """True when the user may change the work (``access.may_edit``: its creators)."""
    return access.may_edit(user, work)


def _require_creator(actor: Viewer, work: Work) -> None:
    """PermissionDenied unless the actor may change the work (``access.may_edit``)."""
    if not access.may_edit(actor, work):
        raise PermissionDenied("Only the work's creators can do that.")


def work_recount(work: Work) -> None:
    """Recompute the word and chapter counters from the posted chapters."""
    totals = work.chapters.filter(posted=True).aggregate(words=Sum("word_count"))
    work.word_count = totals["words"] or 0
    work.chapter_count = work.chapters.filter(posted=True).count()
    Work.objects.filter(pk=work.pk).update(
        word_count=work.word_count, chapter_count=work.chapter_count
    )


def source_hash_of(data: bytes | str) -> str:
    if isinstance(data, str):
        data = data.encode("utf-8")
    return hashlib.sha256(data).hexdigest()


@transaction.atomic
def work_create(
    *,
    actor: User,
    meta: WorkMeta,
    chapters: Sequence[ChapterInput],
    pseuds: Sequence[Pseud] | None = None,
    draft: bool = False,
    published_at: dt.datetime | None = None,
    revised_at: dt.datetime | None = None,
    source_hash: str = "",
    source_url: str = "",
    series_title: str = "",
    series_position: int | None = None,
) -> Work:
    """Create a work with its chapters and tags, posted at once unless draft. Raises
    ValidationError (a dict of field → messages) and writes nothing when input is bad."""
    errors: dict[str, list[str]] = {}
    if not chapters:
        _errors_add(errors, "body", "A work needs at least one chapter.")
    prepared = [
        prepare_chapter(ch, errors=errors, label="body" if i == 0 else f"chapter_{i + 1}")
        for i, ch in enumerate(chapters)
    ]
    cleaned = _validate_meta(meta, errors)
    if errors:
        raise ValidationError(errors)
    creators = _author_pseuds(actor, pseuds)
    now = timezone.now()
    posted_at = published_at or now
    work = Work(posted=not draft)
    _apply_meta(work, meta, cleaned)
    if meta.expected_chapters is None and not meta.in_progress:
        work.expected_chapters = len(prepared)
    if not draft:
        work.published_at = posted_at
        work.revised_at = revised_at or max(
            [posted_at] + [c.published_at for c in prepared if c.published_at]
        )
    work.source_hash = source_hash
    work.source_url = source_url[:500]
    work.save()
    Creatorship.objects.bulk_create(
        [Creatorship(work=work, pseud=p, position=i) for i, p in enumerate(creators)]
    )
    Chapter.objects.bulk_create(
        [
            Chapter(
                work=work,
                position=i + 1,
                title=c.title,
                summary=c.summary,
                notes=c.notes,
                end_notes=c.end_notes,
                body=c.body,
                word_count=c.word_count,
                posted=True,
                published_at=(c.published_at or posted_at) if not draft else None,
            )
            for i, c in enumerate(prepared)
        ]
    )
    work_tags_set(work=work, tags_by_kind=cleaned["tags"])
    work_recount(work)
    if series_title.strip():
        series_add_work(actor=actor, work=work, series_title=series_title, position=series_position)
    changes.works_changed([work.pk])
    if not draft:
        changes.works_posted([work.pk])
    return work


@transaction.atomic
def work_update(
    *,
    actor: User,
    work: Work,
    meta: WorkMeta,
    chapter: ChapterInput | None = None,
    series_title: str = "",
) -> Work:
    """Edit a work's metadata and tags. Chapters are edited one by one, except that the
    text of a one-chapter work may come along (chapter), validated with the rest.
    ``series_title`` adds the work to the actor's series of that title (made when new), as
    AO3's Edit Work form does; a work already in it stays where it is."""
    _require_creator(actor, work)
    errors: dict[str, list[str]] = {}
    first = work.chapters.order_by("position", "id").first() if chapter is not None else None
    prepared = prepare_chapter(chapter, errors=errors) if chapter is not None else None
    stored = frozenset(t.name for t in work.tags_of_kind(TagKind.WARNING))
    cleaned = _validate_meta(meta, errors, stored_warnings=stored)
    if errors:
        raise ValidationError(errors)
    _apply_meta(work, meta, cleaned)
    if meta.expected_chapters is None and not meta.in_progress:
        work.expected_chapters = work.chapter_count or 1
    work.save()
    work_tags_set(work=work, tags_by_kind=cleaned["tags"])
    if first is not None and prepared is not None:
        first.title = prepared.title
        first.body = prepared.body
        first.word_count = prepared.word_count
        first.save(update_fields=["title", "body", "word_count", "updated_at"])
        work_recount(work)
    if series_title.strip():
        series_add_work(actor=actor, work=work, series_title=series_title)
    changes.works_changed([work.pk])
    return work


@transaction.atomic
def work_post(*, actor: User, work: Work) -> Work:
    """Post a draft: it becomes visible and gets its publication date."""
    _require_creator(actor, work)
    if work.posted:
        return work
    now = timezone.now()
    work.posted = True
    work.published_at = now
    work.revised_at = now
    work.save(update_fields=["posted", "published_at", "revised_at", "updated_at"])
    work.chapters.filter(published_at__isnull=True).update(published_at=now)
    changes.works_changed([work.pk])
    changes.works_posted([work.pk])
    return work


@transaction.atomic
def work_delete(*, actor: User, work: Work) -> None:
    """Delete a work and everything hanging on it. Creators and admins may."""
    if not (access.may_edit(actor, work) or is_admin(actor)):
        raise PermissionDenied("Only the work's creators or an admin can delete it.")
    work_id = work.pk
    audit_record(
        actor=actor, action="work.delete", target=f"work {work_id}", detail={"title": work.title}
    )
    work_tags_clear(work=work)
    changes.works_deleting([work_id])
    work.delete()
    changes.works_removed([work_id])


# Told when an admin hides a work that was visible: ``fn(work, reason)`` inside the hiding
# transaction (moderation mails the creators; it sits above works, so it registers here).
_hidden_listeners: list[Callable[[Work, str], None]] = []


def work_hidden_listener_register(fn: Callable[[Work, str], None]) -> None:
    """Call ``fn(work, reason)`` each time ``work_hide`` hides a visible work."""
    if fn not in _hidden_listeners:
        _hidden_listeners.append(fn)


@transaction.atomic
def work_hide(*, actor: User, work: Work, hidden: bool, reason: str = "") -> Work:
    """An admin hides a work from everyone but its creators (or shows it again). Hiding a
    visible work tells the listeners (its creators are mailed, with ``reason`` when given,
    as AO3 does); hiding a hidden one again tells no one."""
    if not is_admin(actor):
        raise PermissionDenied("Only admins can hide works.")
    newly_hidden = hidden and not work.hidden_by_admin
    work.hidden_by_admin = hidden
    work.save(update_fields=["hidden_by_admin", "updated_at"])
    audit_record(
        actor=actor, action="work.hide" if hidden else "work.unhide", target=f"work {work.pk}"
    )
    changes.works_changed([work.pk])
    if newly_hidden:
        for listener in _hidden_listeners:
            listener(work, " ".join((reason or "").split()))
    return work


@transaction.atomic
def work_admin_save(*, actor: Viewer, work: Work) -> Work:
    """Bring a work an admin has just edited in the Django admin (its row, chapters and
    creators, already saved there) under the rules posting applies: rich text through the
    posting sanitizer, word and chapter counts, a publication date once posted, an audit
    entry, and the indexes updated at once (a restricted, hidden, unposted or anonymised
    work leaves guests' listings and text search in the same transaction).
    PermissionDenied unless the actor is an admin."""
    if not is_admin(actor):
        raise PermissionDenied("Only admins can edit works in the admin.")
    fields = ("summary", "notes", "end_notes")
    for name in fields:
        setattr(work, name, _sanitized(getattr(work, name)))
    if work.posted and work.published_at is None:
        work.published_at = work.revised_at = timezone.now()
    work.save(update_fields=[*fields, "published_at", "revised_at", "updated_at"])
    for chapter in work.chapters.all():
        before = (
            chapter.body,
            chapter.summary,
            chapter.notes,
            chapter.end_notes,
            chapter.word_count,
        )
        chapter.body = _sanitized(chapter.body)
        chapter.summary, chapter.notes, chapter.end_notes = (
            _sanitized(chapter.summary),
            _sanitized(chapter.notes),
            _sanitized(chapter.end_notes),
        )
        chapter.word_count = count_words(chapter.body) if chapter.body else 0
        if (
            chapter.body,
            chapter.summary,
            chapter.notes,
            chapter.end_notes,
            chapter.word_count,
        ) != before:
            chapter.save(
                update_fields=["body", "summary", "notes", "end_notes", "word_count", "updated_at"]
            )
    work_recount(work)
    audit_record(actor=actor, action="work.admin_edit", target=f"work {work.pk}")
    changes.works_changed([work.pk])
    return work
