"""Relationships: pairs (and groups) of characters and how they interact."""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import combinations

from ...tags.vocabulary import TagKind
from ..cues import CueHit
from ..lexicon import CharacterLexicon
from ..suggestions import Evidence, Suggestion
from ..text import Chapter
from .characters import CharacterFindings
from .context import ScoredHit
from .genders import character_genders
from .speech import (
    first_person_narrator,
    interactions,
    narrated_pronouns,
    presented_as_children,
)

_ROMANTIC_FAMILIES = {"romance": 1.0, "sex_implied": 1.2, "sex_explicit": 1.2}

# Evidence thresholds (cue weight units; a co-occurring sentence adds 0.5).
MIN_EVIDENCE = 3.0
ROMANTIC_MIN = 3.0
INTERACTION = 1.0  # per vocative ("'Watson,' said Holmes") between the two
# A pair sharing very many sentences needs romance cues in proportion to be romantic
# (colleagues mentioned together throughout a story collect stray "married"/"love").
ROMANCE_PER_SENTENCE = 0.05
CHILDREN_DISCOUNT = 0.3  # romance cues between characters the text presents as children


@dataclass
class _Pair:
    romance: float = 0.0
    platonic: float = 0.0
    family: float = 0.0
    sentences: int = 0
    paragraphs: int = 0
    interactions: int = 0  # one addresses the other by name in speech
    romance_hits: list[tuple[float, int, CueHit]] = field(default_factory=list)
    platonic_hits: list[tuple[float, int, CueHit]] = field(default_factory=list)
    first_together: tuple[int, int, int] | None = None  # chapter, start, end

    @property
    def evidence(self) -> float:
        return (
            self.romance
            + self.platonic
            + 0.5 * self.sentences
            + 0.2 * self.paragraphs
            + INTERACTION * self.interactions
        )

    @property
    def romantic(self) -> bool:
        # Family words around a pair turn "love" into family love.
        return (
            self.romance >= ROMANTIC_MIN
            and self.romance
            >= 0.8 * self.platonic + 0.5 * self.family + ROMANCE_PER_SENTENCE * self.sentences
        )


