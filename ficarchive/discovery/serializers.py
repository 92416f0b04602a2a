"""A work as one JSON object, with the keys of `ficarchive import --json` (CONTRACT.md).
Shared by `ficarchive search`, the transfer commands and the API."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from ficarchive.tags.vocabulary import TagKind
from ficarchive.works.models import Work

# The keys of `suggested` (suggest.suggestions.JSON_KEYS, which this layer may not import):
# one list per tag kind, so every command's objects have the same shape.
SUGGESTED_KEYS = (
    "rating",
    "warnings",
    "categories",
    "fandoms",
    "relationships",
    "characters",
    "tags",
)


def work_summary_json(work: Work, *, suggested: dict[str, Any] | None = None) -> dict[str, Any]:
    """id, url (absolute), title, words, chapters (posted count), rating, warnings,
    categories, fandoms, relationships, characters, tags (additional tags), suggested (a
    list per ``SUGGESTED_KEYS``; empty lists when the caller proposes nothing). Tags keep the author's order; prefetch ``taggings__tag`` to avoid a query per work."""

    def names(kind: str) -> list[str]:
        return [t.name for t in work.tags_of_kind(kind)]

    return {
        "id": work.pk,
        "url": settings.SITE_URL + work.get_absolute_url(),
        "title": work.title,
        "words": work.word_count,
        "chapters": work.chapter_count,
        "rating": work.rating,
        "warnings": names(TagKind.WARNING),
        "categories": names(TagKind.CATEGORY),
        "fandoms": names(TagKind.FANDOM),
        "relationships": names(TagKind.RELATIONSHIP),
        "characters": names(TagKind.CHARACTER),
        "tags": names(TagKind.FREEFORM),
        "suggested": suggested if suggested is not None else {k: [] for k in SUGGESTED_KEYS},
    }
