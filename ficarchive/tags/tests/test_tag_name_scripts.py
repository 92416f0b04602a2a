"""The tag-name rule keeps format characters that are part of words and emoji, and
refuses only dangerous ones (issue 12, kind 1)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from ficarchive.tags.services import tag_name_repair, validate_tag_name


@pytest.mark.parametrize(
    "name",
    [
        "داستان\u200cهای عاشقانه",  # Persian, zero-width non-joiner
        "🏳️\u200d🌈 Pride Month",  # emoji ZWJ sequence
        "👩\u200d👩\u200d👧 Family",
        "क्\u200dष",  # Devanagari with a joiner
        "\u200fעברית\u200e and English",  # direction marks
        "word\u2060joiner",
        "🏴\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f Scotland",  # tag characters
    ],
)
def test_format_characters_are_kept(name):
    """ZWJ, ZWNJ, word joiner, direction marks and emoji tags pass unchanged."""
    assert validate_tag_name(name) == name
    assert tag_name_repair(name) == name


@pytest.mark.parametrize(
    "name", ["Evil\u202eTag", "Iso\u2066late\u2069", "zero\u200bwidth", "bell\x07", "bom\ufeff"]
)
def test_dangerous_characters_are_refused_and_repaired(name):
    """Bidi overrides and isolates, zero-width space, controls and BOM are refused; the
    importers' repair drops them."""
    with pytest.raises(ValidationError, match="U\\+"):
        validate_tag_name(name)
    repaired = tag_name_repair(name)
    assert validate_tag_name(repaired) == repaired