def detect_relationships(
    chapters: Sequence[Chapter],
    findings: CharacterFindings,
    hits: Sequence[ScoredHit],
    lexicon: CharacterLexicon,
    *,
    limit: int = 3,
    share: float = 0.3,
) -> list[Suggestion]:
    """Pairs of proposed characters, ``A/B`` when romantic or sexual cues surround them,
    ``A & B`` when they share many sentences or platonic cues; ranked by evidence.

    A cue counts for the pairs named in its sentence; when its sentence names only one
    character (or none), the characters of the neighbouring sentences of the same
    paragraph join in (pronouns usually point at them). Three characters who are all
    romantically paired give a group ``A/B/C``.
    """
    proposed = {s.name for s in findings.suggestions}
    order = {s.name: i for i, s in enumerate(findings.suggestions)}
    by_sentence: dict[tuple[int, int], set[str]] = defaultdict(set)
    positions: dict[tuple[int, int], list[tuple[int, str]]] = defaultdict(list)
    first_at: dict[tuple[int, int], tuple[int, int]] = {}
    for m in findings.mentions:
        if m.character in proposed:
            by_sentence[(m.chapter, m.sentence)].add(m.character)
            positions[(m.chapter, m.sentence)].append((m.start, m.character))
            first_at.setdefault((m.chapter, m.sentence), (m.start, m.end))

    narrator = first_person_narrator(chapters, findings)
    if narrator:
        for chapter, sentence, offset in narrated_pronouns(chapters):
            by_sentence[(chapter, sentence)].add(narrator)
            positions[(chapter, sentence)].append((offset, narrator))

    pairs: dict[tuple[str, str], _Pair] = defaultdict(_Pair)
    paragraph_sets: dict[tuple[int, int], set[str]] = defaultdict(set)
    chapter_of = {ch.number: ch for ch in chapters}
    for (chapter, sentence), names in by_sentence.items():
        ch = chapter_of[chapter]
        paragraph_sets[(chapter, ch.sentence_paragraph[sentence])] |= names
        for a, b in combinations(sorted(names), 2):
            p = pairs[(a, b)]
            p.sentences += 1
            if p.first_together is None and (chapter, sentence) in first_at:
                p.first_together = (chapter, *first_at[(chapter, sentence)])
    for names in paragraph_sets.values():
        for a, b in combinations(sorted(names), 2):
            pairs[(a, b)].paragraphs += 1
    for a, b in interactions(chapters, findings, narrator, proposed):
        pairs[(min(a, b), max(a, b))].interactions += 1
    children = presented_as_children(chapters, findings, proposed)
    genders = character_genders(chapters, findings)
    recent = _mentions_by_chapter(findings, proposed, narrator)

    for h in hits:
        family = h.hit.family
        if family not in _ROMANTIC_FAMILIES and family not in ("platonic", "family"):
            continue
        if h.factor <= 0:
            continue
        here = positions.get((h.chapter, h.sentence), [])
        named = {n for _, n in here}
        resolved = None
        if len(named) < 2 and family in _ROMANTIC_FAMILIES:
            resolved = _pronoun_pair(chapter_of[h.chapter], h, named, genders, recent)
        if len(named) >= 2:
            # Several characters in the sentence: the cue goes to the two named nearest it.
            targets = [tuple(sorted(_nearest_two(here, h.hit.start)))]
        elif resolved:
            # "Anna kissed him", "she pulled him closer": the pronouns' characters.
            targets = [resolved]
        else:
            window = _window(chapter_of[h.chapter], h.chapter, h.sentence, by_sentence)
            if len(window) < 2:
                continue
            targets = list(combinations(sorted(window), 2))
        weight = h.hit.weight * h.factor
        if family in _ROMANTIC_FAMILIES:
            weight *= _romance_context(chapter_of[h.chapter], h)
        for a, b in targets:
            p = pairs[(a, b)]
            if family in _ROMANTIC_FAMILIES:
                w = weight * _ROMANTIC_FAMILIES[family]
                if a in children and b in children:
                    w *= CHILDREN_DISCOUNT
                p.romance += w
                p.romance_hits.append((w, h.chapter, h.hit))
            elif family == "platonic":
                p.platonic += weight
                p.platonic_hits.append((weight, h.chapter, h.hit))
            else:
                p.family += weight

    ranked = sorted(
        (
            (pair, p)
            for pair, p in pairs.items()
            if p.evidence >= MIN_EVIDENCE and (p.sentences >= 2 or p.romantic)
        ),
        key=lambda t: -t[1].evidence,
    )
    if not ranked:
        ranked = _fallback_pair(pairs, findings)
    if not ranked:
        return []
    top = ranked[0][1].evidence
    out: list[Suggestion] = []
    for (a, b), p in ranked:
        if p.evidence < share * top or len(out) >= limit:
            break
        pair = sorted((a, b), key=lambda n: (order.get(n, 99), n))
        romantic = p.romantic or _archive_pairs_romantically(lexicon, pair)
        separator = "/" if romantic else " & "
        cue_hits = p.romance_hits if p.romantic else p.platonic_hits
        out.append(
            Suggestion(
                name=lexicon.relationship_name(pair, separator),
                kind=TagKind.RELATIONSHIP.value,
                score=min(1.0, p.evidence / (2.0 * MIN_EVIDENCE + p.evidence)) * 1.5
                if p.evidence
                else 0.0,
                evidence=_evidence(chapter_of, cue_hits, p.first_together),
                details={
                    "characters": pair,
                    "romantic": romantic,
                    "from_archive_tag": romantic and not p.romantic,
                    "romance": round(p.romance, 2),
                    "platonic": round(p.platonic, 2),
                    "family": round(p.family, 2),
                    "sentences_together": p.sentences,
                    "paragraphs_together": p.paragraphs,
                    "interactions": p.interactions,
                },
            )
        )
    out.extend(_groups(out, lexicon))
    for s in out:
        s.score = min(1.0, s.score)
    shown = {frozenset(s.details["characters"]) for s in out}
    # Romantic pairs past the proposals' limit still make the work's categories (AO3:
    # the categories cover every relationship in the work, the tags the main ones).
    findings.__dict__["_more_romantic"] = [
        Suggestion(
            name=lexicon.relationship_name(sorted(pair), "/"),
            kind=TagKind.RELATIONSHIP.value,
            score=min(1.0, p.evidence / (2.0 * MIN_EVIDENCE + p.evidence)),
            details={"characters": sorted(pair), "romantic": True},
        )
        for pair, p in ranked
        if p.romantic and frozenset(pair) not in shown
    ]
    return out


