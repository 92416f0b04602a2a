"""The search query language, shared by /works/search, the filter's "search within
results", the command line and the API.

    dragon "hidden door" -vampire           words, a quoted phrase, an excluded word
    sherlock OR watson                      either (OR binds tighter than the implicit AND)
    sherlock AND NOT watson                 AO3's spelling of "sherlock -watson"
    title:study creator:doyle tag:"Angst"   field terms (quote values with spaces)
    rating:teen words:>10000 kudos:100-500  ratings by name, numeric comparisons and ranges

Words and phrases are matched against the title, summary, notes, chapter text, creators
and tags; ``title:`` matches the title only. Chinese, Japanese and Thai words are found inside
sentences (tokens.py); a pairing written "Harry/Draco" or "Potter&Malfoy" looks for both
names, as "Harry Draco" does. A query the parser cannot read raises
QuerySyntaxError whose message says what is wrong and how to write it instead."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .tokens import highlight_forms, query_words

MAX_QUERY_CHARS = 500
MAX_TERMS = 32

TEXT_FIELDS = {"title"}
TAG_FIELDS = {"tag", "fandom", "character", "relationship"}
NUMERIC_FIELDS = {
    "words": "word_count",
    "kudos": "kudos_count",
    "comments": "comment_count",
    "bookmarks": "bookmark_count",
    "hits": "hit_count",
    "chapters": "chapter_count",
}
OTHER_FIELDS = {"creator", "author", "rating", "language", "complete"}
KNOWN_FIELDS = TEXT_FIELDS | TAG_FIELDS | set(NUMERIC_FIELDS) | OTHER_FIELDS

RATING_ALIASES = {
    "general": "General Audiences",
    "g": "General Audiences",
    "general audiences": "General Audiences",
    "teen": "Teen And Up Audiences",
    "t": "Teen And Up Audiences",
    "teen and up audiences": "Teen And Up Audiences",
    "mature": "Mature",
    "m": "Mature",
    "explicit": "Explicit",
    "e": "Explicit",
    "not rated": "Not Rated",
    "notrated": "Not Rated",
    "unrated": "Not Rated",
}

# Letters and digits; everything else separates words, as both engines' tokenizers do.
# (Words are cut by tokens.query_words, which also splits Chinese, Japanese and Thai.)
WORD_RE = re.compile(r"[^\W_]+")
# "Harry/Draco", "Potter&Malfoy": the relationship separators of AO3's tag names.
_PAIR_SPLIT_RE = re.compile(r"[/&\uff0f\uff06]+")
_NUMBER_RE = re.compile(r"^(>=|<=|>|<|=)?\s*(\d[\d,]*)$")
_RANGE_RE = re.compile(r"^(\d[\d,]*)\s*-\s*(\d[\d,]*)$")


class QuerySyntaxError(ValueError):
    """A query that cannot be read; the message is meant for the reader."""


@dataclass(frozen=True)
class Term:
    """One condition. kind: "text" (words or a phrase), "field" (field:value)."""

    kind: str
    value: str = ""
    words: tuple[str, ...] = ()
    field: str = ""
    op: str = ""
    low: int | None = None
    high: int | None = None
    negated: bool = False

    def describe(self) -> str:
        sign = "-" if self.negated else ""
        if self.kind == "text":
            return (
                f'{sign}"{" ".join(self.words)}"' if len(self.words) > 1 else f"{sign}{self.value}"
            )
        return f"{sign}{self.field}:{self.value}"


@dataclass
class Query:
    """AND of clauses; each clause is an OR of terms."""

    clauses: list[list[Term]] = field(default_factory=list)
    text: str = ""

    def __bool__(self) -> bool:
        return bool(self.clauses)

    @property
    def highlight_words(self) -> list[str]:
        out: list[str] = []
        for clause in self.clauses:
            for term in clause:
                if not term.negated and (term.kind == "text" or term.field == "title"):
                    out.extend(w for w in highlight_forms(term.words) if w not in out)
        return out

    @property
    def has_text(self) -> bool:
        return any(
            not t.negated and (t.kind == "text" or t.field == "title")
            for c in self.clauses
            for t in c
        )


def _words(text: str) -> tuple[str, ...]:
    return query_words(text)


def _pair_pieces(raw: str) -> list[str]:
    """An unquoted, unexcluded word written as a relationship ("Harry/Draco",
    "Potter&Malfoy") as its names, each its own term: fans search pairings so, and the
    names stand apart in tags and text ("Harry Potter/Draco Malfoy"). Else [raw]."""
    if raw.startswith(('"', "-")) or ":" in raw or not _PAIR_SPLIT_RE.search(raw):
        return [raw]
    pieces = [p for p in _PAIR_SPLIT_RE.split(raw) if _words(p)]
    return pieces if len(pieces) > 1 else [raw]


def _tokenize(text: str) -> list[tuple[str, str]]:
    """Split into tokens: ("OR", ""), ("word", raw) with quotes kept, ready for parsing.
    AO3's upper-case AND and NOT (its search help: "AND, OR, NOT") are read as a space
    and as a "-" before the next word; in lower case they are words."""
    tokens: list[tuple[str, str]] = []
    negate_next = False
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
            continue
        start = i
        in_quote = False
        while i < n and (in_quote or not text[i].isspace()):
            if text[i] == '"':
                in_quote = not in_quote
            i += 1
        if in_quote:
            raise QuerySyntaxError(
                _(
                    "A quotation mark in %(text)s is not closed: "
                    'put a " at the end of the phrase, or remove it.'
                )
                % {"text": repr(text[start : start + 40])}
            )
        raw = text[start:i]
        if raw == "AND":  # AO3's explicit AND (Elasticsearch's): the same as a space
            continue
        if negate_next:
            raw = raw if raw.startswith("-") else "-" + raw
            negate_next = False
        elif raw == "NOT":  # AO3's NOT x, the same as -x
            negate_next = True
            continue
        tokens.append(("OR", "") if raw == "OR" else ("word", raw))
    if negate_next:  # a NOT with nothing after it: the lone "-" message says what to do
        tokens.append(("word", "-"))
    return tokens


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == '"' and value[-1] == '"':
        return value[1:-1]
    return value.replace('"', "")


def _number(text: str, name: str) -> int:
    try:
        return int(text.replace(",", ""))
    except ValueError:
        raise QuerySyntaxError(
            _("%(name)s: needs a number, such as %(name)s:>1000 or %(name)s:1000-5000.")
            % {"name": name}
        )


def _field_term(name: str, raw_value: str, negated: bool) -> Term:
    value = _unquote(raw_value).strip()
    if not value:
        raise QuerySyntaxError(
            _('"%(name)s:" needs a value right after the colon, such as %(name)s:%(example)s.')
            % {"name": name, "example": _example(name)}
        )
    if name in NUMERIC_FIELDS:
        match = _NUMBER_RE.match(value)
        if match:
            op = match.group(1) or "="
            return Term(
                kind="field",
                field=name,
                value=value,
                op=op,
                low=_number(match.group(2), name),
                negated=negated,
            )
        match = _RANGE_RE.match(value)
        if match:
            low, high = _number(match.group(1), name), _number(match.group(2), name)
            if low > high:
                raise QuerySyntaxError(
                    _("In %(name)s:%(value)s the first number is larger than the second.")
                    % {"name": name, "value": value}
                )
            return Term(
                kind="field",
                field=name,
                value=value,
                op="range",
                low=low,
                high=high,
                negated=negated,
            )
        raise QuerySyntaxError(
            _(
                "%(name)s:%(value)s is not a number or a range; write %(name)s:>1000, "
                "%(name)s:<500 or %(name)s:1000-5000."
            )
            % {"name": name, "value": value}
        )
    if name == "rating":
        rating = RATING_ALIASES.get(" ".join(value.casefold().split()))
        if rating is None:
            raise QuerySyntaxError(
                _('%(value)s is not a rating; use general, teen, mature, explicit or "not rated".')
                % {"value": repr(value)}
            )
        return Term(kind="field", field="rating", value=rating, negated=negated)
    if name == "complete":
        flag = value.casefold()
        if flag not in {"yes", "no", "true", "false"}:
            raise QuerySyntaxError(_("complete: takes yes or no."))
        return Term(
            kind="field",
            field="complete",
            value="yes" if flag in {"yes", "true"} else "no",
            negated=negated,
        )
    if name == "author":
        name = "creator"
    if name in TAG_FIELDS:
        name = "tag"
    if name == "title":
        words = _words(value)
        if not words:
            raise QuerySyntaxError(_("title: needs letters or digits to look for."))
        return Term(kind="field", field="title", value=value, words=words, negated=negated)
    return Term(kind="field", field=name, value=value, negated=negated)


def _example(name: str) -> str:
    return {
        "tag": '"Alternate Universe"',
        "creator": "name",
        "rating": "teen",
        "title": "dragon",
    }.get(name, ">1000" if name in NUMERIC_FIELDS else "value")


def _term(raw: str) -> Term | None:
    negated = False
    if raw.startswith("-") and len(raw) > 1:
        negated, raw = True, raw[1:]
    elif raw == "-":
        raise QuerySyntaxError(
            'A lone "-" excludes nothing: write it right before a word, as in -vampire.'
        )
    name, colon, rest = raw.partition(":")
    if colon and not name.startswith('"') and name.casefold() in KNOWN_FIELDS:
        return _field_term(name.casefold(), rest, negated)
    words = _words(_unquote(raw) if raw.startswith('"') else raw)
    if not words:
        return None  # punctuation only: nothing to match, dropped
    return Term(kind="text", value=" ".join(words), words=words, negated=negated)


def parse_query(text: str | None) -> Query:
    """Read a query into clauses; raise QuerySyntaxError with a reader-facing message."""
    text = (text or "").strip()
    if len(text) > MAX_QUERY_CHARS:
        raise QuerySyntaxError(
            _("The query is %(length)s characters long; the limit is %(max)s.")
            % {"length": len(text), "max": MAX_QUERY_CHARS}
        )
    query = Query(text=text)
    if not text:
        return query
    tokens = _tokenize(text)
    clause: list[Term] = []
    pending_or = False
    count = 0
    expanded: list[tuple[str, str]] = []
    for n, (kind, raw) in enumerate(tokens):
        next_is_or = n + 1 < len(tokens) and tokens[n + 1][0] == "OR"
        beside_or = next_is_or or (n > 0 and tokens[n - 1][0] == "OR")
        pieces = [raw] if kind == "OR" or beside_or else _pair_pieces(raw)
        expanded.extend((kind, piece) for piece in pieces)
    for kind, raw in expanded:
        if kind == "OR":
            if not clause or pending_or:
                raise QuerySyntaxError(
                    _('"OR" needs a word on each side, as in sherlock OR watson.')
                )
            pending_or = True
            continue
        term = _term(raw)
        if term is None:
            continue
        count += 1
        if count > MAX_TERMS:
            raise QuerySyntaxError(
                _("The query has more than %(max)s terms; shorten it.") % {"max": MAX_TERMS}
            )
        if pending_or:
            clause.append(term)
            pending_or = False
        else:
            if clause:
                query.clauses.append(clause)
            clause = [term]
    if pending_or:
        raise QuerySyntaxError(_('"OR" needs a word on each side, as in sherlock OR watson.'))
    if clause:
        query.clauses.append(clause)
    for clause in query.clauses:
        if len(clause) > 1 and any(t.negated for t in clause):
            raise QuerySyntaxError(
                'An excluded word cannot be one side of OR; write the exclusion on its own, as in "a OR b -c".'
            )
    return query
