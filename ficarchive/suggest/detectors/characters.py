"""Characters named in a text, and the fandoms they come from."""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from ...tags.vocabulary import TagKind
from ..lexicon import _TITLES, CharacterLexicon, FormStrength, SurfaceForm, _strip_possessive
from ..suggestions import Evidence, Suggestion
from ..text import Chapter

_ABBREVIATED = frozenset("mr mrs ms dr st prof capt col lt sgt rev jr sr".split())


@dataclass(frozen=True)
class Mention:
    """A character named at ``start:end`` of a chapter's plain text."""

    chapter: int
    start: int
    end: int
    character: str
    strength: FormStrength
    sentence: int
    in_dialogue: bool
    ambiguous: bool = False  # unresolved clash: counted for every candidate


@dataclass
class _Candidate:
    chapter: Chapter
    start: int
    end: int
    forms: tuple[SurfaceForm, ...]


@dataclass
class CharacterFindings:
    """The detector's result: resolved mentions, counts and the suggestions made."""

    mentions: list[Mention] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)
    suggestions: list[Suggestion] = field(default_factory=list)

    def major(self, share: float = 0.12, minimum: int = 3) -> set[str]:
        """Characters mentioned often enough to count as major in this text."""
        if not self.counts:
            return set()
        top = max(self.counts.values())
        return {c for c, n in self.counts.items() if n >= minimum and n >= share * top}


def _gap_ok(text: str, end: int, start: int, previous_word: str) -> bool:
    gap = text[end:start]
    if not gap or len(gap) > 3:
        return False
    if gap.isspace():
        return gap.count("\n") <= 1
    # "Dr. Watson", "St. Clair": a full stop after an abbreviation.
    return gap.startswith(".") and gap[1:].isspace() and previous_word.casefold() in _ABBREVIATED


def _case_ok(form: SurfaceForm, words: Sequence[str]) -> bool:
    if not form.cased:
        return True
    return all(not need or w[:1].isupper() for need, w in zip(form.caps, words, strict=False))


# Words that may start a name: capitalised (and any non-ASCII letter, checked later).
_START = re.compile(r"(?<![\w'’\-])[^\W\d_a-z][^\W\d_]*(?:['’\-][^\W\d_]+)*")
_NEXT_WORD = re.compile(r"(\.?[ \t]*\n?[ \t]*)([^\W\d_]+(?:['’\-][^\W\d_]+)*)")
_PREVIOUS_WORD = re.compile(r"([^\W\d_]+)(\.?[ \t]*\n?[ \t]*)$")
# _PREVIOUS_WORD matched from the end: the 40 characters before a name, reversed.
_PREVIOUS_WORD_REVERSED = re.compile(r"\n?[ \t]*\n?[ \t]*\.?([^\W\d_]+)")


def _previous_word(text: str, start: int) -> tuple[str, str, int] | None:
    """The word just before ``start`` within 40 characters (``_PREVIOUS_WORD``: letters,
    then at most a full stop, spaces and one line break), its gap to ``start`` and where
    it starts; ``None`` when there is none. The same as searching ``_PREVIOUS_WORD`` in
    the window (``$`` there also matches before a final line break, hence the optional
    one at the front here), with one match instead of a search from each position."""
    low = max(0, start - 40)
    m = _PREVIOUS_WORD_REVERSED.match(text[low:start][::-1])
    if not m:
        return None
    word_start, word_end = start - m.end(), start - m.start(1)
    return text[word_start:word_end], text[word_end:start], word_start


_NOT_PART_OF_NAME = frozenset("i i'm i've i'll i'd o oh a".split())
# Subject pronouns: a one-word form right before one ("Will you", "Can I", "May we") is
# a verb opening a question, not a name (a name before a pronoun takes a comma:
# "Anna, you ...").
_SUBJECT_PRONOUNS = frozenset("you i we he she they it".split())
# A character named less often than this share of the text's most-named character is a
# passing mention: AO3 authors tag the characters a work is about, not everyone named.
MINOR_SHARE = 0.05


