"""Cue hits placed in their context: chapter, sentence, negation, dialogue."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from ..cues import CueHit, find_cues
from ..text import Chapter, hypothetical, negated

# How much a cue counts when negated, conditional, or spoken rather than narrated.
NEGATED = 0.0
HYPOTHETICAL = 0.3
IN_DIALOGUE = 0.7
# Violence inside a consensual sexual scene (a bite, scratches, "rough") counts this much:
# it describes the sex, not an assault. A scene is sexual with SCENE_CUES sexual cues
# within SCENE_SENTENCES sentences, and consensual when no non-consent cue is that close.
IN_CONSENSUAL_SCENE = 0.2
SCENE_SENTENCES = 3
SCENE_CUES = 2
_SEXUAL = frozenset({"sex_implied", "sex_explicit"})
# Blood and bites in a vampire story are how its people eat: in a work that is about
# vampires (VAMPIRE_STORY mentions of vampires or fangs), a violence cue in the same
# sentence as a feeding word counts this much, and is not torture or gore. The words are
# general knowledge of the genre, written by hand.
IN_FEEDING = 0.2
VAMPIRE_STORY = 3
_VAMPIRE = re.compile(r"\b(?:vampir\w*|fang(?:s|ed)?|undead|nosferatu)\b", re.I)
# Every match of _VAMPIRE holds one of these once lowercased (each of their letters
# matches only its own two ASCII cases under re.I; tests/test_context.py checks it), so
# a chapter holding none of them is passed over without running the expression.
_VAMPIRE_WORDS = ("vamp", "fang", "undead", "feratu")
_FEEDING = re.compile(
    r"\b(?:fang(?:s|ed)?|bite|bites|bit|bitten|biting|dr[aiu]nk|drinks?|drinking|"
    r"fed|feeds?|feeding|sip(?:s|ped)?|suck(?:s|ed|ing)?|taste[ds]?|tasting|thirst\w*|"
    r"hunger|hungry|vein(?:s)?|wrist|neck|throat|puncture[ds]?|vampir\w*)\b",
    re.I,
)
_SCENE_DISCOUNTED = frozenset({"violence", "graphic"})
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
    in_consensual_scene: bool = False
    in_feeding: bool = False

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
        for hit in find_cues(text, ch.lowered):
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
    return _feeding(_consensual_scenes(out), chapters)


def vampire_story(chapters: Sequence[Chapter]) -> bool:
    """Whether the work is about vampires: at least :data:`VAMPIRE_STORY` mentions of
    vampires, fangs or the undead."""
    seen = 0
    for ch in chapters:
        lowered = ch.lowered
        if not any(word in lowered for word in _VAMPIRE_WORDS):
            continue
        for _ in _VAMPIRE.finditer(ch.text):
            seen += 1
            if seen >= VAMPIRE_STORY:
                return True
    return False


def _feeding(hits: list[ScoredHit], chapters: Sequence[Chapter]) -> list[ScoredHit]:
    """Discount violence cues that describe a vampire feeding (:data:`IN_FEEDING`): in a
    vampire story, "blood" beside "drank" or "fangs" is a meal, not an assault, and a
    bite is not torture. A feeding sentence with a non-consent cue in it counts in full."""
    if not any(h.hit.family in _SCENE_DISCOUNTED for h in hits) or not vampire_story(chapters):
        return hits
    chapter_of = {ch.number: ch for ch in chapters}
    noncon = {(h.chapter, h.sentence) for h in hits if h.hit.family == "noncon" and h.factor > 0}
    out = []
    for h in hits:
        if (
            h.hit.family in _SCENE_DISCOUNTED
            and h.factor > 0
            and (h.chapter, h.sentence) not in noncon
        ):
            ch = chapter_of[h.chapter]
            start = ch.sentence_starts[h.sentence] if ch.sentence_starts else 0
            end = ch.sentence_ends[h.sentence] if ch.sentence_ends else len(ch.text)
            if _FEEDING.search(ch.text, start, end):
                h = replace(h, factor=h.factor * IN_FEEDING, in_feeding=True)
        out.append(h)
    return out


def _consensual_scenes(hits: list[ScoredHit]) -> list[ScoredHit]:
    """Discount violence inside consensual sexual scenes (:data:`IN_CONSENSUAL_SCENE`):
    the cue is read in its scene, so the blood of an erotic vampire bite between willing
    adults is not a violence warning, while the same words beside a non-consent cue count
    in full."""
    sexual: dict[int, list[int]] = {}
    noncon: dict[int, list[int]] = {}
    for h in hits:
        if h.factor <= 0:
            continue
        if h.hit.family in _SEXUAL:
            sexual.setdefault(h.chapter, []).append(h.sentence)
        elif h.hit.family == "noncon":
            noncon.setdefault(h.chapter, []).append(h.sentence)
    if not sexual:
        return hits

    def near(at: dict[int, list[int]], h: ScoredHit) -> int:
        return sum(1 for s in at.get(h.chapter, ()) if abs(s - h.sentence) <= SCENE_SENTENCES)

    out = []
    for h in hits:
        if (
            h.hit.family in _SCENE_DISCOUNTED
            and h.factor > 0
            and near(sexual, h) >= SCENE_CUES
            and not near(noncon, h)
        ):
            h = ScoredHit(
                h.hit,
                h.chapter,
                h.sentence,
                h.factor * IN_CONSENSUAL_SCENE,
                h.negated,
                h.hypothetical,
                h.in_dialogue,
                in_consensual_scene=True,
            )
        out.append(h)
    return out
