"""Tag names: the one rule for a valid name, finding or creating the tags authors and
bookmarkers type (words indexed for autocomplete, relationships linked to their
characters), and the fixed vocabularies."""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from ficarchive.core.chars import name_repair, name_tidy, unsafe_chars

from ..models import TAG_NAME_MAX, WORD_SPLIT, Tag, TagWord, tag_key, tag_words
from ..vocabulary import FIXED_KINDS, ArchiveWarning, Category, Rating, TagKind

# AO3 refuses these in tag names: commas separate tags, the rest break URLs and markup.
FORBIDDEN_TAG_CHARS = set(",^*<>{}=`\\%")


VOCABULARY = {
    TagKind.RATING: [r.value for r in Rating],
    TagKind.WARNING: [w.value for w in ArchiveWarning],
    TagKind.CATEGORY: [c.value for c in Category],
}


# How messages name a kind, in the reader's language ("character", "freeform"... in English,
# the words the command line has always printed).
_KIND_NOUNS = {
    TagKind.RATING: pgettext_lazy("tag kind", "rating"),
    TagKind.WARNING: pgettext_lazy("tag kind", "warning"),
    TagKind.CATEGORY: pgettext_lazy("tag kind", "category"),
    TagKind.FANDOM: pgettext_lazy("tag kind", "fandom"),
    TagKind.RELATIONSHIP: pgettext_lazy("tag kind", "relationship"),
    TagKind.CHARACTER: pgettext_lazy("tag kind", "character"),
    TagKind.FREEFORM: pgettext_lazy("tag kind", "freeform"),
}


def kind_noun(kind: str) -> str:
    """How messages name a kind: "character", "freeform", "rating"... in the active
    language (English on the command line and in the API)."""
    return str(_KIND_NOUNS[TagKind(kind)])


def validate_tag_name(name: str) -> str:
    """The one tag-name rule (posting, the API, bookmarks, wrangling, suggestions, imports
    through tag_name_repair): return the name tidied (NFC, space runs as one space), or
    raise ValidationError saying what is wrong: a line break or a character of
    ``core.chars.UNSAFE_RE`` (controls, bidi overrides, zero-width space...), empty, over
    TAG_NAME_MAX characters, or one of FORBIDDEN_TAG_CHARS. Format characters that are
    part of words and emoji (ZWJ, ZWNJ, word joiner, direction marks) are kept, as on AO3."""
    bad_chars = unsafe_chars(name)
    if bad_chars or "\n" in name.strip():
        shown = ", ".join(bad_chars) or _("a line break")
        raise ValidationError(
            _(
                "Tag %(name)s contains %(chars)s: control, bidi override and "
                "invisible characters cannot be in tags."
            )
            % {"name": repr(name_repair(name)[:40]), "chars": shown}
        )
    cleaned = name_tidy(name)
    if not cleaned:
        raise ValidationError(_("A tag cannot be empty."))
    if len(cleaned) > TAG_NAME_MAX:
        raise ValidationError(
            _("Tag %(name)s... is %(length)s characters; the limit is %(max)s.")
            % {"name": repr(cleaned[:40]), "length": len(cleaned), "max": TAG_NAME_MAX}
        )
    bad = sorted(FORBIDDEN_TAG_CHARS.intersection(cleaned))
    if bad:
        raise ValidationError(
            _("Tag %(name)s contains %(chars)s, which tags cannot contain.")
            % {"name": repr(cleaned), "chars": " ".join(bad)}
        )
    return cleaned


def tag_name_repair(raw: str) -> str:
    """The nearest name validate_tag_name accepts, for sources written under other rules
    (imported files): unsafe characters are dropped (controls become spaces), the
    characters tags cannot contain become spaces, space is tidied, and the name is cut to
    TAG_NAME_MAX characters. Joiners and direction marks stay. "" when nothing usable is
    left; never raises."""
    name = "".join(" " if ch in FORBIDDEN_TAG_CHARS else ch for ch in name_repair(raw))
    return name_tidy(name)[:TAG_NAME_MAX].strip()


def split_tag_list(text: str) -> list[str]:
    """Split a comma-separated tag field into names (empty pieces dropped, order kept)."""
    seen: set[str] = set()
    names: list[str] = []
    for piece in text.split(","):
        name = re.sub(r"\s+", " ", piece).strip()
        if name and tag_key(name) not in seen:
            seen.add(tag_key(name))
            names.append(name)
    return names


def vocabulary_tag(kind: str, name: str) -> Tag:
    """The tag of a fixed vocabulary (rating, warning, category), created on first use."""
    if name not in VOCABULARY[TagKind(kind)]:
        raise ValidationError(
            _("%(name)s is not a %(kind)s.") % {"name": repr(name), "kind": kind_noun(kind)}
        )
    tag = Tag.objects.filter(name_key=tag_key(name)).first()
    if tag is None:
        tag = Tag(name=name, kind=kind, canonical=True)
        tag.save()
    return tag


