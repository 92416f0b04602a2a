"""The query language: what the parser reads, and the messages for what it cannot."""

from __future__ import annotations

import pytest

from ficarchive.discovery.query import QuerySyntaxError, parse_query


def _shape(text):
    return [
        [(t.kind, t.field, t.words or t.value, t.negated) for t in clause]
        for clause in parse_query(text).clauses
    ]


def test_words_and_phrases():
    """Bare words are separate AND-ed terms; a quoted phrase is one term of several words."""
    assert _shape('dragon "Hidden Door"') == [
        [("text", "", ("dragon",), False)],
        [("text", "", ("hidden", "door"), False)],
    ]


def test_negation_and_or():
    """-word excludes; OR joins its neighbours into one clause."""
    assert _shape("sherlock OR watson -vampire") == [
        [("text", "", ("sherlock",), False), ("text", "", ("watson",), False)],
        [("text", "", ("vampire",), True)],
    ]


def test_field_terms():
    """title:, creator:, tag: with quotes, rating aliases and numeric comparisons."""
    query = parse_query(
        'title:study creator:bob tag:"Alternate Universe" rating:teen words:>10000 kudos:100-500'
    )
    terms = [c[0] for c in query.clauses]
    assert [(t.field, t.value) for t in terms[:4]] == [
        ("title", "study"),
        ("creator", "bob"),
        ("tag", "Alternate Universe"),
        ("rating", "Teen And Up Audiences"),
    ]
    assert (terms[4].op, terms[4].low) == (">", 10000)
    assert (terms[5].op, terms[5].low, terms[5].high) == ("range", 100, 500)


def test_unknown_field_is_text():
    """A colon in an ordinary word (Re:Zero) is not a field: the word is searched."""
    assert _shape("Re:Zero") == [[("text", "", ("re", "zero"), False)]]


def test_punctuation_only_terms_are_dropped():
    """A term with no letters or digits matches nothing and is left out."""
    assert _shape("dragon !!! ...") == [[("text", "", ("dragon",), False)]]
    assert not parse_query("   ")


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ('"hidden door', "not closed"),
        ("OR dragon", "OR"),
        ("dragon OR", "OR"),
        ("a OR OR b", "OR"),
        ("words:>lots", "not a number"),
        ("words:500-100", "larger"),
        ("rating:spicy", "not a rating"),
        ("title:", "needs a value"),
        ("- dragon", "lone"),
        ("a OR -b", "excluded word"),
        ("x" * 600, "limit"),
        ("complete:maybe", "yes or no"),
    ],
)
def test_malformed_queries_explain_themselves(text, fragment):
    """Every malformed query raises QuerySyntaxError with a message saying what to fix."""
    with pytest.raises(QuerySyntaxError) as info:
        parse_query(text)
    assert fragment in str(info.value)


def test_too_many_terms():
    """Queries past the term limit are refused rather than run."""
    with pytest.raises(QuerySyntaxError):
        parse_query(" ".join(f"w{i}" for i in range(40)))


def test_ao3_and_not_operators():
    """AO3's upper-case AND and NOT read as a space and a "-": `NOT alice` used to search
    for the words "not" and "alice", the opposite of what an AO3 reader meant."""
    assert _shape("sherlock AND NOT watson") == _shape("sherlock -watson")
    assert _shape('NOT "hidden door" dragon') == _shape('-"hidden door" dragon')
    assert _shape("NOT -vampire") == _shape("-vampire")
    assert _shape("not and") == [
        [("text", "", ("not",), False)],
        [("text", "", ("and",), False)],
    ]
    with pytest.raises(QuerySyntaxError, match='lone "-"'):
        parse_query("dragon NOT")
