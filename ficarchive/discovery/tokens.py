"""How text is cut into searchable words, the same at index time and at query time, for
both full-text engines (SQLite FTS5's unicode61 tokenizer and PostgreSQL's 'simple'
configuration split on spaces and punctuation, so the cutting they cannot do is done here).

Chinese, Japanese and Thai are written without spaces between words, so a word inside a
sentence is no token of its own. Each character (grapheme cluster, so a Thai vowel sign
stays with its consonant) of those scripts is made a token of its own, in the index and in
the query; a query word of several such characters then becomes a phrase of adjacent
characters, which finds it anywhere in a sentence ("魔法" in "魔法少女が好き"). This is the
unigram indexing that CJK search engines without a dictionary use (Lucene's CJK bigram
filter is the bigram form of it). The index holds the words alone, set apart by single
spaces, so that no engine's own parser glues two of them together. Hangul is written with spaces and is left as it is.

Words are runs of letters, combining marks and digits (regex's \\p{L}, \\p{M}, \\p{N}); every
other character separates them, so "Harry/Draco" and "A & B" are words of their own."""

from __future__ import annotations

import regex

_BY_CHAR = r"\p{Han}\p{Hiragana}\p{Katakana}\p{Thai}"
_BY_CHAR_RE = regex.compile(rf"[{_BY_CHAR}]")
# One grapheme cluster of a by-character script, or a run of other word characters.
_TOKEN_RE = regex.compile(
    rf"(?=[{_BY_CHAR}])\X|[[\p{{L}}\p{{M}}\p{{N}}]--[{_BY_CHAR}\ufe00-\ufe0f]]+", flags=regex.V1
)


def is_by_character(token: str) -> bool:
    """True for a token of a script searched character by character (Han, kana, Thai)."""
    return bool(_BY_CHAR_RE.match(token))


def query_words(text: str) -> tuple[str, ...]:
    """The words of a piece of query text, case-folded, in order: "Renée" -> ("renée",),
    "魔法少女" -> ("魔", "法", "少", "女"), "don't" -> ("don", "t")."""
    return tuple(t.casefold() for t in _TOKEN_RE.findall(text))


def index_text(text: str) -> str:
    """Text as the full-text index should see it: its words (query_words's cut, case
    kept) separated by single spaces. Every other character goes, so both engines see the
    same words: PostgreSQL's parser would otherwise keep "Potter/Draco" as one file-path
    token and "example.org" as a host, where FTS5 sees two words."""
    return " ".join(_TOKEN_RE.findall(text))


def highlight_forms(words: tuple[str, ...]) -> list[str]:
    """The strings to mark in a snippet for one term's words: by-character tokens next to
    each other are joined again ("魔", "法" -> "魔法"), other words stay one by one."""
    out: list[str] = []
    run = ""
    for word in words:
        if is_by_character(word):
            run += word
            continue
        if run:
            out.append(run)
            run = ""
        out.append(word)
    if run:
        out.append(run)
    return out
