"""Characters' genders, read from the pronouns that refer to them, for the category.

AO3's categories (F/M, M/M, F/F) follow the genders of a relationship's partners. The
text says them through pronouns: a sentence that opens with "He" or "She" right after a
sentence naming one character only is, in English prose, nearly always about that
character ("Anna closed the door. She ..."); a reflexive in a sentence naming one
character ("Tom poured himself a drink") binds to it; a subject pronoun later in such a
sentence ("Anna smiled; she was happy") counts half, as it may be someone else's; a
title before a name ("Mrs Hudson", "Lord Peter") says it outright. Each is a vote, and
votes are noisy in a way that follows the text: in a story told mostly with "he", a
"He" after a woman's name is often about the man beside her. So the votes are weighed
against the text's own mix of pronouns (:func:`log_odds_masculine`): 30 votes for "he"
and 50 for "she" say "woman" in a text whose pronouns are four-fifths masculine. A
character needs at least :data:`MIN_VOTES` votes and log-odds of :data:`MIN_LOG_ODDS`.

Object and possessive pronouns ("him", "her") are not counted: in a sentence naming one
character they are as often the partner ("Anna kissed him"). Singular "they" is not
counted either (in prose it is mostly plural); a character written with they/them is
left without a gender, and the category falls back on the text's pronoun balance.
The rules and word lists are general English grammar, written for this project.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Sequence

from ..text import Chapter
from .characters import CharacterFindings, Mention

MIN_VOTES = 1.5
TITLE_VOTE = 2.0
# Each vote is taken to be right with probability RELIABILITY and otherwise to follow the
# text's own mix of "he" and "she" (in a story told mostly with "he", a "He" opening the
# sentence after a woman's name is often about someone else). A gender is given when its
# log-odds reach MIN_LOG_ODDS (e^1.5 ≈ 4.5 to 1: one and a half clean votes in a text
# with as many "she" as "he", as the old rule of 1.5 votes asked).
RELIABILITY = 0.5
MIN_LOG_ODDS = 1.5
_THIRD_PERSON = re.compile(r"\b(?:(he|him|his|himself)|she|her|hers|herself)\b")
SAMPLE = 60_000  # characters read for the text's mix of pronouns

_OPENING_PRONOUN = re.compile(r"[\s\"“‘'(*\-—]*(He|She)\b")
_REFLEXIVE = re.compile(r"\b(himself|herself)\b", re.I)
_SUBJECT = re.compile(r"\b(he|she)\b", re.I)
CLAUSE_VOTE = 0.5  # "Anna smiled; she was happy": weaker, the pronoun may be another's
_TITLE_BEFORE = re.compile(r"\b([A-Z][a-z]+)\.?\s+$")
_MALE_TITLES = frozenset(
    "mr sir lord king prince duke earl count baron master brother father uncle monsieur herr".split()
)
_FEMALE_TITLES = frozenset(
    "mrs miss ms lady queen princess duchess countess baroness dame mistress madam madame "
    "sister mother aunt mademoiselle frau".split()
)
_GENDER = {"he": "M", "himself": "M", "she": "F", "herself": "F"}


def character_genders(chapters: Sequence[Chapter], findings: CharacterFindings) -> dict[str, str]:
    """``{character: "M" | "F"}`` for the characters of ``findings`` whose pronouns say
    it clearly (see the module docstring); the others are left out. Worked out once per
    findings and chapters (the relationships and the category both ask)."""
    cached = findings.__dict__.get("_genders")
    if cached is not None and cached[0] is chapters:
        return dict(cached[1])
    votes = gender_votes(chapters, findings)
    share = masculine_share(chapters)
    out = {}
    for name, tally in votes.items():
        male, female = tally["M"], tally["F"]
        if male + female < MIN_VOTES:
            continue
        odds = log_odds_masculine(male, female, share)
        if odds >= MIN_LOG_ODDS:
            out[name] = "M"
        elif odds <= -MIN_LOG_ODDS:
            out[name] = "F"
    findings.__dict__["_genders"] = (chapters, dict(out))
    return out


def pronoun_counts(chapters: Sequence[Chapter]) -> tuple[int, int]:
    """(masculine, feminine) third-person singular pronouns of the text's first
    :data:`SAMPLE` characters: English he/him/his/himself and she/her/hers/herself, and
    Chinese 他 and 她 less the plurals 他们/她们 and 其他 ("other"). Counted once per
    text (the category's balance and the genders both ask)."""
    # Kept on the first chapter (no cache when it has no instance dictionary).
    first: dict = getattr(chapters[0], "__dict__", {}) if chapters else {}
    cached = first.get("_pronoun_counts")
    if cached is not None:
        return cached
    male = female = 0
    left = SAMPLE
    for ch in chapters:
        part = ch.text[:left]
        found = _THIRD_PERSON.findall(part.lower())
        masculine = sum(1 for w in found if w)
        male += masculine + part.count("他") - part.count("他们") - part.count("其他")
        female += len(found) - masculine + part.count("她") - part.count("她们")
        left -= len(part)
        if left <= 0:
            break
    first["_pronoun_counts"] = (male, female)
    return male, female


def masculine_share(chapters: Sequence[Chapter]) -> float:
    """The share of the text's third-person singular pronouns that are masculine
    (:func:`pronoun_counts`), kept within 0.1–0.9; 0.5 with none."""
    male, female = pronoun_counts(chapters)
    total = male + female
    return min(0.9, max(0.1, male / total)) if total > 0 else 0.5


def log_odds_masculine(male: float, female: float, share: float) -> float:
    """Log-odds that a character with ``male`` and ``female`` votes is a man rather than
    a woman, when a vote is right with probability :data:`RELIABILITY` and otherwise
    masculine with probability ``share`` (the text's own mix)."""
    q = RELIABILITY
    m_if_man, m_if_woman = q + (1 - q) * share, (1 - q) * share
    f_if_man, f_if_woman = (1 - q) * (1 - share), q + (1 - q) * (1 - share)
    return male * math.log(m_if_man / m_if_woman) + female * math.log(f_if_man / f_if_woman)


def gender_votes(
    chapters: Sequence[Chapter], findings: CharacterFindings
) -> dict[str, dict[str, float]]:
    """Votes per character: ``{"M": n, "F": n}`` from opening pronouns, reflexives and titles."""
    named: dict[tuple[int, int], set[str]] = defaultdict(set)
    mentions_in: dict[tuple[int, int], list[Mention]] = defaultdict(list)
    for m in findings.mentions:
        named[(m.chapter, m.sentence)].add(m.character)
        mentions_in[(m.chapter, m.sentence)].append(m)
    tally: dict[str, dict[str, float]] = defaultdict(lambda: {"M": 0.0, "F": 0.0})
    chapter_of = {ch.number: ch for ch in chapters}
    for m in findings.mentions:
        before = _TITLE_BEFORE.search(chapter_of[m.chapter].text, max(0, m.start - 16), m.start)
        if before:
            title = before.group(1).casefold()
            if title in _MALE_TITLES:
                tally[m.character]["M"] += TITLE_VOTE
            elif title in _FEMALE_TITLES:
                tally[m.character]["F"] += TITLE_VOTE
    for (number, s), here in named.items():
        if len(here) != 1:
            continue
        (name,) = here
        ch = chapter_of[number]
        text = ch.text
        start, end = ch.sentence_starts[s], ch.sentence_ends[s]
        if not ch.in_dialogue(start):
            reflexive = _REFLEXIVE.search(text, start, end)
            if reflexive and not ch.in_dialogue(reflexive.start()):
                tally[name][_GENDER[reflexive.group(1).lower()]] += 1
            after = max(m.end for m in mentions_in[(number, s)])
            for subject in _SUBJECT.finditer(text, after, end):
                if not ch.in_dialogue(subject.start()):
                    tally[name][_GENDER[subject.group(1).lower()]] += CLAUSE_VOTE
        # The next sentence opening with "He"/"She".
        if s + 1 < len(ch.sentence_starts):
            opening = _OPENING_PRONOUN.match(
                text, ch.sentence_starts[s + 1], ch.sentence_ends[s + 1]
            )
            if opening and not ch.in_dialogue(opening.start(1)):
                tally[name][_GENDER[opening.group(1).lower()]] += 1
    return tally