def more_romantic_pairs(findings: CharacterFindings) -> list[Suggestion]:
    """The romantic pairs the last :func:`detect_relationships` on ``findings`` found
    beyond those it proposed (its ``limit`` and ``share``), for the categories; empty
    when it has not been run."""
    return list(findings.__dict__.get("_more_romantic", ()))


def _archive_pairs_romantically(lexicon: CharacterLexicon, pair: Sequence[str]) -> bool:
    """Whether the archive tags this pair as a romantic one ("A/B") and never as a
    friendship ("A & B"): two characters the text shows together are then proposed as
    the archive's "/" tag even where the text's romance is too quiet for the cues (its
    authors and wranglers have already said what the pair is in this fandom)."""
    key = frozenset(pair)
    return ("/", key) in lexicon.relationships and (" & ", key) not in lexicon.relationships


ROMANCE_IN_SPEECH = 0.5
_SECOND_PERSON_NEAR = re.compile(r"\b(?:you|me|I)\b", re.I)
# "my marriage", "our wedding": the narrator's own relationship, usually with someone
# not in the scene.
ROMANCE_OWN = 0.3
_FIRST_POSSESSIVE = re.compile(r"\b(?:my|our)\s+(?:own\s+)?$", re.I)


def _romance_context(ch: Chapter, h: ScoredHit) -> float:
    """How much a romantic cue counts for the pair it is attributed to."""
    start, end = h.hit.start, h.hit.end
    if h.in_dialogue:
        near = ch.text[max(0, start - 12) : end + 12]
        return 1.0 if _SECOND_PERSON_NEAR.search(near) else ROMANCE_IN_SPEECH
    if _FIRST_POSSESSIVE.search(ch.text, max(0, start - 12), start):
        return ROMANCE_OWN
    return 1.0


# "she kissed him": the subject pronoun of the cue's clause (at most six words before it,
# no comma, semicolon, colon or dash between: "She held him close and kissed him"), the
# object pronoun just after it.
_SUBJECT_BEFORE = re.compile(r"\b(he|she)\b(?:[^\w,;:—–\n]+\w+){0,6}[^\w,;:—–\n]*$", re.I)
_OBJECT_AFTER = re.compile(r"\s*(?:\w+\s+){0,2}?(him|her)\b", re.I)
_PRONOUN_GENDER = {"he": "M", "him": "M", "she": "F", "her": "F"}
LOOKBACK = 2000  # characters back in which a pronoun's character was last named


def _mentions_by_chapter(
    findings: CharacterFindings,
    proposed: set[str],
    narrator: str | None,
) -> dict[int, tuple[list[int], list[str]]]:
    """Per chapter, the offsets (sorted) and characters of the proposed characters'
    mentions, for finding who a pronoun last pointed at."""
    spots: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for m in findings.mentions:
        if m.character in proposed and m.character != narrator:
            spots[m.chapter].append((m.start, m.character))
    out = {}
    for chapter, items in spots.items():
        items.sort()
        out[chapter] = ([o for o, _ in items], [c for _, c in items])
    return out