def _start_pattern(lexicon: CharacterLexicon) -> re.Pattern[str]:
    """Where names may start: capitalised words, plus lowercase first words of forms
    that do not need capitals (particles: "de Fortemps"), cached on the lexicon."""
    cached = getattr(lexicon, "_start_pattern", None)
    if cached is not None:
        return cached
    lower = sorted(
        {
            k.split(" ", 1)[0]
            for k, forms in lexicon.forms.items()
            if any(not f.caps or not f.caps[0] for f in forms)
        }
        - {"the", "a", "an"}
    )
    extra = "|".join(re.escape(w) + r"(?![\w'’\-])" for w in lower if w.isalpha())
    pattern = re.compile(_START.pattern + (f"|(?<![\\w'’\\-])(?:{extra})" if extra else ""))
    lexicon._start_pattern = pattern  # type: ignore[attr-defined]
    return pattern


def find_candidates(chapter: Chapter, lexicon: CharacterLexicon) -> list[_Candidate]:
    """Every span of the chapter whose words are a surface form of the lexicon (longest first).

    Only words that can start a name are looked at. A derived one-word form (a first or
    family name) directly followed or preceded by another capitalised word that is not a
    title is part of some other proper noun ("Baker Street", "Young McCarthy") and skipped.
    """
    text = chapter.text
    first = lexicon.first_tokens
    max_n = lexicon.max_tokens
    prefixes = lexicon.prefixes
    out: list[_Candidate] = []
    consumed = 0
    # Each distinct word's key is worked out once: most capitalised words start no form,
    # and a dictionary lookup is all they then cost.
    key_of: dict[str, str | None] = {}
    forms_of: dict[tuple[str, tuple[str, ...]], tuple[tuple[SurfaceForm, ...], bool]] = {}
    for m in _start_pattern(lexicon).finditer(text):
        if m.start() < consumed:
            continue
        word = m.group(0)
        key0 = key_of.get(word, "")
        if key0 == "":
            key0 = _strip_possessive(word).casefold()
            key0 = key_of[word] = key0 if key0 in first else None
        if key0 is None:
            continue
        tokens = [(m.start(), m.end(), word)]
        keys = [key0]
        pos = m.end()
        while len(tokens) < max_n:
            if len(keys) > 1 and " ".join(keys) not in prefixes:
                break  # no longer form starts so (the second word is always read)
            last = tokens[-1][2]
            if last != _strip_possessive(last):  # a possessive ends the name
                break
            nxt = _NEXT_WORD.match(text, pos)
            if not nxt or not _gap_ok(text, pos, nxt.start(2), last):
                break
            tokens.append((nxt.start(2), nxt.end(2), nxt.group(2)))
            keys.append(_strip_possessive(nxt.group(2)).casefold())
            pos = nxt.end(2)
        for n in range(len(tokens), 0, -1):
            key = " ".join(keys[:n])
            words = tuple(t[2] for t in tokens[:n])
            # The forms a spelling can be depend on it alone: worked out once per text.
            cached = forms_of.get((key, words))
            if cached is None:
                found = lexicon.forms.get(key) or ()
                forms = tuple(f for f in found if _case_ok(f, words))
                weak = all(f.strength < FormStrength.FULL for f in forms)
                cached = forms_of[key, words] = (forms, weak)
            forms, weak = cached
            if not forms:
                continue
            start = tokens[0][0]
            end = tokens[n - 1][0] + len(_strip_possessive(tokens[n - 1][2]))
            if n == 1:
                if chapter.has_lowercase(key0) and chapter.is_sentence_initial(start):
                    # "Rose", "Will" opening a sentence in a text that also uses the word.
                    break
                if len(tokens) > 1 and tokens[1][2] in _SUBJECT_PRONOUNS:
                    break  # "Will you come back?": a modal question
                if weak and _inside_other_name(text, tokens, start):
                    break
            out.append(_Candidate(chapter, start, end, forms))
            consumed = end
            break
    return out


