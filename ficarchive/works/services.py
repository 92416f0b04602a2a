"""Writes to works, chapters and series. The web views, the command line, the importers
and the API all go through these functions."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max, Sum
from django.utils import timezone

from ficarchive.accounts.models import Pseud, SystemRole, User
from ficarchive.accounts.services import system_account
from ficarchive.core import changes
from ficarchive.core.audit import audit_record
from ficarchive.core.errors import PermissionDenied
from ficarchive.core.html import html_to_text
from ficarchive.core.viewers import is_admin
from ficarchive.tags.services import (
    tags_find_or_create,
    vocabulary_tag,
    work_tags_clear,
    work_tags_set,
)
from ficarchive.tags.vocabulary import ArchiveWarning, Category, Rating, TagKind

from .models import (
    Chapter,
    CommentPermission,
    Creatorship,
    SerialWork,
    Series,
    Work,
    WorkHit,
)
from .text import body_to_html, count_words

TITLE_MAX = 255
SUMMARY_MAX = 1250  # AO3's limits for summary and notes, in characters of text
NOTES_MAX = 5000
LANGUAGE_MAX = 20


@dataclass
class ChapterInput:
    """A chapter as an author or an importer hands it in, before sanitizing."""

    body: str
    title: str = ""
    summary: str = ""
    notes: str = ""
    end_notes: str = ""
    text_format: str = "auto"  # "html", "text" or "auto"
    published_at: dt.datetime | None = None


@dataclass
class PreparedChapter:
    title: str
    summary: str
    notes: str
    end_notes: str
    body: str
    word_count: int
    published_at: dt.datetime | None


def _errors_add(errors: dict[str, list[str]], field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


def _clean_rich(text: str, *, field: str, limit: int, errors: dict[str, list[str]]) -> str:
    if not text or not text.strip():
        return ""
    cleaned = body_to_html(text)
    if len(html_to_text(cleaned)) > limit:
        _errors_add(errors, field, f"The {field.replace('_', ' ')} is longer than {limit} characters.")
    return cleaned


def prepare_chapter(chapter: ChapterInput, *, errors: dict[str, list[str]], label: str = "body") -> PreparedChapter:
    """Sanitize and measure one chapter, collecting what is wrong with it in errors."""
    limit = settings.FICARCHIVE_MAX_CHAPTER_CHARS
    body = ""
    if not chapter.body or not chapter.body.strip():
        _errors_add(errors, label, "The chapter text cannot be empty.")
    elif len(chapter.body) > limit * 2:
        _errors_add(
            errors, label,
            f"The chapter text is {len(chapter.body):,} characters; the limit is {limit:,}. "
            "Split it into several chapters.",
        )
    else:
        body = body_to_html(chapter.body, text_format=chapter.text_format)
        if len(body) > limit:
            _errors_add(errors, label, f"The chapter text is longer than {limit:,} characters. Split it into several chapters.")
        elif not html_to_text(body).strip() and "<img" not in body:
            _errors_add(errors, label, "The chapter text cannot be empty (nothing readable is left once unsafe markup is removed).")
    title = " ".join(chapter.title.split())
    if len(title) > TITLE_MAX:
        _errors_add(errors, "chapter_title", f"A chapter title can be at most {TITLE_MAX} characters.")
    return PreparedChapter(
        title=title,
        summary=_clean_rich(chapter.summary, field="chapter_summary", limit=SUMMARY_MAX, errors=errors),
        notes=_clean_rich(chapter.notes, field="chapter_notes", limit=NOTES_MAX, errors=errors),
        end_notes=_clean_rich(chapter.end_notes, field="chapter_end_notes", limit=NOTES_MAX, errors=errors),
        body=body,
        word_count=count_words(body) if body else 0,
        published_at=chapter.published_at,
    )


def _validate_vocab(values: Sequence[str], allowed: type, field: str, errors: dict[str, list[str]]) -> list[str]:
    valid = {choice.value for choice in allowed}  # type: ignore[attr-defined]
    out = []
    for value in values:
        if value not in valid:
            _errors_add(errors, field, f"{value!r} is not one of: {', '.join(sorted(valid))}.")
        elif value not in out:
            out.append(value)
    return out


def _author_pseuds(actor: User, pseuds: Sequence[Pseud] | None) -> list[Pseud]:
    if not pseuds:
        return [actor.default_pseud()]
    for pseud in pseuds:
        if pseud.user_id != actor.pk and not actor.is_superuser:
            raise PermissionDenied(f"The pseud {pseud.name!r} is not yours.")
    return list(pseuds)


def can_edit_work(user: Any, work: Work) -> bool:
    return work.is_creator(user)


def _require_creator(actor: User, work: Work) -> None:
    if not can_edit_work(actor, work):
        raise PermissionDenied("Only the work's creators can do that.")


@dataclass
class WorkMeta:
    """Metadata shared by creating and editing a work, validated together."""

    title: str
    rating: str
    warnings: Sequence[str]
    fandoms: Sequence[str]
    categories: Sequence[str] = ()
    relationships: Sequence[str] = ()
    characters: Sequence[str] = ()
    freeforms: Sequence[str] = ()
    summary: str = ""
    notes: str = ""
    end_notes: str = ""
    language: str = "en"
    restricted: bool = False
    anonymous: bool = False
    expected_chapters: int | None = None
    # With no expected count: a work is taken as complete at the chapters it has, unless the
    # author says it is in progress ("3/?").
    in_progress: bool = False
    comment_permission: str = CommentPermission.USERS


def _validate_meta(meta: WorkMeta, errors: dict[str, list[str]]) -> dict[str, Any]:
    title = " ".join((meta.title or "").split())
    if not title:
        _errors_add(errors, "title", "The title cannot be empty.")
    elif len(title) > TITLE_MAX:
        _errors_add(errors, "title", f"The title can be at most {TITLE_MAX} characters.")
    if not meta.rating:
        _errors_add(errors, "rating", "Choose a rating.")
    elif meta.rating not in Rating.values:
        _errors_add(errors, "rating", f"{meta.rating!r} is not a rating. Choose one of: {', '.join(Rating.values)}.")
    warnings = _validate_vocab(meta.warnings, ArchiveWarning, "warnings", errors)
    if not meta.warnings:
        _errors_add(errors, "warnings", "Choose at least one archive warning.")
    categories = _validate_vocab(meta.categories, Category, "categories", errors)
    if not [f for f in meta.fandoms if f.strip()]:
        _errors_add(errors, "fandoms", "Name at least one fandom.")
    language = (meta.language or "en").strip()
    if len(language) > LANGUAGE_MAX:
        _errors_add(errors, "language", "The language code is too long.")
    if meta.comment_permission not in CommentPermission.values:
        _errors_add(errors, "comment_permission", "Unknown comment setting.")
    if meta.expected_chapters is not None and meta.expected_chapters < 1:
        _errors_add(errors, "expected_chapters", "The expected number of chapters must be at least 1.")
    tags: dict[str, list] = {}
    for kind, names, field in (
        (TagKind.FANDOM, meta.fandoms, "fandoms"),
        (TagKind.RELATIONSHIP, meta.relationships, "relationships"),
        (TagKind.CHARACTER, meta.characters, "characters"),
        (TagKind.FREEFORM, meta.freeforms, "freeforms"),
    ):
        try:
            tags[kind] = tags_find_or_create(kind=kind, names=[n for n in names if n.strip()])
        except ValidationError as exc:
            for message in exc.messages:
                _errors_add(errors, field, message)
    if not errors:
        tags[TagKind.RATING] = [vocabulary_tag(TagKind.RATING, meta.rating)]
        tags[TagKind.WARNING] = [vocabulary_tag(TagKind.WARNING, w) for w in warnings]
        tags[TagKind.CATEGORY] = [vocabulary_tag(TagKind.CATEGORY, c) for c in categories]
    return {
        "title": title,
        "language": language,
        "summary": _clean_rich(meta.summary, field="summary", limit=SUMMARY_MAX, errors=errors),
        "notes": _clean_rich(meta.notes, field="notes", limit=NOTES_MAX, errors=errors),
        "end_notes": _clean_rich(meta.end_notes, field="end_notes", limit=NOTES_MAX, errors=errors),
        "tags": tags,
    }


def _apply_meta(work: Work, meta: WorkMeta, cleaned: dict[str, Any]) -> None:
    work.title = cleaned["title"]
    work.summary = cleaned["summary"]
    work.notes = cleaned["notes"]
    work.end_notes = cleaned["end_notes"]
    work.language = cleaned["language"]
    work.rating = meta.rating
    work.restricted = meta.restricted
    work.anonymous = meta.anonymous
    work.expected_chapters = meta.expected_chapters
    work.comment_permission = meta.comment_permission


def work_recount(work: Work) -> None:
    """Recompute the word and chapter counters from the posted chapters."""
    totals = work.chapters.filter(posted=True).aggregate(words=Sum("word_count"))
    work.word_count = totals["words"] or 0
    work.chapter_count = work.chapters.filter(posted=True).count()
    Work.objects.filter(pk=work.pk).update(word_count=work.word_count, chapter_count=work.chapter_count)


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
        work.revised_at = revised_at or max([posted_at] + [c.published_at for c in prepared if c.published_at])
    work.source_hash = source_hash
    work.source_url = source_url[:500]
    work.save()
    Creatorship.objects.bulk_create(
        [Creatorship(work=work, pseud=p, position=i) for i, p in enumerate(creators)]
    )
    Chapter.objects.bulk_create(
        [
            Chapter(
                work=work, position=i + 1, title=c.title, summary=c.summary, notes=c.notes,
                end_notes=c.end_notes, body=c.body, word_count=c.word_count, posted=True,
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
    return work


@transaction.atomic
def work_update(*, actor: User, work: Work, meta: WorkMeta, chapter: ChapterInput | None = None) -> Work:
    """Edit a work's metadata and tags. Chapters are edited one by one, except that the
    text of a one-chapter work may come along (chapter), validated with the rest."""
    _require_creator(actor, work)
    errors: dict[str, list[str]] = {}
    first = work.chapters.order_by("position", "id").first() if chapter is not None else None
    prepared = prepare_chapter(chapter, errors=errors) if chapter is not None else None
    cleaned = _validate_meta(meta, errors)
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
    return work


@transaction.atomic
def work_delete(*, actor: User, work: Work) -> None:
    """Delete a work and everything hanging on it. Creators and admins may."""
    if not (can_edit_work(actor, work) or actor.is_admin):
        raise PermissionDenied("Only the work's creators or an admin can delete it.")
    work_id = work.pk
    audit_record(actor=actor, action="work_delete", target=f"work {work_id}", detail={"title": work.title})
    work_tags_clear(work=work)
    work.delete()
    changes.works_removed([work_id])


def orphan_pseud() -> Pseud:
    """The pseud orphaned works are credited to: the orphan system account's."""
    return system_account(SystemRole.ORPHAN).default_pseud()


