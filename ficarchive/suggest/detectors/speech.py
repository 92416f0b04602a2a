"""Who speaks to whom: vocatives, a first-person narrator, conversations between two
characters, and characters the text presents as children (for the relationship detector)."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence

from ..text import Chapter
from .characters import CharacterFindings, Mention

_FIRST_PERSON = re.compile(r"\b(?:I|me|my|myself|we|us|our)\b")
# The same matches, written to start with the pronouns' first letters (the boundary
# before each checked once that letter is read), so the expression engine skips to
# the next I, m, w, u or o in C; tests/test_fast_paths.py compares the two.
_FIRST_PERSON_FAST = re.compile(
    r"(?:I(?<!\wI)|m(?<!\wm)(?:e|y(?:self)?)|w(?<!\ww)e|u(?<!\wu)s|o(?<!\wo)ur)\b"
)
FIRST_PERSON_DENSITY = 4.0  # first-person pronouns in narration per 1,000 words
NARRATOR_MIN_VOCATIVES = 2
NARRATOR_NAMED_IN_NARRATION = 0.15  # … at most this share of their speech mentions (+1)
NARRATOR_SELF_NAMED = 3  # "my name is X" outside speech counts as this many vocatives


def narrated_pronouns(chapters: Sequence[Chapter]) -> list[tuple[int, int, int]]:
    """(chapter, sentence, offset) of every first-person pronoun outside quoted speech."""
    out: list[tuple[int, int, int]] = []
    for ch in chapters:
        cached = ch.__dict__.get("_narrated_pronouns")
        if cached is None:
            cached = [
                (ch.number, ch.sentence_at(m.start()), m.start())
                for m in _FIRST_PERSON_FAST.finditer(ch.text)
                if not ch.in_dialogue(m.start())
            ]
            ch.__dict__["_narrated_pronouns"] = cached
        out.extend(cached)
    return out


# Vocatives: a name in speech standing alone between a quote, comma or "my dear" and a
# comma or end punctuation ("'Watson, come here.'", "'Thank you, Lena.'", "'my dear Watson'").
_VOCATIVE_BEFORE = re.compile(
    r"(?:[\"“‘]|,|\b(?:dear|my|oh|o|hey|hello|hi|yes|no|well|thanks|goodbye|sorry))\s*$", re.I
)
_VOCATIVE_AFTER = re.compile(r"\s*(?:[,!?;—]|\.(?!\w)|[\"”’])")
_SELF_NAMED = re.compile(r"\b(?:my name (?:is|was)|call me|I am|I'm|I was)\s*$", re.I)


def is_vocative(ch: Chapter, start: int, end: int) -> bool:
    """Whether the name at ``start:end`` addresses someone: it is inside quoted speech,
    after an opening quote, a comma or "dear", and before a comma or end punctuation."""
    if not ch.in_dialogue(start):
        return False
    return bool(_VOCATIVE_BEFORE.search(ch.text, max(0, start - 12), start)) and bool(
        _VOCATIVE_AFTER.match(ch.text, end)
    )


def vocatives(chapters: Sequence[Chapter], findings: CharacterFindings) -> list[Mention]:
    """Mentions of proposed characters that address them in speech."""
    cached = findings.__dict__.get("_vocatives")
    if cached is not None:
        return list(cached)
    proposed = {s.name for s in findings.suggestions}
    chapter_of = {ch.number: ch for ch in chapters}
    found = [
        m
        for m in findings.mentions
        if m.character in proposed and is_vocative(chapter_of[m.chapter], m.start, m.end)
    ]
    findings.__dict__["_vocatives"] = found
    return list(found)


def first_person_narrator(chapters: Sequence[Chapter], findings: CharacterFindings) -> str | None:
    """The character telling a first-person story, if the text is one (first-person
    pronouns outside speech at :data:`FIRST_PERSON_DENSITY` per 1,000 words or more).

    The narrator is the character others address by name in speech ("'Watson,' said
    Holmes", "my dear Watson") who is (almost) never named in narration, or who names
    themselves there ("my name is Lena"); the most addressed one wins. Narration in the
    first person then counts as naming them.
    """
    words = sum(ch.words for ch in chapters)
    narrated = narrated_pronouns(chapters)
    if not words or 1000.0 * len(narrated) / words < FIRST_PERSON_DENSITY:
        return None
    chapter_of = {ch.number: ch for ch in chapters}
    support: dict[str, float] = defaultdict(float)
    self_named: dict[str, int] = defaultdict(int)
    for m in vocatives(chapters, findings):
        support[m.character] += 1
    for m in findings.mentions:
        ch = chapter_of[m.chapter]
        if not m.in_dialogue and _SELF_NAMED.search(ch.text, max(0, m.start - 16), m.start):
            support[m.character] += NARRATOR_SELF_NAMED
            self_named[m.character] += 1
    best, best_support = None, 0.0
    for s in findings.suggestions:
        spoken, told = s.details["in_dialogue"], s.details["in_narration"]
        if told > NARRATOR_NAMED_IN_NARRATION * spoken + 1 + self_named[s.name]:
            continue
        if support[s.name] >= NARRATOR_MIN_VOCATIVES and support[s.name] > best_support:
            best, best_support = s.name, support[s.name]
    return best


SPEAKER_LOOKBACK = 3  # paragraphs searched back for who is speaking


def interactions(
    chapters: Sequence[Chapter],
    findings: CharacterFindings,
    narrator: str | None,
    proposed: set[str],
) -> list[tuple[str, str]]:
    """(speaker, addressee) for every vocative: the speaker is a character named in the
    paragraph's narration ("said Holmes"), else in the nearest earlier paragraph (up to
    :data:`SPEAKER_LOOKBACK`) that names one other than the addressee; in a first-person
    text a paragraph whose narration says "I" also counts the narrator."""
    chapter_of = {ch.number: ch for ch in chapters}
    narrating: dict[tuple[int, int], set[str]] = defaultdict(set)
    for m in findings.mentions:
        if m.character in proposed and not m.in_dialogue:
            ch = chapter_of[m.chapter]
            narrating[(m.chapter, ch.sentence_paragraph[m.sentence])].add(m.character)
    if narrator:
        for chapter, sentence, _ in narrated_pronouns(chapters):
            narrating[(chapter, chapter_of[chapter].sentence_paragraph[sentence])].add(narrator)
    out: list[tuple[str, str]] = []
    for m in vocatives(chapters, findings):
        paragraph = chapter_of[m.chapter].sentence_paragraph[m.sentence]
        for back in range(SPEAKER_LOOKBACK + 1):
            speakers = narrating.get((m.chapter, paragraph - back), set()) - {m.character}
            if speakers:
                out.extend((s, m.character) for s in sorted(speakers))
                break
    return out


_CHILD_WORDS = re.compile(
    r"\b(?:child|children|little (?:boy|girl|ones?)|playmates?|playfellows?)\b", re.I
)
# The same matches, written to start with a class of the words' first letters in both
# cases (the only characters those letters match ignoring case), so the expression
# engine skips to the next candidate in C; tests/test_fast_paths.py compares the two.
_CHILD_WORDS_FAST = re.compile(
    r"(?:[cC](?<!\w[cC])(?i:hild(?:ren)?)|[lL](?<!\w[lL])(?i:ittle (?:boy|girl|ones?))"
    r"|[pP](?<!\w[pP])(?i:lay(?:mates?|fellows?)))\b"
)
CHILD_LITTLE_MIN = 2  # "little Kay" this often …
CHILD_SENTENCE_SHARE = 0.25  # … or child words in this share of the sentences naming them


def presented_as_children(
    chapters: Sequence[Chapter], findings: CharacterFindings, proposed: set[str]
) -> set[str]:
    """Characters the text presents as children: called "little X" repeatedly, or
    named in sentences about children ("the children", "little boy") often."""
    chapter_of = {ch.number: ch for ch in chapters}
    little: dict[str, int] = defaultdict(int)
    sentences: dict[str, set[tuple[int, int]]] = defaultdict(set)
    childish: dict[str, int] = defaultdict(int)
    seen: set[tuple[int, int]] = set()
    child_sentences: set[tuple[int, int]] = set()
    for m in findings.mentions:
        if m.character not in proposed:
            continue
        ch = chapter_of[m.chapter]
        if ch.text[max(0, m.start - 7) : m.start].lower() == "little ":
            little[m.character] += 1
        key = (m.chapter, m.sentence)
        if key not in seen:
            seen.add(key)
            if _CHILD_WORDS_FAST.search(
                ch.text, ch.sentence_starts[m.sentence], ch.sentence_ends[m.sentence]
            ):
                child_sentences.add(key)
        if key not in sentences[m.character]:
            sentences[m.character].add(key)
            childish[m.character] += key in child_sentences
    return {
        c
        for c in proposed
        if little[c] >= CHILD_LITTLE_MIN
        or (childish[c] >= 3 and childish[c] >= CHILD_SENTENCE_SHARE * len(sentences[c]))
    }


# Romance words in speech are mostly about third parties ("after all the trouble of
# wooing and wedding") unless they are between "I"/"me" and "you" ("I love you", "kiss me").
