"""What authors and importers hand in (works' metadata, chapters), checked and sanitized before
any write: the one place input rules live for creating and editing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError

from ficarchive.core.chars import unsafe_chars
from ficarchive.tags.services import (
    tags_find_or_create,
    vocabulary_tag,
)
from ficarchive.tags.vocabulary import (
    ArchiveWarning,
    Category,
    Rating,
    TagKind,
    vocab_split,
    warnings_problem,
)

# AO3's limits, kept in one place (works/limits.py) for every door; re-exported here.
from ..limits import (
    EXPECTED_CHAPTERS_MAX,
    NOTES_MAX,
    SUMMARY_MAX,
    TITLE_MAX,
    chapter_max,
    user_tags_problem,
)
from ..models import (
    CommentPermission,
    Work,
)
from ..text import body_to_html, count_words_in_text, html_to_text

LANGUAGE_MAX = 20


@dataclass
class ChapterInput:
    """A chapter as an author or an importer hands it in, before sanitizing."""

    body: str
    title: str = ""
    summary: str = ""
    notes: str = ""
    end_notes: str = ""
    text_format: str = "auto"  # one of works.text.TEXT_FORMATS
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
        _errors_add(
            errors, field, f"The {field.replace('_', ' ')} is longer than {limit} characters."
        )
    return cleaned


def prepare_chapter(
    chapter: ChapterInput, *, errors: dict[str, list[str]], label: str = "body"
) -> PreparedChapter:
    """Sanitize and measure one chapter, collecting what is wrong with it in errors."""
    limit = chapter_max()
    body = ""
    words = 0
    if not chapter.body or not chapter.body.strip():
        _errors_add(errors, label, "The chapter text cannot be empty.")
    elif len(chapter.body) > limit * 2:
        _errors_add(
            errors,
            label,
            f"The chapter text is {len(chapter.body):,} characters; the limit is {limit:,}. "
            "Split it into several chapters.",
        )
    else:
        body = body_to_html(chapter.body, text_format=chapter.text_format)
        # Parsed once more for its text: the emptiness check and the word count share it.
        text = html_to_text(body)
        words = count_words_in_text(text)
        if len(body) > limit:
            _errors_add(
                errors,
                label,
                f"The chapter text is longer than {limit:,} characters. Split it into several chapters.",
            )
        elif not text and "<img" not in body:
            _errors_add(
                errors,
                label,
                "The chapter text cannot be empty (nothing readable is left once unsafe markup is removed).",
            )
    title = " ".join(chapter.title.split())
    if unsafe_chars(title):
        _errors_add(errors, "chapter_title", _unsafe_message("A chapter title", title))
    elif len(title) > TITLE_MAX:
        _errors_add(
            errors, "chapter_title", f"A chapter title can be at most {TITLE_MAX} characters."
        )
    return PreparedChapter(
        title=title,
        summary=_clean_rich(
            chapter.summary, field="chapter_summary", limit=SUMMARY_MAX, errors=errors
        ),
        notes=_clean_rich(chapter.notes, field="chapter_notes", limit=NOTES_MAX, errors=errors),
        end_notes=_clean_rich(
            chapter.end_notes, field="chapter_end_notes", limit=NOTES_MAX, errors=errors
        ),
        body=body,
        word_count=words,
        published_at=chapter.published_at,
    )


def _validate_vocab(
    values: Sequence[str], allowed: type, field: str, errors: dict[str, list[str]]
) -> list[str]:
    known, unknown = vocab_split(values, allowed)
    for value in unknown:
        _errors_add(errors, field, f"{value!r} is not one of: {', '.join(sorted(allowed.values))}.")  # type: ignore[attr-defined]
    return known


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


def _unsafe_message(what: str, text: str) -> str:
    """Titles keep joiners and direction marks (Persian, Indic, emoji); controls, bidi
    overrides and invisible spaces are refused (core.chars)."""
    return (
        f"{what} contains {', '.join(unsafe_chars(text))}: control, bidi override and "
        "invisible characters cannot be in titles."
    )


def _validate_meta(
    meta: WorkMeta, errors: dict[str, list[str]], *, stored_warnings: frozenset[str] = frozenset()
) -> dict[str, Any]:
    """Check ``meta`` and return its cleaned values, adding each problem to ``errors``
    (field name -> messages). ``stored_warnings`` are the warnings the work carries now:
    a set that breaks :func:`~ficarchive.tags.vocabulary.warnings_problem`'s rule is
    refused only when it is being chosen, so a work stored before the rule stays
    editable until its creator changes its warnings."""
    title = " ".join((meta.title or "").split())
    if not title:
        _errors_add(errors, "title", "The title cannot be empty.")
    elif unsafe_chars(title):
        _errors_add(errors, "title", _unsafe_message("The title", title))
    elif len(title) > TITLE_MAX:
        _errors_add(errors, "title", f"The title can be at most {TITLE_MAX} characters.")
    if not meta.rating:
        _errors_add(errors, "rating", "Choose a rating.")
    elif vocab_split([meta.rating], Rating)[1]:
        _errors_add(
            errors,
            "rating",
            f"{meta.rating!r} is not a rating. Choose one of: {', '.join(Rating.values)}.",
        )
    warnings = _validate_vocab(meta.warnings, ArchiveWarning, "warnings", errors)
    if not meta.warnings:
        _errors_add(errors, "warnings", "Choose at least one archive warning.")
    contradiction = warnings_problem(warnings)
    if contradiction and frozenset(meta.warnings) != stored_warnings:
        _errors_add(errors, "warnings", contradiction)
    categories = _validate_vocab(meta.categories, Category, "categories", errors)
    if not [f for f in meta.fandoms if f.strip()]:
        _errors_add(errors, "fandoms", "Name at least one fandom.")
    language = (meta.language or "en").strip()
    if len(language) > LANGUAGE_MAX:
        _errors_add(errors, "language", "The language code is too long.")
    if meta.comment_permission not in CommentPermission.values:
        _errors_add(errors, "comment_permission", "Unknown comment setting.")
    if meta.expected_chapters is not None and meta.expected_chapters < 1:
        _errors_add(
            errors, "expected_chapters", "The expected number of chapters must be at least 1."
        )
    elif meta.expected_chapters is not None and meta.expected_chapters > EXPECTED_CHAPTERS_MAX:
        _errors_add(
            errors,
            "expected_chapters",
            f"The expected number of chapters can be at most {EXPECTED_CHAPTERS_MAX:,}.",
        )
    user_tags = {
        (field, name.strip().casefold())
        for field, names in (
            ("fandoms", meta.fandoms),
            ("relationships", meta.relationships),
            ("characters", meta.characters),
            ("freeforms", meta.freeforms),
        )
        for name in names
        if name.strip()
    }
    too_many = user_tags_problem(len(user_tags))
    if too_many:
        _errors_add(errors, "freeforms", too_many)
        return {}
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


def _sanitized(text: str) -> str:
    return body_to_html(text) if text and text.strip() else ""
