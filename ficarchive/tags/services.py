"""Writes to tags: finding or creating the tags authors type, and tagging works."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F

from .models import TAG_NAME_MAX, Tag, Tagging, tag_key
from .vocabulary import FIXED_KINDS, ArchiveWarning, Category, Rating, TagKind

# AO3 refuses these in tag names: commas separate tags, the rest break URLs and markup.
FORBIDDEN_TAG_CHARS = set(",^*<>{}=`\\%")
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\ufeff]")

VOCABULARY = {
    TagKind.RATING: [r.value for r in Rating],
    TagKind.WARNING: [w.value for w in ArchiveWarning],
    TagKind.CATEGORY: [c.value for c in Category],
}


def validate_tag_name(name: str) -> str:
    """Return the tag name with space tidied, or raise ValidationError saying what is wrong."""
    if _CONTROL_RE.search(name.replace("\t", " ").replace("\n", " ")) or "\n" in name.strip():
        raise ValidationError(f"Tag {name[:40]!r} contains control characters.")
    cleaned = re.sub(r"\s+", " ", name).strip()
    if not cleaned:
        raise ValidationError("A tag cannot be empty.")
    if len(cleaned) > TAG_NAME_MAX:
        raise ValidationError(
            f"Tag {cleaned[:40]!r}... is {len(cleaned)} characters; the limit is {TAG_NAME_MAX}."
        )
    bad = sorted(FORBIDDEN_TAG_CHARS.intersection(cleaned))
    if bad:
        raise ValidationError(
            f"Tag {cleaned!r} contains {' '.join(bad)}, which tags cannot contain."
        )
    return cleaned


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
        raise ValidationError(f"{name!r} is not a {TagKind(kind).label.lower()}.")
    tag = Tag.objects.filter(name_key=tag_key(name)).first()
    if tag is None:
        tag = Tag(name=name, kind=kind, canonical=True)
        tag.save()
    return tag


def tags_find_or_create(*, kind: str, names: Iterable[str]) -> list[Tag]:
    """The tags with these names, created (unwrangled) when new. A name already used by a
    tag of another kind is refused, as AO3 does: one name, one tag."""
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
            except IntegrityError:  # created meanwhile by another request
                tag = Tag.objects.get(name_key=tag_key(name))
        if tag.kind != kind:
            raise ValidationError(
                f"{name!r} is already a {TagKind(tag.kind).label.lower()} tag; "
                f"it cannot also be a {kind.label.lower()} tag."
            )
        result.append(tag)
    return result


@transaction.atomic
def work_tags_set(*, work, tags_by_kind: dict[str, Sequence[Tag]]) -> None:
    """Make the work's tags of the given kinds exactly these (other kinds untouched),
    keeping each tag's use count right."""
    kinds = list(tags_by_kind)
    wanted: list[Tag] = []
    for kind in kinds:
        wanted.extend(tags_by_kind[kind])
    wanted_ids = [t.pk for t in wanted]
    current = Tagging.objects.filter(work=work, tag__kind__in=kinds)
    removed_ids = list(current.exclude(tag_id__in=wanted_ids).values_list("tag_id", flat=True))
    if removed_ids:
        Tagging.objects.filter(work=work, tag_id__in=removed_ids).delete()
        Tag.objects.filter(pk__in=removed_ids, uses__gt=0).update(uses=F("uses") - 1)
    existing = set(Tagging.objects.filter(work=work, tag_id__in=wanted_ids).values_list("tag_id", flat=True))
    new = []
    for position, tag in enumerate(wanted):
        if tag.pk not in existing:
            new.append(Tagging(work=work, tag=tag, position=position))
            existing.add(tag.pk)
        else:
            Tagging.objects.filter(work=work, tag=tag).update(position=position)
    Tagging.objects.bulk_create(new)
    if new:
        Tag.objects.filter(pk__in=[t.tag_id for t in new]).update(uses=F("uses") + 1)