def _inside_other_name(text: str, tokens: list[tuple[int, int, str]], start: int) -> bool:
    if len(tokens) > 1:
        following = tokens[1][2]
        if following[:1].isupper() and following.casefold() not in _NOT_PART_OF_NAME:
            return True
    before = _previous_word(text, start)
    if before:
        word, gap, word_start = before
        if word[:1].isupper() and word.casefold() in ("st", "saint"):
            return True  # "St. George's" is a church
        if (
            word[:1].isupper()
            and gap.strip() == ""
            and word.casefold() not in _TITLES
            and word.casefold() not in _NOT_PART_OF_NAME
        ):
            # A capitalised word before: part of a longer name, unless it opens the sentence.
            sentence_start = text.rfind("\n\n", 0, word_start)
            head = text[max(sentence_start, word_start - 3) : word_start]
            return not (word_start == 0 or any(ch in head for ch in '.!?"“‘\n'))
    return False


def detect_characters(
    chapters: Sequence[Chapter],
    lexicon: CharacterLexicon,
    *,
    fandom_hints: Iterable[str] = (),
    min_mentions: int = 2,
    max_evidence: int = 3,
) -> CharacterFindings:
    """Find the lexicon's characters in the chapters, resolving clashing names.

    A form naming one character counts for it. A form several characters share is
    resolved, in order, to: the candidate named unambiguously elsewhere in the text;
    else the candidate whose fandoms' other characters are present (``fandom_hints``,
    the work's own fandom tags, count as present); else, for a weak derived form such
    as a shared surname, nobody; else every candidate, flagged ``ambiguous`` and at a
    lower score, so that the author picks. With ``fandom_hints``, a character of none
    of those fandoms counts only when the text names it in full (:func:`_drop_foreign`).
    Characters named at least ``min_mentions`` times and at least :data:`MINOR_SHARE` as
    often as the most-named one are proposed, in dialogue and narration alike.
    """
    candidates = [c for ch in chapters for c in find_candidates(ch, lexicon)]
    anchored: Counter[str] = Counter()
    for c in candidates:
        if len(c.forms) == 1 and c.forms[0].strength >= FormStrength.SHORT:
            anchored[c.forms[0].character] += 1
    fandom_support: Counter[str] = Counter({f: 3 for f in fandom_hints})
    for character in anchored:
        for fandom in lexicon.fandoms_of(character):
            fandom_support[fandom] += 1

    findings = CharacterFindings()
    for c in candidates:
        ch = c.chapter
        sentence = ch.sentence_at(c.start)
        dialogue = ch.in_dialogue(c.start)
        chosen, ambiguous = _resolve(c.forms, anchored, fandom_support, lexicon)
        for form in chosen:
            findings.mentions.append(
                Mention(
                    ch.number,
                    c.start,
                    c.end,
                    form.character,
                    form.strength,
                    sentence,
                    dialogue,
                    ambiguous,
                )
            )
    if fandom_hints:
        _drop_foreign(findings, lexicon, set(fandom_hints))
    for m in findings.mentions:
        findings.counts[m.character] += 1

    by_character: dict[str, list[Mention]] = defaultdict(list)
    for m in findings.mentions:
        by_character[m.character].append(m)
    chapter_of = {ch.number: ch for ch in chapters}
    floor = MINOR_SHARE * max((len(ms) for ms in by_character.values()), default=0)
    for character, mentions in by_character.items():
        n = len(mentions)
        if n < min_mentions or n < floor:
            continue
        ambiguous = all(m.ambiguous for m in mentions)
        score = 1.0 - math.exp(-n / 4.0)
        if ambiguous:
            score *= 0.5
        evidence = []
        for m in mentions[:max_evidence]:
            at, excerpt = chapter_of[m.chapter].excerpt(m.start, m.end)
            evidence.append(Evidence(m.chapter, m.start, m.end, excerpt, at))
        findings.suggestions.append(
            Suggestion(
                name=character,
                kind=TagKind.CHARACTER.value,
                score=score,
                evidence=evidence,
                details={
                    "mentions": n,
                    "in_dialogue": sum(1 for m in mentions if m.in_dialogue),
                    "in_narration": sum(1 for m in mentions if not m.in_dialogue),
                    "ambiguous": ambiguous,
                    "fandoms": list(lexicon.fandoms_of(character)),
                },
            )
        )
    findings.suggestions.sort(key=lambda s: (-s.details["mentions"], s.name))
    return findings


