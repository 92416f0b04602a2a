"""A file's metadata mapped onto the archive's vocabularies: ratings, warnings and
categories as other archives spell them, and tag names repaired by the one tag-name rule
(``tags.services.tag_name_repair``). Each mapping notes what it changed or dropped."""

from __future__ import annotations

from collections.abc import Sequence

from ficarchive.tags.models import Tag, tag_key
from ficarchive.tags.services import tag_name_repair
from ficarchive.tags.vocabulary import (
    DEFAULT_IMPORT_RATING,
    Category,
    Rating,
    TagKind,
    vocab_lookup,
)

_RATING_ALIASES = {
    "g": Rating.GENERAL,
    "general": Rating.GENERAL,
    "k": Rating.GENERAL,
    "k+": Rating.GENERAL,
    "pg": Rating.TEEN,
    "pg-13": Rating.TEEN,
    "pg13": Rating.TEEN,
    "t": Rating.TEEN,
    "teen": Rating.TEEN,
    "teen and up": Rating.TEEN,
    "m": Rating.MATURE,
    "r": Rating.MATURE,
    "nc-17": Rating.EXPLICIT,
    "nc17": Rating.EXPLICIT,
    "e": Rating.EXPLICIT,
    "x": Rating.EXPLICIT,
    "xxx": Rating.EXPLICIT,
    "ma": Rating.EXPLICIT,
    "adult": Rating.EXPLICIT,
    "not rated": Rating.NOT_RATED,
    "unrated": Rating.NOT_RATED,
    "nr": Rating.NOT_RATED,
}
CATEGORY_ALIASES = {
    "ff": Category.FF,
    "fm": Category.FM,
    "mm": Category.MM,
    "het": Category.FM,
    "slash": Category.MM,
    "femslash": Category.FF,
}


def map_rating(name: str, notices: list[str]) -> str:
    """AO3's rating for a source's rating name (absent: Not Rated; unknown: Not Rated,
    with a notice)."""
    if not (name or "").strip():
        return DEFAULT_IMPORT_RATING
    value = vocab_lookup(name, Rating, _RATING_ALIASES)
    if value is None:
        notices.append(
            f"rating {' '.join(name.split())!r} is not one of AO3's; imported as Not Rated"
        )
        return DEFAULT_IMPORT_RATING
    return value


def map_vocab(
    names: Sequence[str], allowed: type, label: str, notices: list[str], aliases: dict | None = None
) -> list[str]:
    """AO3's values for a source's warning or category names, each once; unknown names
    are dropped with a notice."""
    out: list[str] = []
    for name in names:
        value = vocab_lookup(name, allowed, aliases)
        if value is None:
            notices.append(f"{label} {name!r} is not one of AO3's; dropped")
        elif value not in out:
            out.append(value)
    return out


def clean_tag_names(names: Sequence[str], kind: str, notices: list[str]) -> list[str]:
    """Names usable as tags of this kind, repaired to the tag-name rule
    (tags.services.tag_name_repair); names already used by a tag of another kind are
    dropped (noted)."""
    out: list[str] = []
    seen: set[str] = set()
    label = TagKind(kind).label.lower()
    for raw in names:
        name = tag_name_repair(raw)
        if not name:
            if raw.strip():
                notices.append(f"{label} tag {raw[:60]!r} has nothing a tag can hold; dropped")
            continue
        if name != " ".join(raw.split()):
            notices.append(f"{label} tag {raw[:60]!r} was imported as {name!r}")
        if tag_key(name) in seen:
            continue
        existing = Tag.objects.filter(name_key=tag_key(name)).values_list("kind", flat=True).first()
        if existing is not None and existing != kind:
            notices.append(
                f"{TagKind(kind).label.lower()} tag {name!r} is already a {TagKind(existing).label.lower()} tag; dropped"
            )
            continue
        seen.add(tag_key(name))
        out.append(name)
    return out