@transaction.atomic
def work_creators_set(*, actor: Any, work: Work, pseuds: Sequence[Pseud]) -> list[Creatorship]:
    """Make these pseuds the work's creators, in this order (duplicates dropped), and
    re-index the work (its text holds the creators' names, its sort key the first one).

    The only writer of ``Creatorship`` after a work is made: importers crediting a file's
    authors, orphaning and claims all come here. ``actor`` must be one of the work's current
    creators, an admin or the operator (PermissionDenied otherwise); ValidationError when
    no pseud is given. Returns the new creatorships."""
    if not (can_edit_work(actor, work) or is_admin(actor)):
        raise PermissionDenied("Only the work's creators or an admin can change its creators.")
    wanted = list(dict.fromkeys(pseuds))
    if not wanted:
        raise ValidationError("A work needs at least one creator.")
    Creatorship.objects.filter(work=work).delete()
    made = Creatorship.objects.bulk_create(
        [Creatorship(work=work, pseud=p, position=i) for i, p in enumerate(wanted)]
    )
    changes.works_changed([work.pk])
    return made


def creatorships_pseud_merged(pseud_id: int, into_id: int) -> None:
    """Listener (core.changes.pseud_merged): credit the merged pseud's works to the pseud
    it goes into (once per work), and re-index them."""
    work_ids = list(Creatorship.objects.filter(pseud_id=pseud_id).values_list("work_id", flat=True))
    already = Creatorship.objects.filter(pseud_id=into_id).values_list("work_id", flat=True)
    Creatorship.objects.filter(pseud_id=pseud_id, work_id__in=already).delete()
    Creatorship.objects.filter(pseud_id=pseud_id).update(pseud_id=into_id)
    changes.works_changed(work_ids)