def _pronoun_pair(
    ch: Chapter,
    h: ScoredHit,
    named: set[str],
    genders: dict[str, str],
    recent: dict[int, tuple[list[int], list[str]]],
) -> tuple[str, str] | None:
    """The two characters of a romantic cue written with pronouns ("she kissed him",
    "Anna kissed him"): the one named in its sentence, and each pronoun's character,
    the last one named before the cue (within :data:`LOOKBACK` characters) whose
    pronouns (:mod:`.genders`) are that pronoun's. ``None`` when that does not give two
    characters."""
    if len(named) > 1:
        return None
    text = ch.text
    start, end = h.hit.start, h.hit.end
    high = min(ch.sentence_ends[h.sentence], end + 30)
    before = _SUBJECT_BEFORE.search(text, max(ch.sentence_starts[h.sentence], start - 80), start)
    after = _OBJECT_AFTER.match(text, end, high)
    wanted = [
        _PRONOUN_GENDER[m.group(1).lower()]
        for m in (before, after)
        if m and not ch.in_dialogue(m.start(1))
    ]
    if len(named) + len(wanted) < 2:
        return None
    offsets, names = recent.get(h.chapter, ([], []))
    people = list(named)
    for gender in wanted:
        i = bisect.bisect_left(offsets, start) - 1
        while i >= 0 and offsets[i] >= start - LOOKBACK:
            name = names[i]
            if name not in people and genders.get(name) == gender:
                people.append(name)
                break
            i -= 1
    if len(people) < 2:
        return None
    return (min(people[0], people[1]), max(people[0], people[1]))


def _nearest_two(here: list[tuple[int, str]], offset: int) -> set[str]:
    out: set[str] = set()
    for _, name in sorted(here, key=lambda t: abs(t[0] - offset)):
        out.add(name)
        if len(out) == 2:
            break
    return out


FALLBACK_MIN = 1.5  # evidence for the platonic default pair …
FALLBACK_TOGETHER = 3  # … and shared sentences plus paragraphs


def _fallback_pair(
    pairs: dict[tuple[str, str], _Pair], findings: CharacterFindings
) -> list[tuple[tuple[str, str], _Pair]]:
    """When no pair reaches :data:`MIN_EVIDENCE` (short texts), the two most-named
    characters as a platonic ``A & B`` if they appear together a few times."""
    top = [s.name for s in findings.suggestions if s.details["mentions"] >= 3][:2]
    if len(top) < 2:
        return []
    key = (min(top), max(top))
    p = pairs.get(key)
    if (
        p is None
        or p.romantic
        or p.evidence < FALLBACK_MIN
        or p.sentences + p.paragraphs < FALLBACK_TOGETHER
    ):
        return []
    return [(key, p)]


def _window(
    ch: Chapter, chapter: int, sentence: int, by_sentence: dict[tuple[int, int], set[str]]
) -> set[str]:
    here = by_sentence.get((chapter, sentence), set())
    if len(here) >= 2:
        return here
    paragraph = ch.sentence_paragraph[sentence]
    window = set(here)
    for s in (sentence - 1, sentence + 1):
        if 0 <= s < len(ch.sentence_paragraph) and ch.sentence_paragraph[s] == paragraph:
            window |= by_sentence.get((chapter, s), set())
    return window


def _evidence(
    chapter_of: dict[int, Chapter],
    cue_hits: list[tuple[float, int, CueHit]],
    together: tuple[int, int, int] | None,
    limit: int = 5,
) -> list[Evidence]:
    chosen = sorted(cue_hits, key=lambda t: -t[0])[:limit]
    spans = sorted((chapter, hit.start, hit.end) for _, chapter, hit in chosen)
    if not spans and together:
        spans = [together]
    out = []
    for chapter, start, end in spans:
        at, excerpt = chapter_of[chapter].excerpt(start, end)
        out.append(Evidence(chapter, start, end, excerpt, at))
    return out


def _groups(pairs: list[Suggestion], lexicon: CharacterLexicon) -> list[Suggestion]:
    romantic = {frozenset(s.details["characters"]): s for s in pairs if s.details["romantic"]}
    names = sorted({n for key in romantic for n in key})
    out = []
    for trio in combinations(names, 3):
        members = [romantic.get(frozenset(p)) for p in combinations(trio, 2)]
        if all(members):
            found = [m for m in members if m is not None]
            out.append(
                Suggestion(
                    name=lexicon.relationship_name(list(trio), "/"),
                    kind=TagKind.RELATIONSHIP.value,
                    score=min(m.score for m in found) * 0.9,
                    evidence=[e for m in found for e in m.evidence[:2]],
                    details={"characters": list(trio), "romantic": True, "group": True},
                )
            )
    return out
