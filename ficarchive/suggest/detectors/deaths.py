"""Major Character Death: which death cues are about the work's major characters.

A death counts toward the warning when a major character is named beside it, or when a
sentence plainly says a central character died ("Holmes was dead", "at John's funeral").
Thresholds are in cue-weight units (see :mod:`ficarchive.suggest.cues`)."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence

from ..cues import PERSON_NOUNS
from ..text import Chapter, negated
from .characters import CharacterFindings
from .context import ScoredHit


def attributed_deaths(
    chapters: Sequence[Chapter], hits: Sequence[ScoredHit], findings: CharacterFindings
) -> tuple[float, list[ScoredHit], set[str]]:
    major = findings.major()
    per_sentence: dict[tuple[int, int], set[str]] = defaultdict(set)
    for m in findings.mentions:
        if m.character in major:
            per_sentence[(m.chapter, m.sentence)].add(m.character)
    chapter_of = {ch.number: ch for ch in chapters}
    total = 0.0
    used: list[ScoredHit] = []
    dead: set[str] = set()
    for h in hits:
        if h.factor <= 0:
            continue
        names = per_sentence.get((h.chapter, h.sentence), set()) | per_sentence.get(
            (h.chapter, h.sentence - 1), set()
        )
        if names:
            weight = 1.0
            dead |= names
        else:
            ch = chapter_of[h.chapter]
            s = ch.sentence_starts[h.sentence]
            weight = 0.5 if PERSON_NOUNS.search(ch.text, s, ch.sentence_ends[h.sentence]) else 0.25
        total += h.value * weight
        used.append(h)
    direct, direct_hits, named = _direct_deaths(chapters, hits, findings)
    total += DIRECT_DEATH * len(named)
    dead |= named
    used.extend(h for h in direct_hits if h not in used)
    return total, used, dead


DIRECT_DEATH = 3.0  # one clear statement that a central character died settles it
CENTRAL_TOP = 3  # central characters: the most-named few among the major ones
_DEATH_PREDICATE = re.compile(
    r"(?:died|dies|perished|drowned|(?:was|were|lay|fell|lying|is|now|been|dropped) dead|(?:fell|dropped) down dead|"
    r"breathed (?:his|her|their) last|passed away|drew (?:his|her) last breath|gave up the ghost|"
    r"was killed|been killed|was murdered|been murdered|froze to death|frozen to death|never (?:woke|breathed) again)",
    re.I,
)
_DEATH_NOUN_BEFORE = re.compile(
    r"\b(?:death of|killed|murdered|slew|slain|body of|corpse of|funeral of|grave of)\s+(?:the\s+)?$",
    re.I,
)
_BODY_AFTER = re.compile(r"['’]s\s+(?:(?:dead|lifeless)\s+body|corpse|funeral|coffin)\b", re.I)
_CLAUSE_GAP = re.compile(r"^[^.;:!?\"“”‘’]{0,60}$")
_PRONOUN = re.compile(r"\b(?:he|she|they)\s+(?:\w+\s+){0,2}$", re.I)


def _direct_deaths(
    chapters: Sequence[Chapter], hits: Sequence[ScoredHit], findings: CharacterFindings
) -> tuple[float, list[ScoredHit], set[str]]:
    """Central characters a sentence says died: "X died", "X lay dead", "X, …, she
    perished" (a pronoun after the name in the same sentence), "the death of X",
    "killed X", "X's body". Negated, hypothetical and spoken statements do not count."""
    major = findings.major()
    ranked = [s.name for s in findings.suggestions if s.name in major][:CENTRAL_TOP]
    central = set(ranked)
    if not central:
        return 0.0, [], set()
    chapter_of = {ch.number: ch for ch in chapters}
    by_sentence: dict[tuple[int, int], list] = defaultdict(list)
    for m in findings.mentions:
        if m.character in central and not m.in_dialogue:
            by_sentence[(m.chapter, m.sentence)].append(m)
    named: set[str] = set()
    used: list[ScoredHit] = []
    for h in hits:
        if h.factor < 1.0 or h.in_dialogue:
            continue
        mentions = by_sentence.get((h.chapter, h.sentence))
        if not mentions:
            continue
        ch = chapter_of[h.chapter]
        text = ch.text
        cue = text[h.hit.start : h.hit.end]
        found: str | None = None
        if _DEATH_PREDICATE.fullmatch(cue) or _DEATH_PREDICATE.match(text, h.hit.start):
            before = [m for m in mentions if m.end <= h.hit.start]
            if before:
                m = before[-1]
                gap = text[m.end : h.hit.start]
                if _CLAUSE_GAP.match(gap) and (len(gap) <= 25 or _PRONOUN.search(gap)):
                    found = m.character
        if found is None:
            for m in mentions:
                if m.start >= h.hit.start and _DEATH_NOUN_BEFORE.search(
                    text, max(0, m.start - 30), m.start
                ):
                    found = m.character
                    break
        if found:
            named.add(found)
            used.append(h)
    for (chapter, _), mentions in by_sentence.items():
        ch = chapter_of[chapter]
        for m in mentions:
            if _BODY_AFTER.match(ch.text, m.end) and not negated(
                ch.text, m.start, ch.sentence_starts[m.sentence]
            ):
                named.add(m.character)
    return float(len(named)), used, named
