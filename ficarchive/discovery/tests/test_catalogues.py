"""Issue 18: the French and Arabic catalogues of discovery, feedback, suggest and transfer
are complete (no empty or fuzzy entry) and compiled, so the interface reads in each."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.utils import translation

APPS = ("discovery", "feedback", "suggest", "transfer")
ROOT = Path(__file__).resolve().parents[2]


def _entries(po: Path) -> list[str]:
    return [
        b for b in po.read_text(encoding="utf-8").split("\n\n") if re.search(r'^msgid "', b, re.M)
    ]


@pytest.mark.parametrize("app", APPS)
@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_catalogue_is_complete_and_compiled(app, lang):
    """Every msgid has a translation (all plural forms), none fuzzy, and the .mo is there."""
    folder = ROOT / app / "locale" / lang / "LC_MESSAGES"
    for po in folder.glob("*.po"):
        for block in _entries(po)[1:]:  # the first is the header
            assert "#, fuzzy" not in block, (po, block)
            assert not re.search(r'^msgstr(\[\d\])? ""$(?!\n")', block, re.M), (po, block)
        assert po.with_suffix(".mo").exists(), po


def test_interface_strings_come_out_translated():
    """The filter sidebar's words in French and Arabic, from the compiled catalogues."""
    with translation.override("fr"):
        assert translation.gettext("Sort and Filter") == "Trier et filtrer"
    with translation.override("ar"):
        assert translation.gettext("Filters") == "عوامل التصفية"
        # Through variables, so makemessages does not take the test's words as a msgid.
        one, many = "%(counter)s guest", "%(counter)s guests"
        assert translation.ngettext(one, many, 2) == "زائران"
