"""Writes for imports: a ParsedWork becomes a Work through works.services.work_create.

The owner of imported works is the account named with --owner, else the archivist system
account (``accounts.services.system_account("archivist")``: found by its role, never by its
name, made on first use with an unusable password). When the archivist imports a file that names its
creators, the work is credited to those names as unclaimed pseuds (Pseud with user=None),
as Open Doors does, so the authors can claim them later.

Vocabulary mapping: ratings, warnings and categories are matched case-insensitively
against AO3's names (and common short forms: G/T/M/E, PG, PG-13, R, NC-17, FF/FM/MM);
an unknown rating becomes Not Rated, unknown warnings and categories are dropped, each
with a notice. With no rating, warnings or fandom, AO3's import defaults apply."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from html import unescape
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ficarchive.accounts.models import Pseud, SystemRole, User
from ficarchive.accounts.services import pseud_unclaimed, system_account
from ficarchive.core.chars import name_repair
from ficarchive.suggest.engine import suggest_for_work
from ficarchive.tags.vocabulary import (
    DEFAULT_IMPORT_FANDOM,
    DEFAULT_IMPORT_WARNING,
    ArchiveWarning,
    Category,
    Rating,
    TagKind,
    vocab_split,
    warnings_contradict,
    warnings_problem,
    warnings_without_contradiction,
)
from ficarchive.works import limits
from ficarchive.works.models import Work
from ficarchive.works.services import (
    NOTES_MAX,
    SUMMARY_MAX,
    TITLE_MAX,
    ChapterInput,
    WorkMeta,
    series_add_work,
    source_hash_of,
    work_create,
    work_creators_set,
)
from ficarchive.works.text import html_to_text

from .import_metadata import CATEGORY_ALIASES, clean_tag_names, map_rating, map_vocab
from .importers.base import ImportRejected, ParsedChapter, ParsedWork

IMPORTER_ACCOUNT = "archivist"


@dataclass
class ImportOverrides:
    """Values given on the command line or the upload form; they replace the file's."""

    title: str = ""
    summary: str = ""
    language: str = ""
    rating: str = ""
    warnings: Sequence[str] = ()
    categories: Sequence[str] = ()
    fandoms: Sequence[str] = ()
    relationships: Sequence[str] = ()
    characters: Sequence[str] = ()
    freeforms: Sequence[str] = ()


@dataclass
class ImportResult:
    work: Work
    created: bool
    notices: list[str] = field(default_factory=list)


def importer_account() -> User:
    """The default owner of imports: the archivist system account, found by its role."""
    return system_account(SystemRole.ARCHIVIST)


def owner_resolve(name: str | None) -> User:
    """The named account (which must exist), or the importer account."""
    if not name:
        return importer_account()
    user = User.objects.filter(username=name).first()
    if user is None:
        raise ImportRejected(
            f"there is no account named {name!r} (create it with `ficarchive user create {name}`)."
        )
    return user


def _fit_rich(html: str, limit: int, label: str, notices: list[str]) -> str:
    """Keep rich text within AO3's limit: cut at a word boundary as plain paragraphs."""
    if not html or len(html_to_text(html)) <= limit:
        return html
    text = html_to_text(html)[: limit - 1].rsplit(" ", 1)[0] + "…"
    notices.append(f"the {label} was longer than {limit} characters and was shortened")
    return text


def _split_long(chapter: ParsedChapter, limit: int) -> list[ParsedChapter]:
    """Over-long chapters are cut at paragraph ends into parts that fit."""
    body = chapter.body_html
    if len(body) <= limit:
        return [chapter]
    parts: list[str] = []
    current: list[str] = []
    size = 0
    for piece in re.split(r"(?<=</p>)|(?<=<hr>)|(?<=</div>)|\n(?=\s*\S)", body):
        if size + len(piece) > limit and current:
            parts.append("".join(current))
            current, size = [], 0
        while len(piece) > limit:  # a single giant paragraph: cut at a space
            cut = piece.rfind(" ", 0, limit) or limit
            parts.append(piece[:cut])
            piece = piece[cut:]
        current.append(piece)
        size += len(piece)
    if current:
        parts.append("".join(current))
    out = []
    for i, part in enumerate(parts):
        title = (
            chapter.title
            if i == 0
            else (f"{chapter.title} (part {i + 1})" if chapter.title else f"(part {i + 1})")
        )
        out.append(
            ParsedChapter(
                body_html=part,
                title=title[:TITLE_MAX],
                notes=chapter.notes if i == 0 else "",
                summary=chapter.summary if i == 0 else "",
                end_notes=chapter.end_notes if i == len(parts) - 1 else "",
                published_at=chapter.published_at,
            )
        )
    return out