def tag_words_index(*, tag: Tag) -> None:
    """Record the words of the tag's name for autocomplete (after creating or renaming)."""
    TagWord.objects.filter(tag=tag).delete()
    if tag.kind not in FIXED_KINDS:
        TagWord.objects.bulk_create(
            [TagWord(tag=tag, kind=tag.kind, word=w) for w in tag_words(tag.name_key)]
        )


def tags_find_or_create(*, kind: str, names: Iterable[str], any_kind: bool = False) -> list[Tag]:
    """The tags with these names, created (unwrangled, of ``kind``) when new, with their
    words indexed for autocomplete and relationships linked to their characters. A name
    already used by a tag of another kind is refused (ValidationError), as AO3 does: one
    name, one tag; with ``any_kind`` (bookmarkers' tags) that tag is taken as it is. A bad
    name raises ValidationError."""
    kind = TagKind(kind)
    if kind in FIXED_KINDS:
        return [vocabulary_tag(kind, name) for name in names]
    result: list[Tag] = []
    for raw in names:
        name = validate_tag_name(raw)
        tag = Tag.objects.filter(name_key=tag_key(name)).first()
        if tag is None:
            try:
                with transaction.atomic():
                    tag = Tag(name=name, kind=kind)
                    tag.save()
                    tag_words_index(tag=tag)
            except IntegrityError:  # created meanwhile by another request
                tag = Tag.objects.get(name_key=tag_key(name))
            else:
                if kind == TagKind.RELATIONSHIP:
                    relationship_link_characters(tag=tag)
                elif kind == TagKind.CHARACTER:
                    character_link_relationships(tag=tag)
        if tag.kind != kind and not any_kind:
            raise ValidationError(
                _("%(name)s is already a %(kind)s tag; it cannot also be a %(other)s tag.")
                % {"name": repr(name), "kind": kind_noun(tag.kind), "other": kind_noun(kind)}
            )
        result.append(tag)
    return result


# "A/B" romantic, "A & B" platonic; three or more as "A/B/C". Space around "/" is allowed.
_RELATIONSHIP_SPLIT = re.compile(r"\s*/\s*|\s+&\s+")


def relationship_character_names(name: str) -> list[str]:
    """The character names in a relationship tag's name, in order, without repeats:
    "Buffy Summers/Spike" -> ["Buffy Summers", "Spike"]; "A & B" and "A/B/C" likewise.
    A name with no separator has no characters."""
    pieces = [p.strip() for p in _RELATIONSHIP_SPLIT.split(name)]
    if len(pieces) < 2:
        return []
    seen: set[str] = set()
    names: list[str] = []
    for piece in pieces:
        if piece and tag_key(piece) not in seen:
            seen.add(tag_key(piece))
            names.append(piece)
    return names


def relationship_link_characters(*, tag: Tag) -> list[Tag]:
    """Link a relationship tag to the character tags its name names that already exist
    (the canonical one when the name is a synonym). Nothing is created: on AO3 a
    relationship adds no character tags to a work or to the archive; characters are tags
    because some work or a wrangler used them, and linking them to relationships is
    wrangling metadata (shown on the tag's page). A character made later is linked then
    (``character_link_relationships``)."""
    linked: list[Tag] = []
    for name in relationship_character_names(tag.name):
        character = (
            Tag.objects.filter(name_key=tag_key(name), kind=TagKind.CHARACTER)
            .select_related("synonym_of")
            .first()
        )
        if character is None:
            continue
        character = character.synonym_of or character
        if character.pk not in {c.pk for c in linked}:
            linked.append(character)
    if linked:
        tag.characters.add(*linked)
    return linked


def character_link_relationships(*, tag: Tag) -> list[Tag]:
    """Link a new character tag to the existing relationships whose names name it ("Spike"
    to "Buffy Summers/Spike"), the other half of ``relationship_link_characters``.
    Candidates come from the names' starts and the autocomplete words (``TagWord``), so
    no scan of every relationship; each is confirmed by parsing its name."""
    key = tag.name_key
    words = [w for w in WORD_SPLIT.split(key) if w]
    if not words:
        return []
    candidates = Tag.objects.filter(kind=TagKind.RELATIONSHIP).filter(
        Q(name_key__startswith=key)
        | Q(pk__in=TagWord.objects.filter(kind=TagKind.RELATIONSHIP, word=words[0]).values("tag"))
    )
    linked = [
        rel
        for rel in candidates
        if key in {tag_key(n) for n in relationship_character_names(rel.name)}
    ]
    if linked:
        tag.in_relationships.add(*linked)
    return linked
