from __future__ import annotations

import re
import unicodedata

from django.db import models
from django.urls import reverse

from .vocabulary import TagKind

TAG_NAME_MAX = 150


def tag_key(name: str) -> str:
    """The form tag names are compared in: case-folded, NFKC, inner space collapsed."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", name)).strip().casefold()


def tag_url_name(name: str) -> str:
    """AO3's escaping of a tag name in a URL path segment (before percent-encoding)."""
    return (
        name.replace("/", "*s*")
        .replace("&", "*a*")
        .replace(".", "*d*")
        .replace("?", "*q*")
        .replace("#", "*h*")
    )


def tag_name_from_url(segment: str) -> str:
    return (
        segment.replace("*s*", "/")
        .replace("*a*", "&")
        .replace("*d*", ".")
        .replace("*q*", "?")
        .replace("*h*", "#")
    )


_WORD_SPLIT = re.compile(r"[^\w']+")
WORD_SPLIT = _WORD_SPLIT  # public: the services split names the same way


def tag_words(name_key: str) -> list[str]:
    """The words of a tag name after its first, for autocomplete's match on word starts
    ("spi" finds "Buffy Summers/Spike"); the first word is found by the name's prefix."""
    words = [w for w in _WORD_SPLIT.split(name_key) if w]
    seen: list[str] = []
    for word in words[1:]:
        if len(word) >= 2 and word not in seen and word != words[0]:
            seen.append(word[:TAG_NAME_MAX])
    return seen


class Tag(models.Model):
    """Any tag: the fixed vocabularies (rating, warning, category) and the free kinds that
    wranglers join up. A tag is canonical, a synonym of a canonical tag, or unwrangled."""

    name = models.CharField(max_length=TAG_NAME_MAX)
    name_key = models.CharField(max_length=TAG_NAME_MAX, unique=True, editable=False)
    kind = models.CharField(max_length=20, choices=TagKind.choices, db_index=True)
    canonical = models.BooleanField(default=False)
    # A wrangler's "leave it as it is": too vague to join up, out of the unwrangled bin.
    unwrangleable = models.BooleanField(default=False)
    synonym_of = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="synonyms"
    )
    # Meta and sub tags: a child's works count under each parent.
    parents = models.ManyToManyField("self", symmetrical=False, related_name="children", blank=True)
    # Characters, relationships and additional tags link to the fandoms they belong to.
    fandoms = models.ManyToManyField(
        "self", symmetrical=False, related_name="fandom_members", blank=True
    )
    # A relationship's characters, parsed from its name.
    characters = models.ManyToManyField(
        "self", symmetrical=False, related_name="in_relationships", blank=True
    )
    # Direct uses on works; the closure count is computed.
    uses = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        indexes = [
            models.Index(fields=["kind", "canonical", "-uses"], name="tag_kind_canonical_uses"),
            # Autocomplete's prefix range per kind (on PostgreSQL a "C"-collated twin is
            # added by migration 0006, since range scans must compare bytes, not words).
            models.Index(
                fields=["kind", "canonical", "name_key"], name="tag_kind_canonical_name_key"
            ),
            # Synonyms of a tag, for the closure. Partial: most tags are no synonym, and a
            # plain index full of NULLs looks useless to SQLite's planner after ANALYZE.
            models.Index(
                fields=["synonym_of"],
                condition=models.Q(synonym_of__isnull=False),
                name="tag_synonym_of_set",
            ),
            # The unwrangled bins and their counts.
            models.Index(
                fields=["kind", "-uses", "name_key"],
                condition=models.Q(canonical=False, synonym_of__isnull=True, unwrangleable=False),
                name="tag_unwrangled",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.name = re.sub(r"\s+", " ", self.name).strip()
        self.name_key = tag_key(self.name)
        if kwargs.get("update_fields") is not None and "name" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "name_key"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("tags:works", args=[tag_url_name(self.name)])

    def get_tag_url(self) -> str:
        """The tag's own page (its canonical form, synonyms, meta and sub tags)."""
        return reverse("tags:show", args=[tag_url_name(self.name)])

    @property
    def url_name(self) -> str:
        return tag_url_name(self.name)

    @property
    def is_unwrangled(self) -> bool:
        """New tags start here: neither canonical, nor a synonym, nor set aside."""
        return not self.canonical and self.synonym_of_id is None and not self.unwrangleable


class Tagging(models.Model):
    """A tag as an author put it on a work. Wrangling never rewrites these."""

    work = models.ForeignKey("works.Work", on_delete=models.CASCADE, related_name="taggings")
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="taggings")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["work", "tag"], name="tagging_unique"),
        ]
        indexes = [models.Index(fields=["tag", "work"], name="tagging_tag_work")]

    def __str__(self) -> str:
        return f"{self.tag} on {self.work_id}"


class TagWord(models.Model):
    """A word inside a tag's name (after the first), for autocomplete. The kind is copied
    from the tag because a tag's kind never changes; use and canonical are read live."""

    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="words")
    kind = models.CharField(max_length=20, choices=TagKind.choices)
    word = models.CharField(max_length=TAG_NAME_MAX)

    class Meta:
        indexes = [models.Index(fields=["kind", "word"], name="tagword_kind_word")]
        constraints = [models.UniqueConstraint(fields=["tag", "word"], name="tagword_unique")]

    def __str__(self) -> str:
        return f"{self.word} in {self.tag_id}"


class WranglingVersion(models.Model):
    """One row whose stamp every wrangling change replaces with a fresh random one: closures
    cached under an older stamp are never read again, in any process, so listings follow
    wrangling at once. (Random rather than a counter, so a rolled-back transaction can never
    bring an old stamp back with different tags behind it.)"""

    stamp = models.CharField(max_length=32)

    def __str__(self) -> str:
        return f"wrangling version {self.stamp}"