def work_find_existing(*, source_hash: str, source_url: str = "") -> Work | None:
    """The work already imported from this file (same bytes) or this AO3 work."""
    if source_hash:
        found = Work.objects.filter(source_hash=source_hash).order_by("id").first()
        if found:
            return found
    if source_url and "archiveofourown.org/works/" in source_url:
        return Work.objects.filter(source_url=source_url).order_by("id").first()
    return None


@transaction.atomic
def work_import(
    *,
    actor: User,
    parsed: ParsedWork,
    overrides: ImportOverrides | None = None,
    source_hash: str = "",
    draft: bool = False,
    restricted: bool = False,
    anonymous: bool = False,
    credit_pseuds: Sequence[Pseud] | None = None,
    skip_existing: bool = True,
) -> ImportResult:
    """Create a work from a ParsedWork; options in overrides replace the file's metadata.

    Re-importing the same source (same file bytes, or the same AO3 work) returns the
    existing work with created=False. credit_pseuds (unclaimed pseuds) replace the actor
    as creators; by default the importer account credits the file's named creators.
    Raises ImportRejected (nothing written) when the work cannot be made."""
    overrides = overrides or ImportOverrides()
    notices = list(parsed.notices)
    if skip_existing:
        existing = work_find_existing(source_hash=source_hash, source_url=parsed.source_url)
        if existing is not None:
            return ImportResult(work=existing, created=False, notices=["already imported"])
    if not parsed.chapters:
        raise ImportRejected(_("nothing to import: no chapter has text."))
    total = sum(len(chapter.body_html) for chapter in parsed.chapters)
    if total > limits.import_text_max():
        # Long chapters are split below, so without this one file could still become a
        # work of millions of words (eFiction stories and parsed files alike).
        raise ImportRejected(
            _(
                "the work holds %(total)s characters of text; one imported work may hold at "
                "most %(max)s. Split it into several works."
            )
            % {"total": f"{total:,}", "max": f"{limits.import_text_max():,}"}
        )
    # Options are chosen from the vocabulary and must be exact; the file's own values are
    # mapped leniently (case, spacing, other archives' names).
    if vocab_split([overrides.rating] if overrides.rating else [], Rating)[1]:
        raise ImportRejected(
            f"{overrides.rating!r} is not a rating; use one of: {', '.join(Rating.values)}."
        )
    rating = overrides.rating or map_rating(parsed.rating, notices)
    warnings, unknown = vocab_split(overrides.warnings, ArchiveWarning)
    if unknown:
        raise ImportRejected(
            f"unknown warning {unknown[0]!r}; use AO3's: {', '.join(ArchiveWarning.values)}."
        )
    # Options are the operator's own choice: refused when they contradict, as the posting
    # form refuses; the file's values are read leniently below.
    contradiction = warnings_problem(warnings)
    if contradiction:
        raise ImportRejected(contradiction)
    warnings = warnings or map_vocab(parsed.warnings, ArchiveWarning, "warning", notices)
    if warnings_contradict(warnings):
        # A source may carry "none" beside a real warning or the choice not to warn (an
        # eFiction story in both classes): that wins, as the posting form allows no such pair.
        notices.append(f"warning {ArchiveWarning.NONE_APPLY.value!r} dropped beside the others")
        warnings = warnings_without_contradiction(warnings)
    categories, unknown = vocab_split(overrides.categories, Category)
    if unknown:
        raise ImportRejected(
            f"unknown category {unknown[0]!r}; use AO3's: {', '.join(Category.values)}."
        )
    categories = categories or map_vocab(
        parsed.categories, Category, "category", notices, CATEGORY_ALIASES
    )
    fandoms = clean_tag_names(list(overrides.fandoms) or parsed.fandoms, TagKind.FANDOM, notices)
    meta = WorkMeta(
        # Other tools' titles may hold controls or bidi overrides: dropped, not refused.
        title=(name_repair(overrides.title or parsed.title) or "Untitled")[:TITLE_MAX],
        rating=rating,
        warnings=warnings or [DEFAULT_IMPORT_WARNING],
        fandoms=fandoms or [DEFAULT_IMPORT_FANDOM],
        categories=categories,
        relationships=clean_tag_names(
            list(overrides.relationships) or parsed.relationships, TagKind.RELATIONSHIP, notices
        ),
        characters=clean_tag_names(
            list(overrides.characters) or parsed.characters, TagKind.CHARACTER, notices
        ),
        freeforms=clean_tag_names(
            list(overrides.freeforms) or parsed.freeforms, TagKind.FREEFORM, notices
        ),
        summary=_fit_rich(overrides.summary or parsed.summary, SUMMARY_MAX, "summary", notices),
        notes=_fit_rich(parsed.notes, NOTES_MAX, "notes", notices),
        end_notes=_fit_rich(parsed.end_notes, NOTES_MAX, "end notes", notices),
        language=(overrides.language or parsed.language or "en")[:20],
        restricted=restricted,
        anonymous=anonymous,
        expected_chapters=parsed.expected_chapters,
        in_progress=parsed.in_progress,
    )
    limit = int(limits.chapter_max() * 0.9)
    chapters: list[ChapterInput] = []
    for chapter in parsed.chapters:
        pieces = _split_long(chapter, limit)
        if len(pieces) > 1:
            notices.append(
                f"a chapter of {len(chapter.body_html):,} characters was split into {len(pieces)} chapters"
            )
        for piece in pieces:
            chapters.append(
                ChapterInput(
                    body=piece.body_html,
                    title=name_repair(piece.title)[:TITLE_MAX],
                    summary=_fit_rich(piece.summary, SUMMARY_MAX, "chapter summary", notices),
                    notes=_fit_rich(piece.notes, NOTES_MAX, "chapter notes", notices),
                    end_notes=_fit_rich(piece.end_notes, NOTES_MAX, "chapter end notes", notices),
                    text_format="html",
                    published_at=piece.published_at,
                )
            )
    if meta.expected_chapters is not None and meta.expected_chapters < len(chapters):
        meta.expected_chapters = len(chapters)
    series = parsed.series[0] if parsed.series else ("", None)
    try:
        work = work_create(
            actor=actor,
            meta=meta,
            chapters=chapters,
            draft=draft,
            published_at=parsed.published_at,
            revised_at=parsed.revised_at,
            source_hash=source_hash,
            source_url=parsed.source_url,
            series_title=series[0],
            series_position=series[1],
        )
    except ValidationError as exc:
        messages = (
            "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())
            if hasattr(exc, "error_dict")
            else " ".join(exc.messages)
        )
        raise ImportRejected(messages)
    for title, position in parsed.series[1:]:
        series_add_work(actor=actor, work=work, series_title=title, position=position)
    if parsed.collections:
        notices.append(f"collections are not kept by this archive: {', '.join(parsed.collections)}")
    if credit_pseuds is None and actor.system_role == SystemRole.ARCHIVIST and parsed.creators:
        credit_pseuds = [pseud_unclaimed(name=name) for name in parsed.creators]
    if credit_pseuds:
        work_creators_set(actor=actor, work=work, pseuds=credit_pseuds)
    return ImportResult(work=work, created=True, notices=notices)


