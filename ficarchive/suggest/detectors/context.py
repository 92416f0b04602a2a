"""Cue hits placed in their context: chapter, sentence, negation, dialogue."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..cues import CueHit, find_cues
from ..text import Chapter, hypothetical, negated

# How much a cue counts when negated, conditional, or spoken rather than narrated.
NEGATED = 0.0
HYPOTHETICAL = 0.3
IN_DIALOGUE = 0.7
# Families where speech is mostly threat or exclamation ("I'll kill you!", "damn").
_DIALOGUE_DISCOUNTED = frozenset({"violence", "graphic", "death"})
# Families where negation matters (profanity and content words are what they are).
_NEGATABLE = frozenset(
    {
        "romance",
        "sex_implied",
        "sex_explicit",
        "violence",
        "graphic",
        "death",
        "noncon",
        "suicide",
        "self_harm",
    }
)


@dataclass(frozen=True)
class ScoredHit:
    """A cue hit with where it is and how much it counts (``factor`` 0–1)."""

    hit: CueHit
    chapter: int
    sentence: int
    factor: float
    negated: bool = False
    hypothetical: bool = False
    in_dialogue: bool = False

    @property
    def value(self) -> float:
        """The cue's weight times its factor."""
        return self.hit.weight * self.factor


def scored_hits(chapters: Sequence[Chapter]) -> list[ScoredHit]:
    """Every cue of every chapter, with negation ("did not die"), hypotheticals ("would
    kill") and dialogue taken into account."""
    out: list[ScoredHit] = []
    for ch in chapters:
        text = ch.text
        for hit in find_cues(text):
            sentence = ch.sentence_at(hit.start)
            s_start = ch.sentence_starts[sentence] if ch.sentence_starts else 0
            factor = 1.0
            is_neg = is_hyp = False
            if hit.family in _NEGATABLE:
                if negated(text, hit.start, s_start):
                    is_neg, factor = True, NEGATED
                elif hypothetical(text, hit.start, s_start):
                    is_hyp, factor = True, HYPOTHETICAL
            in_dialogue = ch.in_dialogue(hit.start)
            if in_dialogue and hit.family in _DIALOGUE_DISCOUNTED:
                factor *= IN_DIALOGUE
            out.append(ScoredHit(hit, ch.number, sentence, factor, is_neg, is_hyp, in_dialogue))
    return out