def creatorships_pseuds_claimed(pseud_ids: list[int]) -> None:
    """Listener (core.changes.pseuds_claimed): the works of a claimed pseud name its account
    now, so re-index them."""
    changes.works_changed(Creatorship.objects.filter(pseud_id__in=pseud_ids).values_list("work_id", flat=True))


@transaction.atomic
def work_orphan(*, actor: User, work: Work) -> Work:
    """Detach the actor from the work (AO3's orphaning): their pseuds are replaced by the
    orphan account's, and the work stays up for readers."""
    _require_creator(actor, work)
    current = Creatorship.objects.filter(work=work).select_related("pseud").order_by("position", "id")
    others = [c.pseud for c in current if c.pseud.user_id != actor.pk]
    work_creators_set(actor=actor, work=work, pseuds=others or [orphan_pseud()])
    audit_record(actor=actor, action="work_orphan", target=f"work {work.pk}")
    return work


@transaction.atomic
def work_hide(*, actor: User, work: Work, hidden: bool) -> Work:
    """An admin hides a work from everyone but its creators (or shows it again)."""
    if not actor.is_admin:
        raise PermissionDenied("Only admins can hide works.")
    work.hidden_by_admin = hidden
    work.save(update_fields=["hidden_by_admin", "updated_at"])
    audit_record(actor=actor, action="work_hide" if hidden else "work_unhide", target=f"work {work.pk}")
    changes.works_changed([work.pk])
    return work


