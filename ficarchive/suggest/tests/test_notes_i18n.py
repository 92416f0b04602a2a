"""The engine's notes and the panel's match strengths are shown in the reader's language."""

from pathlib import Path

import pytest
from django.template import Context, Template
from django.utils import translation

from ficarchive.suggest.combine import LEARNED_ONLY, UNSUPPORTED
from ficarchive.suggest.detectors.new_names import NAMES_UNSUPPORTED
from ficarchive.suggest.templatetags.suggest_tags import NOTES, suggest_note


def test_every_engine_note_has_a_translation():
    """The table's English equals the engine's notes word for word (so a note whose
    English changes fails here rather than showing untranslated)."""
    assert set(NOTES) == {UNSUPPORTED, LEARNED_ONLY, NAMES_UNSUPPORTED}
    for english, lazy in NOTES.items():
        assert str(lazy) == english


@pytest.mark.parametrize(("lang", "word"), [("fr", "latines"), ("ar", "اللاتينية")])
def test_names_note_translated(lang, word):
    with translation.override(lang):
        shown = suggest_note(NAMES_UNSUPPORTED)
    assert word in shown and shown != NAMES_UNSUPPORTED


@pytest.mark.parametrize("note", [UNSUPPORTED, LEARNED_ONLY])
def test_language_notes_translated(note):
    with translation.override("fr"):
        assert suggest_note(note).startswith("Le texte ne semble pas")
    with translation.override("ar"):
        assert suggest_note(note).startswith("لا يبدو")


def test_unknown_note_shown_as_stored():
    assert suggest_note("Something the table does not know.") == (
        "Something the table does not know."
    )


@pytest.mark.parametrize(
    ("strength", "fr", "ar"),
    [("strong", "forte", "قوي"), ("moderate", "moyenne", "متوسط"), ("weak", "faible", "ضعيف")],
)
def test_match_strength_translated(strength, fr, ar):
    """The panel's "(strong match, confidence N%)" says the strength in the language
    (it used to put the English word inside the translated sentence)."""
    # The panel's own markup for the strength, rendered alone.
    source = (Path(__file__).parents[1] / "templates/suggest/panel.html").read_text("utf-8")
    start = source.index('<span class="suggest-strength muted">')
    end = source.index("</span>", start) + len("</span>")
    template = Template("{% load i18n %}" + source[start:end])
    item = type("Item", (), {"score": 0.8, "strength": strength})()
    for lang, word in (("fr", fr), ("ar", ar)):
        with translation.override(lang):
            html = template.render(Context({"item": item}))
        assert word in html and "80" in html and strength not in html