def file_import(
    *,
    actor: User,
    path_or_bytes: Any,
    filename: str = "",
    overrides: ImportOverrides | None = None,
    draft: bool = False,
    restricted: bool = False,
    anonymous: bool = False,
) -> ImportResult:
    """Read one file and import it (see work_import); ImportRejected on bad input."""
    from .importers import import_file, read_input

    data, filename = read_input(path_or_bytes, filename)
    # Before any parser runs: how much text the file unpacks to (works/limits.py).
    too_large = limits.file_size_problem(data, filename or "the file")
    if too_large:
        raise ImportRejected(too_large)
    source_hash = source_hash_of(data)
    existing = work_find_existing(source_hash=source_hash)
    if existing is not None:
        return ImportResult(work=existing, created=False, notices=["already imported"])
    parsed = import_file(data, filename)
    return work_import(
        actor=actor,
        parsed=parsed,
        overrides=overrides,
        source_hash=source_hash,
        draft=draft,
        restricted=restricted,
        anonymous=anonymous,
    )


def work_summary_json(work: Work) -> dict[str, Any]:
    """The contract's per-work JSON (import, search), with the tags proposed from the text."""
    from ficarchive.discovery.serializers import work_summary_json as shared

    work = Work.objects.prefetch_related("taggings__tag").get(pk=work.pk)
    return shared(work, suggested=suggested_json(work))