def _sanitized(text: str) -> str:
    return body_to_html(text) if text and text.strip() else ""


@transaction.atomic
def work_admin_save(*, actor: Any, work: Work) -> Work:
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
        before = (chapter.body, chapter.summary, chapter.notes, chapter.end_notes, chapter.word_count)
        chapter.body = _sanitized(chapter.body)
        chapter.summary, chapter.notes, chapter.end_notes = (
            _sanitized(chapter.summary), _sanitized(chapter.notes), _sanitized(chapter.end_notes)
        )
        chapter.word_count = count_words(chapter.body) if chapter.body else 0
        if (chapter.body, chapter.summary, chapter.notes, chapter.end_notes, chapter.word_count) != before:
            chapter.save(update_fields=["body", "summary", "notes", "end_notes", "word_count", "updated_at"])
    work_recount(work)
    audit_record(actor=actor, action="work_admin_edit", target=f"work {work.pk}")
    changes.works_changed([work.pk])
    return work


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
        work=work, position=position, title=prepared.title, summary=prepared.summary,
        notes=prepared.notes, end_notes=prepared.end_notes, body=prepared.body,
        word_count=prepared.word_count, posted=posted,
        published_at=timezone.now() if (posted and work.posted) else None,
    )
    if work.expected_chapters is not None and work.expected_chapters < position:
        work.expected_chapters = position
        work.save(update_fields=["expected_chapters"])
    work_recount(work)
    _touch_revised(work)
    changes.works_changed([work.pk])
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


@transaction.atomic
def series_add_work(*, actor: User, work: Work, series_title: str, position: int | None = None) -> Series:
    """Put the work in the actor's series of that title, made when it does not exist."""
    title = " ".join(series_title.split())[:TITLE_MAX]
    series = (
        Series.objects.filter(title=title, serial_works__work__creatorships__pseud__user=actor).distinct().first()
    )
    if series is None:
        series = Series.objects.create(title=title)
    if position is None:
        position = (series.serial_works.aggregate(m=Max("position"))["m"] or 0) + 1
    SerialWork.objects.get_or_create(series=series, work=work, defaults={"position": position})
    return series


def hit_record(*, work: Work, visitor_key: str, day: dt.date | None = None) -> bool:
    """Count a visit: once per visitor per day. Returns whether it counted."""
    day = day or timezone.localdate()
    visitor = hashlib.sha256(f"{settings.SECRET_KEY}:{visitor_key}".encode()).hexdigest()
    try:
        with transaction.atomic():
            WorkHit.objects.create(work=work, visitor=visitor, day=day)
            Work.objects.filter(pk=work.pk).update(hit_count=F("hit_count") + 1)
    except IntegrityError:
        return False
    return True
