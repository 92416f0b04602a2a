"""Detectors: plain functions from analysed chapters to suggestions."""

from .categories import detect_categories, work_categories
from .characters import (
    CharacterFindings,
    Mention,
    detect_characters,
    detect_fandoms,
    find_candidates,
)
from .content import (
    ContentProfile,
    content_profile,
    detect_content_tags,
    detect_rating,
    detect_warnings,
)
from .context import ScoredHit, scored_hits
from .genders import character_genders
from .relationships import detect_relationships

__all__ = [
    "CharacterFindings",
    "ContentProfile",
    "Mention",
    "ScoredHit",
    "character_genders",
    "content_profile",
    "detect_categories",
    "detect_characters",
    "detect_content_tags",
    "detect_fandoms",
    "detect_rating",
    "detect_relationships",
    "detect_warnings",
    "find_candidates",
    "scored_hits",
    "work_categories",
]
