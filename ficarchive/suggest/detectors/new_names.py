"""Characters named in the text that the archive has no tag for yet, proposed as new tags.

A name is a capitalised word used again and again in mid-sentence (where capitals are not
just grammar) and never, or hardly ever, in lowercase ("Will" the name, "will" the verb);
titles, days, months and the like are left out. Two such words side by side often enough
make a full name ("Anna Berg"), as AO3 character tags are spelt. Nothing here reads the
archive: the caller leaves out names its lexicon already knows.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence

import regex

from ficarchive.tags.vocabulary import TagKind

from ..lexicon import _TITLES, FormStrength
from ..suggestions import Evidence, Suggestion
from ..text import Chapter
from .characters import MINOR_SHARE, CharacterFindings, Mention

MIN_MENTIONS = 5  # mid-sentence uses before a word counts as a name
MAX_LOWER_SHARE = 0.1  # lowercase uses allowed, as a share of the capitalised ones
MIN_PAIR = 2  # "First Last" side by side this often makes a full name
LIMIT = 8
_CAPITALISED = regex.compile(r"(?<![\w'’\-])\p{Lu}\p{Ll}+(?![\w'’\-])")
_PAIR = regex.compile(r"(?<![\w'’\-])(\p{Lu}\p{Ll}+)[ \t]+(\p{Lu}\p{Ll}+)(?![\w'’\-])")
_RUN = regex.compile(r"[\w'’\-]+")
_OPENING = " \t\"“‘'([*-"
NAMES_UNSUPPORTED = (
    "Characters and relationships are found from names written in Latin letters; this "
    "text is in another script, so only the archive's own tags can be chosen by hand."
)
_LETTER = regex.compile(r"\p{L}")
_LATIN = regex.compile(r"\p{Latin}")
_ENDING = ".!?\n:…—"
# Capitalised words that are not characters' names (general English, written for this
# project): pronouns, titles and kinship words used alone, modal and question words
# that open questions ("Will you", "Can I"), interjections, days, months, holidays,
# nationalities.
_NOT_NAMES = frozenset(
    """i i'm i've i'll i'd mr mrs ms miss dr sir lady lord madam captain sergeant professor
    king queen prince princess general admiral commander colonel major lieutenant doctor
    detective inspector officer agent president senator councilor councillor chancellor
    emperor empress duke duchess god christ jesus heaven hell christmas easter halloween
    thanksgiving hanukkah ramadan monday tuesday wednesday thursday friday saturday sunday
    january february march april may june july august september october november december
    english french german american british chinese japanese russian italian spanish
    okay ok tv oh ah uh um hey yes no yeah yep nope well please thanks sorry wow hmm huh
    damn can could would should shall might must what why how when where who whom
    whose which mom mum dad mother father grandma grandpa aunt uncle mama papa ma pa
    granny""".split()
)
# Words before a capitalised word that make it a place or a thing rather than a person:
# "the Alliance", "in Boston", "across London" (not "at", "to" or "from", which people
# take as often: "smiled at Anna", "said to Anna", "a letter from Anna").
_NOT_PERSON_BEFORE = re.compile(
    r"(?<![\w'’\-])(?:[Tt]he|in|into|inside|outside|near|across|throughout)[ \t]+$"
)
NOT_PERSON_SHARE = 0.3  # of a word's mid-sentence uses, after those words
INSIDE_SHARE = 0.5  # of its uses, after a capitalised ordinary word ("New York")


def latin_script(chapters: Sequence[Chapter], sample: int = 20000) -> bool:
    """Whether most letters of the text's start are Latin (names are then found by their
    capitals); Chinese, Japanese, Arabic or Cyrillic text is not, and gets
    :data:`NAMES_UNSUPPORTED` from the engine. An empty text counts as Latin."""
    text = "".join(ch.text[:sample] for ch in chapters[:3])[:sample]
    letters = len(_LETTER.findall(text))
    return not letters or len(_LATIN.findall(text)) >= 0.5 * letters


def _initial(text: str, at: int) -> bool:
    """Whether the word at ``at`` opens a sentence, line or quotation (so its capital
    says nothing)."""
    j = at - 1
    while j >= 0 and text[j] in _OPENING:
        j -= 1
    return j < 0 or text[j] in _ENDING


def _names_in(
    chapters: Sequence[Chapter],
) -> tuple[
    Counter[str], Counter[str], Counter[str], dict[str, list[tuple[int, int, int]]], Counter[str]
]:
    """Mid-sentence uses of each capitalised word, every run of word characters (for the
    lowercase uses of a word; empty when no word is used often enough to matter),
    capitalised pairs side by side, where each capitalised word is used, and its uses
    after words that make it a place or a thing (:data:`_NOT_PERSON_BEFORE`)."""
    mid: Counter[str] = Counter()
    pairs: Counter[str] = Counter()
    not_person: Counter[str] = Counter()
    used_at: dict[str, list[tuple[int, int, int]]] = {}
    for ch in chapters:
        text = ch.text
        for m in _CAPITALISED.finditer(text):
            if not _initial(text, m.start()):
                word = m.group(0)
                mid[word] += 1
                used_at.setdefault(word, []).append((ch.number, m.start(), m.end()))
        pairs.update(f"{a} {b}" for a, b in _PAIR.findall(text, overlapped=True))
    chapter_of = {ch.number: ch for ch in chapters}
    for word, n in mid.items():
        if n >= MIN_MENTIONS:
            # Only the words used often enough to be names: the 16 characters before each use.
            for number, start, _ in used_at[word]:
                if _NOT_PERSON_BEFORE.search(chapter_of[number].text, max(0, start - 16), start):
                    not_person[word] += 1
    lower: Counter[str] = Counter()
    if any(n >= MIN_MENTIONS for n in mid.values()):
        # A lowercase use is a whole run of word characters, apostrophes and hyphens
        # equal to the word: counting every run once (C code) costs a fraction of
        # searching the text for an alternation of the frequent words. (Only the
        # lowercase runs are ever asked about.)
        for ch in chapters:
            lower.update(_RUN.findall(ch.text))
    return mid, lower, pairs, used_at, not_person


def detect_new_characters(
    chapters: Sequence[Chapter], known: Callable[[str], bool]
) -> list[Suggestion]:
    """Names the text uses often that ``known`` (the archive's lexicon) does not know,
    best first, at most :data:`LIMIT`, each with ``details["new"] = True``, its mention
    count and up to three passages; confidence grows with mentions, at most 0.6."""
    mid, lower, pairs, used_at, not_person = _names_in(chapters)
    # Uses right after a capitalised ordinary word ("New York", "Grand Central"): the end
    # of a longer proper noun, not a person's first or family name. Titles before a
    # name ("Captain Kirk", "Aunt May") are not ordinary words here.
    inside: Counter[str] = Counter()
    for pair, n in pairs.items():
        first, last = pair.split(" ")
        if mid[last] >= MIN_MENTIONS and lower[first.lower()] and first.lower() not in _TITLES:
            inside[last] += n
    names = {
        w: n
        for w, n in mid.items()
        if n >= MIN_MENTIONS
        and w.lower() not in _NOT_NAMES
        and lower[w.lower()] <= MAX_LOWER_SHARE * n
        and not_person[w] < NOT_PERSON_SHARE * n
        and inside[w] < INSIDE_SHARE * n
        # A plural of another capitalised word ("Vulcans", "the Watsons"): a people, a family.
        and not (w.endswith("s") and mid[w[:-1]])
        and not known(w)
    }
    full: dict[str, int] = {}
    for pair, n in pairs.items():
        first, last = pair.split(" ")
        if (
            n >= MIN_PAIR
            and first in names
            and last.lower() not in _NOT_NAMES
            # "Iserlohn Fortress", "York City": the second word is an ordinary word.
            and lower[last.lower()] <= MAX_LOWER_SHARE * max(n, mid[last])
            and not known(pair)
        ):
            full[first] = max(full.get(first, 0), n)
            names.pop(last, None)
            names[pair] = names.pop(first, n)
    chapter_of = {ch.number: ch for ch in chapters}
    out = []
    for name, n in sorted(names.items(), key=lambda kv: -kv[1])[:LIMIT]:
        evidence = []
        for number, start, end in used_at.get(name.split(" ")[0], [])[:3]:
            at, excerpt = chapter_of[number].excerpt(start, end)
            evidence.append(Evidence(number, start, end, excerpt, at))
        out.append(
            Suggestion(
                name=name,
                kind=TagKind.CHARACTER.value,
                score=min(0.6, 0.2 + n / 50),
                evidence=evidence,
                details={"new": True, "mentions": n},
            )
        )
    return out


def with_new_names(
    chapters: Sequence[Chapter], findings: CharacterFindings, new: Sequence[Suggestion]
) -> CharacterFindings:
    """``findings`` joined with the mentions of the ``new`` names (from
    :func:`detect_new_characters`), so that relationships and genders are read for
    characters the archive has no tag for yet. A full name ("Anna Berg") is found whole
    and by each of its words. A new name mentioned less than
    :data:`~.characters.MINOR_SHARE` as often as the most-mentioned character is not
    proposed (its mentions stay, for the pronouns). The new names' suggestions come after the archive's
    characters, keep ``details["new"] = True`` and their confidence (≤ 0.6), and gain
    the mention details (in dialogue, in narration) the other detectors read.
    ``findings`` itself is not changed."""
    if not new:
        return findings
    forms: dict[str, str] = {}
    for s in new:
        forms[s.name] = s.name
        for part in s.name.split(" "):
            forms.setdefault(part, s.name)
    pattern = regex.compile(
        r"(?<![\w'’\-])(?:"
        + "|".join(regex.escape(f) for f in sorted(forms, key=len, reverse=True))
        + r")(?![\w\-])"
    )
    merged = CharacterFindings(
        mentions=list(findings.mentions),
        counts=Counter(findings.counts),
        suggestions=list(findings.suggestions),
    )
    spoken: Counter[str] = Counter()
    for ch in chapters:
        for m in pattern.finditer(ch.text):
            name = forms[m.group(0)]
            dialogue = ch.in_dialogue(m.start())
            strength = FormStrength.FULL if m.group(0) == name else FormStrength.SHORT
            merged.mentions.append(
                Mention(
                    ch.number,
                    m.start(),
                    m.end(),
                    name,
                    strength,
                    ch.sentence_at(m.start()),
                    dialogue,
                )
            )
            merged.counts[name] += 1
            spoken[name] += dialogue
    floor = MINOR_SHARE * max([merged.counts[s.name] for s in merged.suggestions], default=0)
    for s in new:
        n = merged.counts[s.name]
        if not n or n < floor:
            continue  # a passing mention beside the work's main characters
        details = {
            **s.details,
            "mentions": n,
            "in_dialogue": spoken[s.name],
            "in_narration": n - spoken[s.name],
            "ambiguous": False,
            "fandoms": [],
        }
        merged.suggestions.append(Suggestion(s.name, s.kind, s.score, s.evidence, details))
    return merged
