"""Search in every script (issue 12, kind 7): Chinese and Japanese words inside sentences,
relationships written "A/B" and "A & B", and exclusions on the command line. Run on
SQLite and PostgreSQL (scripts/with-postgres.sh), on both engines."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command

from ficarchive.discovery.query import parse_query
from ficarchive.discovery.search import search_works
from ficarchive.discovery.tokens import highlight_forms, index_text, query_words
from ficarchive.testing import make_user, make_work

GUEST = None


def ids(q: str) -> set[int]:
    return {w.pk for w in search_works(GUEST, {"q": q}, page_size=50).works}


@pytest.fixture
def shelf(db):
    author = make_user("writer")
    zh = make_work(
        author,
        title="我喜欢魔法少女的故事",
        chapters=["她在图书馆里找到了一本旧书。"],
        summary="<p>一个关于友谊和勇气的故事。</p>",
    )
    ja = make_work(
        author,
        title="Harbour Lights",
        chapters=["彼女は毎朝、港で灯台守と話していた。"],
    )
    pair = make_work(
        author,
        title="After the War",
        relationships=["Harry Potter/Draco Malfoy"],
        chapters=["They met again at King's Cross."],
    )
    plain = make_work(
        author,
        title="Only Harry",
        chapters=["Harry walked alone. Draco was not in this story, nor was Potter."],
    )
    written = make_work(
        author,
        title="Letters",
        chapters=["Harry wrote to Draco; Malfoy wrote back to Potter at last."],
    )
    return {"zh": zh, "ja": ja, "pair": pair, "plain": plain, "written": written}


def test_tokens_split_scripts_without_spaces():
    """Han, kana and Thai characters become tokens of their own, at index and query time."""
    assert query_words("魔法少女") == ("魔", "法", "少", "女")
    assert query_words("Renée Zoë") == ("renée", "zoë")
    assert query_words("हूँ") == ("हूँ",)
    assert index_text("私は魔法が好き。") == "私 は 魔 法 が 好 き"
    assert index_text("Harry Potter/Draco Malfoy; example.org") == (
        "Harry Potter Draco Malfoy example org"
    )
    assert highlight_forms(("魔", "法", "harry")) == ["魔法", "harry"]


def test_cjk_word_inside_a_sentence_is_found(shelf, engine):
    """A Chinese or Japanese word inside a sentence is found in title, summary and text."""
    assert ids("魔法") == {shelf["zh"].pk}  # title
    assert ids("勇气") == {shelf["zh"].pk}  # summary
    assert ids("图书馆") == {shelf["zh"].pk}  # chapter text
    assert ids("灯台守") == {shelf["ja"].pk}
    assert ids("魔女") == set()  # both characters, but not next to each other
    assert ids("title:少女") == {shelf["zh"].pk}


def test_cjk_match_is_highlighted(shelf):
    """The snippet marks the CJK word where it stands in the sentence."""
    result = search_works(GUEST, {"q": "图书馆"})
    assert "<mark>图书馆</mark>" in result.snippets[shelf["zh"].pk]


@pytest.mark.parametrize(
    "q", ["Harry/Draco", "Potter/Malfoy", "Harry & Draco", "Potter&Malfoy", "Harry Draco"]
)
def test_relationship_queries_find_both_names(shelf, engine, q):
    """ "A/B" and "A & B" find works tagged or written with both names, as "A B" does."""
    found = ids(q)
    assert shelf["pair"].pk in found and shelf["written"].pk in found
    assert shelf["zh"].pk not in found


def test_pair_query_parses_as_two_terms_but_not_beside_or():
    """Harry/Draco is two terms; next to OR, or quoted, it stays one phrase."""
    assert [t.words for c in parse_query("Harry/Draco").clauses for t in c] == [
        ("harry",),
        ("draco",),
    ]
    assert len(parse_query('"Harry/Draco"').clauses) == 1
    assert len(parse_query("Harry/Draco OR Sirius").clauses) == 1


def _cli(*args: str) -> list[int]:
    out = io.StringIO()
    call_command("search", "--json", *args, stdout=out)
    return [json.loads(line)["id"] for line in out.getvalue().splitlines()]


def test_command_line_query_may_start_with_an_exclusion(shelf):
    """`ficarchive search -vampire` and `search -- -word` exclude; they are not options."""
    everything = set(_cli())
    assert set(_cli("-Draco")) == {shelf["zh"].pk, shelf["ja"].pk}
    assert len(everything) == 5
    assert set(_cli("--", "-Draco")) == set(_cli("-Draco"))
    assert set(_cli("Harry", "-vampire")) == {
        shelf["pair"].pk,
        shelf["plain"].pk,
        shelf["written"].pk,
    }
    assert set(_cli("-Draco", "--limit", "5")) <= everything
