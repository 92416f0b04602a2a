"""The fixed vocabularies, spelt exactly as AO3 spells them (see ../shared/CONTRACT.md)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class Rating(models.TextChoices):
    NOT_RATED = "Not Rated"
    GENERAL = "General Audiences"
    TEEN = "Teen And Up Audiences"
    MATURE = "Mature"
    EXPLICIT = "Explicit"


class ArchiveWarning(models.TextChoices):
    CHOSE_NOT_TO_WARN = "Creator Chose Not To Use Archive Warnings"
    VIOLENCE = "Graphic Depictions Of Violence"
    MAJOR_CHARACTER_DEATH = "Major Character Death"
    NONE_APPLY = "No Archive Warnings Apply"
    NON_CON = "Rape/Non-Con"
    UNDERAGE = "Underage Sex"


class Category(models.TextChoices):
    FF = "F/F"
    FM = "F/M"
    GEN = "Gen"
    MM = "M/M"
    MULTI = "Multi"
    OTHER = "Other"


class TagKind(models.TextChoices):
    RATING = "rating", _("Rating")
    WARNING = "warning", _("Archive Warning")
    CATEGORY = "category", _("Category")
    FANDOM = "fandom", _("Fandom")
    RELATIONSHIP = "relationship", _("Relationship")
    CHARACTER = "character", _("Character")
    FREEFORM = "freeform", _("Additional Tags")


# Kinds whose tags are the fixed vocabularies above: canonical, never wrangled or renamed.
FIXED_KINDS = {TagKind.RATING, TagKind.WARNING, TagKind.CATEGORY}
# Kinds that authors fill in freely and wranglers join up.
FREE_KINDS = [TagKind.FANDOM, TagKind.RELATIONSHIP, TagKind.CHARACTER, TagKind.FREEFORM]

# Ratings that put the adult-content notice in front of a work.
ADULT_RATINGS = {Rating.NOT_RATED, Rating.MATURE, Rating.EXPLICIT}

# The order ratings go in, mildest first (for "within one step" and sorting).
RATING_ORDER = [Rating.GENERAL, Rating.TEEN, Rating.MATURE, Rating.EXPLICIT, Rating.NOT_RATED]

# The archive warnings that warn of something (the other two say none, or won't say).
REAL_WARNINGS = {
    ArchiveWarning.VIOLENCE.value,
    ArchiveWarning.MAJOR_CHARACTER_DEATH.value,
    ArchiveWarning.NON_CON.value,
    ArchiveWarning.UNDERAGE.value,
}

# AO3's defaults for imports with no metadata.
DEFAULT_IMPORT_RATING = Rating.NOT_RATED
DEFAULT_IMPORT_WARNING = ArchiveWarning.CHOSE_NOT_TO_WARN
DEFAULT_IMPORT_FANDOM = "Unspecified Fandom"

# The CSS classes and short texts of AO3's four required-tag symbols on a blurb.
RATING_SYMBOL = {
    Rating.GENERAL: ("rating-general-audience", "G"),
    Rating.TEEN: ("rating-teen", "T"),
    Rating.MATURE: ("rating-mature", "M"),
    Rating.EXPLICIT: ("rating-explicit", "E"),
    Rating.NOT_RATED: ("rating-notrated", "?"),
}


def vocab_split(
    values: Iterable[str], allowed: type[models.TextChoices]
) -> tuple[list[str], list[str]]:
    """The one check of values chosen from a fixed vocabulary (the posting form, the API,
    command-line and upload options): (AO3's values among them, each once, in the order
    given; the values that are not AO3's). Spelling must be exact; each caller words its
    own error for the second list."""
    valid = set(allowed.values)
    known: list[str] = []
    unknown: list[str] = []
    for value in values:
        if value not in valid:
            unknown.append(value)
        elif value not in known:
            known.append(value)
    return known, unknown


def vocab_lookup(
    name: str, allowed: type[models.TextChoices], aliases: Mapping[str, str] | None = None
) -> str | None:
    """AO3's spelling of a value read from a file, where sources spell freely: exact, or
    differing in case and spacing, or through aliases (keys lower-case, e.g. "pg-13").
    None when it is none of them."""
    key = " ".join((name or "").split()).lower()
    for value in allowed.values:
        if value.lower() == key:
            return str(value)
    return (aliases or {}).get(key)


def warnings_problem(warnings: Iterable[str]) -> str | None:
    """The one rule every door applies to a work's archive warnings (the posting and edit
    forms, the API, ``ficarchive import`` options, file metadata, the eFiction mapping):
    None when the set is coherent, else a one-line reason (in the active language: English
    on the command line and in the API; the warning names themselves are never translated).

    "No Archive Warnings Apply" says none of the four archive warnings applies, so it
    cannot stand beside one of them (violence, major character death, rape/non-con,
    underage sex), nor beside "Creator Chose Not To Use Archive Warnings", which declines
    to say (AO3's Terms of Service, Warnings section; AO3's news post on unticking
    "Choose Not To Use Archive Warnings" by default names that pair as a mistake).
    "Creator Chose Not To Use Archive Warnings" beside a specific warning is allowed, as
    AO3 allows it (warn for one thing, keep the rest a surprise)."""
    names = set(warnings)
    none_apply = ArchiveWarning.NONE_APPLY.value
    if none_apply not in names:
        return None
    specific = [w for w in ArchiveWarning.values if w in names & REAL_WARNINGS]
    if specific:
        return gettext(
            "“%(none)s” cannot be combined with %(warnings)s: it says no archive warning applies."
        ) % {"none": none_apply, "warnings": ", ".join(f"“{w}”" for w in specific)}
    if ArchiveWarning.CHOSE_NOT_TO_WARN.value in names:
        return gettext("“%(none)s” and “%(chose)s” contradict each other: choose one.") % {
            "none": none_apply,
            "chose": ArchiveWarning.CHOSE_NOT_TO_WARN.value,
        }
    return None


def warnings_contradict(warnings: Iterable[str]) -> bool:
    """Whether the warnings break ``warnings_problem``'s rule."""
    return warnings_problem(warnings) is not None


def warnings_without_contradiction(warnings: Sequence[str]) -> list[str]:
    """The warnings in their order, "No Archive Warnings Apply" dropped when it breaks
    ``warnings_problem``'s rule: for sources read leniently (a file's own metadata, an
    eFiction story in several warning classes), where the warning, or the creator's choice
    not to warn, wins over "none apply"."""
    if not warnings_contradict(warnings):
        return list(warnings)
    return [w for w in warnings if w != ArchiveWarning.NONE_APPLY.value]
