"""Relationships: pairs (and groups) of characters and how they interact."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import combinations

from ...tags.vocabulary import Category, TagKind
from ..cues import CueHit
from ..lexicon import CharacterLexicon
from ..suggestions import Evidence, Suggestion
from ..text import Chapter
from .characters import CharacterFindings
from .context import ScoredHit

_ROMANTIC_FAMILIES = {"romance": 1.0, "sex_implied": 1.2, "sex_explicit": 1.2}

# Evidence thresholds (cue weight units; a co-occurring sentence adds 0.5).
MIN_EVIDENCE = 3.0
ROMANTIC_MIN = 3.0


@dataclass
class _Pair:
    romance: float = 0.0
    platonic: float = 0.0
    family: float = 0.0
    sentences: int = 0
    paragraphs: int = 0
    romance_hits: list[tuple[float, int, CueHit]] = field(default_factory=list)
    platonic_hits: list[tuple[float, int, CueHit]] = field(default_factory=list)
    first_together: tuple[int, int, int] | None = None  # chapter, start, end

    @property
    def evidence(self) -> float:
        return self.romance + self.platonic + 0.5 * self.sentences + 0.2 * self.paragraphs

    @property
    def romantic(self) -> bool:
        # Family words around a pair turn "love" into family love.
        return self.romance >= ROMANTIC_MIN and self.romance >= 0.8 * self.platonic + 0.5 * self.family


def detect_relationships(
    chapters: Sequence[Chapter],
    findings: CharacterFindings,
    hits: Sequence[ScoredHit],
    lexicon: CharacterLexicon,
    *,
    limit: int = 5,
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
    first_at: dict[tuple[int, int], tuple[int, int]] = {}
    for m in findings.mentions:
        if m.character in proposed:
            by_sentence[(m.chapter, m.sentence)].add(m.character)
            first_at.setdefault((m.chapter, m.sentence), (m.start, m.end))

    narrator = first_person_narrator(chapters, findings)
    if narrator:
        for (chapter, sentence) in _narrated_sentences(chapters):
            by_sentence[(chapter, sentence)].add(narrator)

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

    for h in hits:
        family = h.hit.family
        if family not in _ROMANTIC_FAMILIES and family not in ("platonic", "family"):
            continue
        if h.factor <= 0:
            continue
        window = _window(chapter_of[h.chapter], h.chapter, h.sentence, by_sentence)
        if len(window) < 2:
            continue
        weight = h.hit.weight * h.factor
        for a, b in combinations(sorted(window), 2):
            p = pairs[(a, b)]
            if family in _ROMANTIC_FAMILIES:
                w = weight * _ROMANTIC_FAMILIES[family]
                p.romance += w
                p.romance_hits.append((w, h.chapter, h.hit))
            elif family == "platonic":
                p.platonic += weight
                p.platonic_hits.append((weight, h.chapter, h.hit))
            else:
                p.family += weight

    ranked = sorted(
        ((pair, p) for pair, p in pairs.items() if p.evidence >= MIN_EVIDENCE and (p.sentences >= 2 or p.romantic)),
        key=lambda t: -t[1].evidence,
    )
    if not ranked:
        return []
    top = ranked[0][1].evidence
    out: list[Suggestion] = []
    for (a, b), p in ranked:
        if p.evidence < share * top or len(out) >= limit:
            break
        pair = sorted((a, b), key=lambda n: (order.get(n, 99), n))
        separator = "/" if p.romantic else " & "
        cue_hits = p.romance_hits if p.romantic else p.platonic_hits
        out.append(
            Suggestion(
                name=lexicon.relationship_name(pair, separator),
                kind=TagKind.RELATIONSHIP.value,
                score=min(1.0, p.evidence / (2.0 * MIN_EVIDENCE + p.evidence)) * 1.5 if p.evidence else 0.0,
                evidence=_evidence(chapter_of, cue_hits, p.first_together),
                details={
                    "characters": pair,
                    "romantic": p.romantic,
                    "romance": round(p.romance, 2),
                    "platonic": round(p.platonic, 2),
                    "family": round(p.family, 2),
                    "sentences_together": p.sentences,
                    "paragraphs_together": p.paragraphs,
                },
            )
        )
    out.extend(_groups(out, lexicon))
    for s in out:
        s.score = min(1.0, s.score)
    return out


_FIRST_PERSON = re.compile(r"\b(?:I|me|my|myself|we|us|our)\b")
FIRST_PERSON_DENSITY = 8.0  # first-person pronouns in narration per 1,000 words


def _narrated_sentences(chapters: Sequence[Chapter]) -> set[tuple[int, int]]:
    out = set()
    for ch in chapters:
        for m in _FIRST_PERSON.finditer(ch.text):
            if not ch.in_dialogue(m.start()):
                out.add((ch.number, ch.sentence_at(m.start())))
    return out


def first_person_narrator(chapters: Sequence[Chapter], findings: CharacterFindings) -> str | None:
    """The character telling a first-person story, if the text is one: the proposed
    character named in others' speech but (almost) never in narration ("'Watson,' said Holmes") and seldom in
    narration. Narration in the first person then counts as naming them."""
    words = sum(ch.words for ch in chapters)
    narrated = sum(1 for ch in chapters for m in _FIRST_PERSON.finditer(ch.text) if not ch.in_dialogue(m.start()))
    if not words or 1000.0 * narrated / words < FIRST_PERSON_DENSITY:
        return None
    best, best_count = None, 0
    for s in findings.suggestions:
        spoken, told = s.details["in_dialogue"], s.details["in_narration"]
        if spoken >= 3 and told <= 0.15 * spoken and spoken > best_count:
            best, best_count = s.name, spoken
    return best


def _window(ch: Chapter, chapter: int, sentence: int, by_sentence: dict[tuple[int, int], set[str]]) -> set[str]:
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


# --- Categories from relationship genders -----------------------------------------------

# Subject pronouns and titles only: "him"/"her" in a sentence naming one character are
# as often the partner ("Anna loved him").
_MALE = frozenset("he himself mr sir lord king prince duke earl count baron father brother son husband uncle boy man gentleman".split())
_FEMALE = frozenset("she herself mrs miss ms lady queen princess duchess countess baroness mother sister daughter wife aunt girl woman madam".split())


def character_genders(chapters: Sequence[Chapter], findings: CharacterFindings) -> dict[str, str]:
    """Guess ``"M"``/``"F"`` per character from pronouns and titles in sentences naming only
    them (and the following sentence when it names nobody)."""
    import re

    word = re.compile(r"[a-z]+")
    chapter_of = {ch.number: ch for ch in chapters}
    per_sentence: dict[tuple[int, int], set[str]] = defaultdict(set)
    for m in findings.mentions:
        per_sentence[(m.chapter, m.sentence)].add(m.character)
    tally: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for (chapter, sentence), names in per_sentence.items():
        if len(names) != 1:
            continue
        ch = chapter_of[chapter]
        # The sentence, and the next one when it names nobody ("She smiled.").
        following = sentence + 1 if sentence + 1 < len(ch.sentence_ends) and (chapter, sentence + 1) not in per_sentence else sentence
        end = ch.sentence_ends[following]
        words = word.findall(ch.text[max(0, ch.sentence_starts[sentence] - 12) : end].lower())
        (name,) = names
        tally[name][0] += sum(1 for w in words if w in _MALE)
        tally[name][1] += sum(1 for w in words if w in _FEMALE)
    out = {}
    for name, (male, female) in tally.items():
        if male >= 2 and male >= 2 * female:
            out[name] = "M"
        elif female >= 2 and female >= 2 * male:
            out[name] = "F"
    return out


def detect_categories(relationships: Sequence[Suggestion], genders: dict[str, str]) -> list[Suggestion]:
    """AO3 categories: F/M, M/M, F/F from romantic pairs' genders (Multi for several); Gen
    when no romantic relationship is found."""
    kinds: dict[str, list[Suggestion]] = defaultdict(list)
    romantic = [r for r in relationships if r.details.get("romantic") and not r.details.get("group")]
    for r in romantic:
        a, b = r.details["characters"]
        ga, gb = genders.get(a), genders.get(b)
        if not ga or not gb:
            continue
        category = {"FM": Category.FM, "MF": Category.FM, "MM": Category.MM, "FF": Category.FF}[ga + gb]
        kinds[category.value].append(r)
    out = [
        Suggestion(
            name=name,
            kind=TagKind.CATEGORY.value,
            score=max(r.score for r in rels) * 0.9,
            evidence=[e for r in rels for e in r.evidence[:1]],
            details={"relationships": [r.name for r in rels]},
        )
        for name, rels in sorted(kinds.items(), key=lambda t: -max(r.score for r in t[1]))
    ]
    if len(out) > 1 or any(r.details.get("group") for r in relationships if r.details.get("romantic")):
        out.append(Suggestion(Category.MULTI.value, TagKind.CATEGORY.value, min(s.score for s in out) if out else 0.5))
    if not romantic:
        out.append(Suggestion(Category.GEN.value, TagKind.CATEGORY.value, 0.5, details={"reason": "no romantic relationship found"}))
    return out
