"""The fixed vocabularies, spelt exactly as AO3 spells them (see ../shared/CONTRACT.md)."""

from __future__ import annotations

from django.db import models


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
    RATING = "rating", "Rating"
    WARNING = "warning", "Archive Warning"
    CATEGORY = "category", "Category"
    FANDOM = "fandom", "Fandom"
    RELATIONSHIP = "relationship", "Relationship"
    CHARACTER = "character", "Character"
    FREEFORM = "freeform", "Additional Tags"


# Kinds whose tags are the fixed vocabularies above: canonical, never wrangled or renamed.
FIXED_KINDS = {TagKind.RATING, TagKind.WARNING, TagKind.CATEGORY}
# Kinds that authors fill in freely and wranglers join up.
FREE_KINDS = [TagKind.FANDOM, TagKind.RELATIONSHIP, TagKind.CHARACTER, TagKind.FREEFORM]

# Ratings that put the adult-content notice in front of a work.
ADULT_RATINGS = {Rating.NOT_RATED, Rating.MATURE, Rating.EXPLICIT}

# The order ratings go in, mildest first (for "within one step" and sorting).
RATING_ORDER = [Rating.GENERAL, Rating.TEEN, Rating.MATURE, Rating.EXPLICIT, Rating.NOT_RATED]

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