def suggested_json(work: Work) -> dict[str, list]:
    """Tags proposed from the text by the suggest engine, by the contract's `suggested`
    keys (suggest.suggestions.JSON_KEYS). The engine is part of every install; its errors
    propagate rather than pass for "nothing to suggest".

    "No Archive Warnings Apply" is left out when the work carries a real archive warning
    (Major Character Death, ...) or that tag already: the engine reads only the text, and
    proposing "none apply" beside a warning the creator chose contradicts it. Beside
    "Creator Chose Not To Use Archive Warnings" (the import default) it stays: there it
    says the text shows none."""
    data = suggest_for_work(work).as_json()
    carried = {t.name for t in work.warnings}
    if carried - {ArchiveWarning.CHOSE_NOT_TO_WARN.value}:
        data["warnings"] = [
            name for name in data.get("warnings", []) if name != ArchiveWarning.NONE_APPLY.value
        ]
    return data


@dataclass
class EfictionImportResult:
    results: list[ImportResult]
    report: dict[str, Any]


def _efiction_pseud(author: Any) -> Pseud:
    """An eFiction author as an unclaimed pseud, claimable by the email on record (the
    password hash is never read)."""
    # Old eFiction versions stored what authors typed through htmlentities ("Zo&euml;").
    return pseud_unclaimed(
        name=unescape(author.penname), email=author.email[:254], description=author.bio or ""
    )


@transaction.atomic
def efiction_import(
    *,
    actor: User | None = None,
    sql_text: str,
    stories_dir: str | None = None,
    mapping: dict[str, Any] | None = None,
) -> EfictionImportResult:
    """Import an eFiction archive: authors as unclaimed pseuds, stories as works, series,
    reviews as comments. All or nothing: one story that cannot be made aborts the run
    (ImportRejected naming it) and nothing is written. Stories already imported (same
    eFiction id, title and date) are skipped, so the run can be repeated."""
    from ficarchive.feedback.services_bulk import ImportedComment, comments_import
    from ficarchive.works.models import Chapter

    from .importers.efiction import read_efiction

    archive = read_efiction(sql_text, stories_dir=stories_dir, mapping=mapping)
    actor = actor or importer_account()
    pseuds = {uid: _efiction_pseud(author) for uid, author in archive.authors.items()}
    results: list[ImportResult] = []
    chapter_map: dict[int, Chapter] = {}
    work_by_sid: dict[int, Work] = {}
    for story in archive.stories:
        parsed = story.parsed
        key = f"efiction:{story.sid}:{parsed.published_at.isoformat() if parsed.published_at else ''}:{parsed.title}"
        credit = [pseuds[uid] for uid in story.author_uids if uid in pseuds]
        if not credit:
            credit = [
                pseud_unclaimed(name=f"author{story.author_uids[0] if story.author_uids else 0}")
            ]
        try:
            result = work_import(
                actor=actor, parsed=parsed, source_hash=source_hash_of(key), credit_pseuds=credit
            )
        except ImportRejected as exc:
            raise ImportRejected(f"story {story.sid} ({parsed.title!r}): {exc}")
        results.append(result)
        work_by_sid[story.sid] = result.work
        if result.created:
            chapters = list(result.work.chapters.order_by("position"))
            for chapid, chapter in zip(story.chapter_ids, chapters, strict=False):
                chapter_map[chapid] = chapter
    created_ids = {r.work.pk for r in results if r.created}
    reviews = [
        ImportedComment(
            work=work_by_sid[review.sid],
            body=review.text,
            chapter=chapter_map.get(review.chapid),
            pseud=pseuds.get(review.uid) if review.uid else None,
            guest_name=review.reviewer or "",
            created_at=review.date,
        )
        for review in archive.reviews
        if review.sid in work_by_sid and work_by_sid[review.sid].pk in created_ids
    ]
    created = comments_import(actor=actor, comments=reviews)
    report = dict(archive.report)
    report.update(
        {
            "authors": len(archive.authors),
            "works_created": sum(1 for r in results if r.created),
            "works_already_there": sum(1 for r in results if not r.created),
            "comments": len(created),
            "notices": {r.work.title: r.notices for r in results if r.notices and r.created},
        }
    )
    return EfictionImportResult(results=results, report=report)