def _drop_foreign(findings: CharacterFindings, lexicon: CharacterLexicon, hints: set[str]) -> None:
    """Leave out the mentions of characters from none of the work's fandoms (``hints``)
    that the text never names in full.

    A first name alone ("Hank", "Mark", "Tony") matches some character of every fandom
    the archive holds; in a work whose fandoms are known, it is that fandom's character
    or someone the archive has no tag for, not another fandom's. A full name ("Luke
    Skywalker", "Spock") still counts, since a crossover or a cameo names its guests so.
    Characters with no fandom in the lexicon are kept."""
    foreign = {
        m.character
        for m in findings.mentions
        if (fandoms := lexicon.fandoms_of(m.character)) and not hints.intersection(fandoms)
    }
    if not foreign:
        return
    named_in_full = {
        m.character
        for m in findings.mentions
        if m.character in foreign and m.strength >= FormStrength.FULL
    }
    drop = foreign - named_in_full
    if drop:
        findings.mentions = [m for m in findings.mentions if m.character not in drop]


def _resolve(
    forms: tuple[SurfaceForm, ...],
    anchored: Counter[str],
    fandom_support: Counter[str],
    lexicon: CharacterLexicon,
) -> tuple[tuple[SurfaceForm, ...], bool]:
    if len(forms) == 1:
        form = forms[0]
        if form.strength == FormStrength.WEAK and not anchored[form.character]:
            return (), False
        return forms, False

    def support(form: SurfaceForm) -> float:
        own = 1 if anchored[form.character] else 0
        fandoms = lexicon.fandoms_of(form.character)
        # Named unambiguously elsewhere beats fandom company, which beats form strength.
        return 10.0 * own + sum(fandom_support[f] - own for f in fandoms) + 0.1 * form.strength

    scored = sorted(((support(f), f) for f in forms), key=lambda t: -t[0])
    best = scored[0][0]
    if best >= 1.0 and best > scored[1][0]:
        return (scored[0][1],), False
    if all(f.strength == FormStrength.WEAK for f in forms):
        return (), False
    tied = tuple(f for s, f in scored if s == best and f.strength > FormStrength.WEAK)
    return tied, len(tied) > 1


def detect_fandoms(
    findings: CharacterFindings, lexicon: CharacterLexicon, *, share: float = 0.2
) -> list[Suggestion]:
    """Fandoms of the characters proposed, weighted by their mentions.

    A fandom is proposed when its characters' mentions reach ``share`` of the best
    fandom's (crossovers keep both); evidence is each character's first mention.
    """
    support: Counter[str] = Counter()
    members: dict[str, list[Suggestion]] = defaultdict(list)
    for s in findings.suggestions:
        weight = s.details["mentions"] * (0.5 if s.details["ambiguous"] else 1.0)
        for fandom in lexicon.fandoms_of(s.name):
            support[fandom] += weight
            members[fandom].append(s)
    if not support:
        return []
    top = max(support.values())
    out = []
    for fandom, weight in support.most_common():
        if weight < share * top:
            continue
        chars = members[fandom]
        out.append(
            Suggestion(
                name=fandom,
                kind=TagKind.FANDOM.value,
                score=min(1.0, weight / top) * max(c.score for c in chars),
                evidence=[c.evidence[0] for c in chars if c.evidence][:5],
                details={"characters": [c.name for c in chars], "mentions": weight},
            )
        )
    return out
