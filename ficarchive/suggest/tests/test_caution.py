"""Caution: grave warnings need passages, other languages are said plainly, and the panel
asks before a rating or warning changes."""

from __future__ import annotations

import pytest

from ficarchive.suggest.combine import UNSUPPORTED, cautious_warnings, reads_as_english
from ficarchive.suggest.engine import suggest_for_text
from ficarchive.suggest.suggestions import Evidence, Suggestion
from ficarchive.tags.vocabulary import ArchiveWarning, Rating

CHINESE = "安娜和本一起去市场买苹果。他们谈论天气和漫长的夏天。她在窗边看书。" * 20
FRENCH = "Elle marchait dans la rue avec son frère, et ils parlaient du prix des pommes. " * 20


def _warning(name: str, passages: int) -> Suggestion:
    evidence = [Evidence(1, i, i + 1, "x") for i in range(passages)]
    return Suggestion(name, "warning", 0.9, evidence)


def test_grave_warnings_need_passages():
    """Rape/Non-Con or Underage Sex with fewer than two passages is dropped; others stay."""
    kept = cautious_warnings(
        [
            _warning(ArchiveWarning.NON_CON.value, 1),
            _warning(ArchiveWarning.UNDERAGE.value, 0),
            _warning(ArchiveWarning.VIOLENCE.value, 0),
        ]
    )
    assert [w.name for w in kept] == [ArchiveWarning.VIOLENCE.value]
    only_grave = cautious_warnings([_warning(ArchiveWarning.NON_CON.value, 1)])
    assert [w.name for w in only_grave] == [ArchiveWarning.NONE_APPLY.value]
    shown = cautious_warnings([_warning(ArchiveWarning.NON_CON.value, 3)])
    assert [w.name for w in shown] == [ArchiveWarning.NON_CON.value]


@pytest.mark.parametrize(
    ("text", "english"),
    [
        ("He walked to the market and she said that it was raining on the town. " * 5, True),
        (CHINESE, False),
        (FRENCH, False),
        ("Short.", True),
    ],
)
def test_reads_as_english(text, english):
    """English prose reads as English; Chinese and French do not."""
    assert reads_as_english(text) is english


def test_other_languages_without_a_model_say_so():
    """Without a learned model a Chinese text gets no rating or warnings, and a note says
    the language is not supported (rather than a confident General Audiences)."""
    got = suggest_for_text([CHINESE])
    assert got.rating == [] and got.warnings == []
    assert got.notes[0] == UNSUPPORTED  # first; a note on names in other scripts may follow


def test_other_languages_with_a_model_get_learned_suggestions(tmp_path):
    """With a model trained on works that include Chinese ones, a Chinese text is rated by
    the model, and the note says so."""
    from ficarchive.suggest.learning import model_load
    from ficarchive.suggest.training import model_train_from_labelled

    from .labelled_factory import write_labelled

    path = tmp_path / "m.joblib"
    model_train_from_labelled(write_labelled(tmp_path / "l", chinese=6), path)
    got = suggest_for_text([CHINESE], model=model_load(path))
    assert got.rating and got.rating[0].name == Rating.GENERAL.value
    assert got.rating[0].details["source"] == "model"
    assert "learned model alone" in got.notes[0]
