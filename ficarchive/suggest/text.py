"""Plain text, sentences, paragraphs and dialogue of a chapter.

Every offset the suggestion engine reports is a character offset into the string
that :func:`plain_text_of` returns for the chapter as stored (sanitized HTML or plain
text). The posting page calls the same function to show and highlight evidence.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import cached_property

from ficarchive.works.text import html_to_text, looks_like_html

# A word as has_lowercase delimits it: letters, joined by apostrophes or hyphens.
_TOKEN = re.compile(r"(?<![\w'’-])[^\W\d_]+(?:['’-][^\W\d_]+)*")


def lowercase_tokens(chunks: list[str]) -> set[str]:
    """The lowercase words (as :data:`_TOKEN` delimits them) of a text given as its
    whitespace-separated ``chunks`` (``text.split()``): the same set as
    ``{w for w in _TOKEN.findall(text) if w.islower()}``.

    A token never spans whitespace (its letters, apostrophes and hyphens are not
    whitespace, nor is what may precede it), so the tokens are those of each distinct
    chunk; a chunk of letters alone is one token, and only the others are searched,
    together in one string.
    """
    distinct = set(chunks)
    mixed = [c for c in distinct if not c.isalpha()]
    distinct.difference_update(mixed)
    found = {c for c in distinct if c.islower()}
    found.update(w for w in set(_TOKEN.findall(" ".join(mixed))) if w.islower())
    return found


def plain_text_of(html: str) -> str:
    """Return the plain text of a chapter body, the text all evidence offsets point into.

    HTML (text holding real HTML tags) goes through works.text.html_to_text: script and
    style contents are dropped, block elements (``p``, ``div``, headings, …) are
    separated by one blank line and ``<br>`` becomes a newline. Plain text is kept as
    written. In both cases runs of spaces and tabs (and no-break spaces) become one
    space, spaces next to a newline are removed, three or more newlines become two, and
    the result is stripped. Applying the function to its own output changes nothing.
    """
    if not html:
        return ""
    if looks_like_html(html):
        return html_to_text(html)
    return _normalize(html.replace("\r\n", "\n").replace("\r", "\n"))


# works.text.normalize_text's rules in one pass that matches only what changes: its three
# expressions matched every space and every newline and put each back as it was, and
# that was most of the CPU of reading a plain-text chapter. A run of spaces (of any
# kind: normalize_text's set) and newlines becomes its newlines, two at most, or one
# space when it has none; a lone space or newline is left alone. tests/test_fast_paths.py
# checks that the result is normalize_text's on any text.
_INLINE = "[ \t\f\v\r\u00a0\u2000-\u200a\u202f\u205f\u3000]"
_INLINE_NOT_SPACE = "[\t\f\v\r\u00a0\u2000-\u200a\u202f\u205f\u3000]"
_SPACE_RUN = re.compile(f"{_INLINE[:-1]}\\n](?:{_INLINE[:-1]}\\n]+|(?<={_INLINE_NOT_SPACE}))")


def _collapsed(m: re.Match[str]) -> str:
    newlines = m.group(0).count("\n")
    return "\n" * min(newlines, 2) if newlines else " "


def _normalize(raw: str) -> str:
    """``normalize_text(raw)``, faster."""
    return _SPACE_RUN.sub(_collapsed, raw).strip()


# --- Segmentation ------------------------------------------------------------------

# Sentence ends: terminal punctuation with any closing quotes/brackets, followed by space;
# or a paragraph break.
_SENTENCE_END = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s)|\n\s*\n")
# The same matches, written to start with one character class so that the regular
# expression engine skips to the next candidate character in C (a leading alternation
# of classes gets no such skip); tests/test_text.py compares the two.
_SENTENCE_END_FAST = re.compile(r"[.!?…\n](?:(?<=[.!?…])[.!?…]*[\"'”’)\]]*(?=\s)|(?<=\n)\s*\n)")
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr st prof capt col lt sgt rev jr sr mt gen gov hon messrs mme mlle no vs etc".split()
)
_WORD_BEFORE = re.compile(r"([^\W\d_]+)\W*$")
# _WORD_BEFORE matched from the end, on the reversed 12 characters before a full stop.
_WORD_BEFORE_REVERSED = re.compile(r"\W*([^\W\d_]+)")


# The last two letters of each abbreviation: a full stop after two lowercase ASCII
# letters that are not one of these cannot end an abbreviation.
_ABBREVIATION_ENDS = frozenset(a[-2:] for a in _ABBREVIATIONS)


def _abbreviation_before(text: str, stop: int) -> bool:
    """Whether the full stop at ``stop`` follows an abbreviation ("Mr.") or an
    initial ("J."): the word :func:`_word_before` finds is one of
    :data:`_ABBREVIATIONS` or a single capital letter."""
    tail = text[stop - 2 : stop]
    if len(tail) == 2 and tail.isascii() and tail.isalpha() and tail.islower():
        if tail not in _ABBREVIATION_ENDS:
            return False
    word = _word_before(text, stop + 1)
    if not word:
        return False
    return word.lower() in _ABBREVIATIONS or (len(word) == 1 and word.isupper())


def _word_before(text: str, end: int) -> str | None:
    """The letters that ``_WORD_BEFORE`` finds searching ``text[end - 12 : end]`` (the
    last run of letters followed by nothing but non-word characters), found with one
    match of the reversed window rather than a search from each of its positions."""
    m = _WORD_BEFORE_REVERSED.match(text[max(0, end - 12) : end][::-1])
    return m.group(1)[::-1] if m else None


_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
# Quoted speech: straight or curly double quotes, and curly single quotes, not crossing
# a paragraph break (an unclosed quote ends with its paragraph, as in British style).
_DIALOGUE = re.compile(
    r"[\"“](?:[^\"“”\n]|\n(?![ \t]*\n))*(?:[\"”]|(?=\n[ \t]*\n)|$)"
    r"|‘(?:[^‘’\n]|’(?=[^\W_])|\n(?![ \t]*\n))*(?:’|(?=\n[ \t]*\n)|$)"
)
# _DIALOGUE written to start with one character class, as _SENTENCE_END_FAST. In double
# quotes the speech is read possessively, in runs: a double quote can only end where
# that run stops (its characters are none of the closing ones, and it stops before a
# blank line), so giving characters back, one at a time, could never find another end.
# Single quotes keep the original form: there a ’ read as an apostrophe may be the end.
_DIALOGUE_FAST = re.compile(
    r"[\"“‘](?:(?<=[\"“])(?:[^\"“”\n]++|\n(?![ \t]*\n))*+(?:[\"”]|(?=\n[ \t]*\n)|$)"
    r"|(?<=‘)(?:[^‘’\n]|’(?=[^\W_])|\n(?![ \t]*\n))*(?:’|(?=\n[ \t]*\n)|$))"
)
WORD = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*")


@dataclass
class Chapter:
    """A chapter's plain text with its sentences, paragraphs and dialogue located."""

    number: int  # 1-based, in reading order
    text: str
    sentence_starts: list[int] = field(default_factory=list)
    sentence_ends: list[int] = field(default_factory=list)
    sentence_paragraph: list[int] = field(default_factory=list)
    dialogue_starts: list[int] = field(default_factory=list)
    dialogue_ends: list[int] = field(default_factory=list)

    @classmethod
    def from_text(cls, number: int, text: str) -> Chapter:
        """Segment ``text`` (already the output of :func:`plain_text_of`)."""
        chapter = cls(number=number, text=text)
        chapter._segment()
        return chapter

    def _segment(self) -> None:
        text = self.text
        para_breaks = [m.end() for m in _PARAGRAPH_BREAK.finditer(text)]
        start = 0
        ends: list[tuple[int, int]] = []
        for m in _SENTENCE_END_FAST.finditer(text):
            at = m.start()
            if text[at] == "." and _abbreviation_before(text, at):
                continue
            ends.append((start, m.end()))
            start = m.end()
        if start < len(text):
            ends.append((start, len(text)))
        for s, e in ends:
            # Trim surrounding whitespace so sentences start on a character.
            while s < e and text[s].isspace():
                s += 1
            while e > s and text[e - 1].isspace():
                e -= 1
            if s < e:
                self.sentence_starts.append(s)
                self.sentence_ends.append(e)
                self.sentence_paragraph.append(bisect.bisect_right(para_breaks, s))
        for m in _DIALOGUE_FAST.finditer(text):
            self.dialogue_starts.append(m.start())
            self.dialogue_ends.append(m.end())

    @cached_property
    def lowered(self) -> str:
        """``text.lower()``, made once for the detectors that read it."""
        return self.text.lower()

    @cached_property
    def _split(self) -> list[str]:
        """``text.split()``, made once: the word count and the lowercase words use it."""
        return self.text.split()

    @cached_property
    def words(self) -> int:
        """Number of words (whitespace-separated) in the chapter."""
        return len(self._split)

    def has_lowercase(self, word: str) -> bool:
        """Whether ``word`` occurs in lowercase somewhere (to tell names from ordinary words)."""
        words = self.__dict__.get("_lowercase_words")
        if words is None:
            # One pass over the text for every word asked about (a search per word was
            # one of the engine's slowest steps on long works).
            words = lowercase_tokens(self._split)
            self.__dict__["_lowercase_words"] = words
        return word.lower() in words

    def sentence_at(self, offset: int) -> int:
        """Index of the sentence containing ``offset`` (or the one just before it)."""
        return max(0, bisect.bisect_right(self.sentence_starts, offset) - 1)

    def in_dialogue(self, offset: int) -> bool:
        """Whether ``offset`` lies inside quoted speech."""
        i = bisect.bisect_right(self.dialogue_starts, offset) - 1
        return i >= 0 and offset < self.dialogue_ends[i]

    def is_sentence_initial(self, offset: int) -> bool:
        """Whether only punctuation separates ``offset`` from its sentence's start."""
        s = self.sentence_starts[self.sentence_at(offset)] if self.sentence_starts else 0
        return not any(ch.isalnum() for ch in self.text[s:offset])

    def excerpt(self, start: int, end: int, width: int = 220) -> tuple[int, str]:
        """The sentence around ``start:end`` (clipped to ``width``), and where it begins."""
        if not self.sentence_starts:
            return 0, self.text[:width]
        i = self.sentence_at(start)
        j = self.sentence_at(max(start, end - 1))
        s, e = self.sentence_starts[i], self.sentence_ends[j]
        if e - s > width:
            s = max(s, start - width // 3)
            e = min(e, max(end, s + width))
            while s > 0 and s < start and not self.text[s - 1].isspace():
                s += 1
        return s, self.text[s:e]


_NEGATION = re.compile(
    r"(?:\b(?:not|never|no|nobody|none|nothing|neither|nor|without|hardly|barely|scarcely|almost|nearly|"
    r"cannot|refused to|failed to|pretend(?:ed)? to)\b|n['’]t\b)[^.;:!?\"“”]{0,28}$",
    re.I,
)
_HYPOTHETICAL = re.compile(
    r"\b(?:would|could|might|may|will|shall|should|must|if|unless|whether|lest|threaten(?:ed|s)? to|"
    r"wants? to|wanted to|going to|gonna|afraid|feared|fear|dream(?:ed|t)?|imagine[ds]?|wish(?:ed)?|"
    r"as if|as though|almost|like to)\b[^.;:!?\"“”]{0,24}$",
    re.I,
)


def negated(text: str, start: int, sentence_start: int) -> bool:
    """Whether the cue at ``start`` is negated ("did not die", "never kissed", "almost killed")."""
    return bool(_NEGATION.search(text, max(sentence_start, start - 48), start))


def hypothetical(text: str, start: int, sentence_start: int) -> bool:
    """Whether the cue at ``start`` is conditional, threatened or imagined ("would kill")."""
    return bool(_HYPOTHETICAL.search(text, max(sentence_start, start - 40), start))
