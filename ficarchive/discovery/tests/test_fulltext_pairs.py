"""Phrase search from the word-pair index (PostgreSQL, migration 0008) and relevance that
ranks the ids already matched: the same works in the same order as the phrase query on the
documents, for every kind of phrase; the pairs kept fresh by the one write path."""

from __future__ import annotations

import importlib

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection

from ficarchive.core.viewers import OPERATOR
from ficarchive.discovery.search import search_works
from ficarchive.testing import make_user, make_work
from ficarchive.works.models import Chapter

pytestmark = pytest.mark.django_db

GUEST = AnonymousUser()

# Texts with what a phrase must see through: punctuation, hyphens, apostrophes, case,
# repeated words, accents, Cyrillic, Arabic, Chinese and Japanese (set apart per
# character by tokens.index_text), and the join between a work's title and its text.
TEXTS = [
    ("Harbor Lights", "She opened the door slowly. The door, the door!"),
    ("Facts", "A well-known fact: don't say it, said softly."),
    ("Strasse", "Über die Straße gingen wir, über die Brücke."),
    ("Cyrillic", "Он открыл дверь медленно, и дверь скрипнула."),
    ("Tokyo", "東京の夜は静かだった。東京タワー。"),
    ("Arabic", "مرحبا بالعالم الجميل، قال بهدوء."),
    ("Softly", "said softly; said Softly, SAID softly... softly said"),
    ("The The", "the the the end of the door"),
    ("Door Slowly", "Nothing but a cat and a door slowly closing."),
]

QUERIES = [
    '"the door"',
    '"door the"',
    '"well known"',
    '"well-known fact"',
    '"don\'t say"',
    '"die Straße"',
    '"открыл дверь"',
    '"東京"',
    '"بالعالم الجميل"',
    '"said softly"',
    '"softly said"',
    '"the the"',
    '"the the the end"',
    '"opened the door slowly"',
    '"door slowly"',
    'title:"harbor lights"',
    'title:"door slowly"',
    '"lights she"',
    '"said softly" door',
    '"door slowly" -cat',
    '"the door" OR "said softly"',
    '"nowhere found"',
    "door",
]


@pytest.fixture
def corpus(db):
    author = make_user("author")
    return {title: make_work(author, title=title, chapters=[text]) for title, text in TEXTS}


def _ids(query: str, viewer=GUEST) -> list[int]:
    return [w.pk for w in search_works(viewer, {"q": query}).works]


def test_phrases_find_the_works_with_the_words_side_by_side(corpus, engine):
    """On both databases and both engines: a phrase finds the works holding its words
    next to each other, across punctuation, case and scripts, and no other."""
    w = corpus
    assert set(_ids('"the door"')) == {w["Harbor Lights"].pk, w["The The"].pk}
    assert set(_ids('"said softly"')) == {w["Facts"].pk, w["Softly"].pk}
    assert set(_ids('"door slowly"')) == {w["Harbor Lights"].pk, w["Door Slowly"].pk}
    assert _ids('"opened the door slowly"') == [w["Harbor Lights"].pk]
    assert _ids('"открыл дверь"') == [w["Cyrillic"].pk]
    assert _ids('"東京"') == [w["Tokyo"].pk]
    assert _ids('"بالعالم الجميل"') == [w["Arabic"].pk]
    assert _ids('"the the the end"') == [w["The The"].pk]
    assert _ids('"door slowly" -cat') == [w["Harbor Lights"].pk]
    assert _ids('title:"door slowly"') == [w["Door Slowly"].pk]
    assert _ids('"nowhere found"') == []


@pytest.fixture
def postgres():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    from ficarchive.discovery.backends import postgres

    postgres._HAS_RUM.clear()
    return postgres


def _old_way(monkeypatch, postgres) -> None:
    """The search as it was: every phrase on the documents, ranking evaluating it again."""
    monkeypatch.setattr(postgres, "pair_query", lambda expression: None)
    monkeypatch.setattr(postgres, "RANKS_GIVEN_IDS", False)


def test_same_works_in_the_same_order_as_before(corpus, engine, postgres, monkeypatch):
    """Every query of the corpus gives the same ids in the same order through the pairs
    and the ranking of matched ids as through the documents alone."""
    make_work(make_user("other"), title="The Door", chapters=["Open the door, said softly."])
    now = {q: _ids(q) for q in QUERIES}
    with monkeypatch.context() as patch:
        _old_way(patch, postgres)
        before = {q: _ids(q) for q in QUERIES}
    assert now == before
    assert any(len(ids) > 1 for ids in now.values())


def test_pair_lookup_equals_the_phrase_on_the_documents(corpus, postgres):
    """For every adjacent pair and triple of words in the corpus (and words apart), the
    pair index gives exactly the works the phrase query gives on the documents."""
    from ficarchive.discovery.query import parse_query

    words = " ".join(text for _, text in TEXTS).split()
    phrases = {" ".join(words[i : i + n]) for n in (2, 3) for i in range(len(words) - n + 1)}
    phrases |= {f"{words[i]} {words[i + 3]}" for i in range(0, len(words) - 3, 3)}
    checked = 0
    for phrase in sorted(phrases):
        clauses = parse_query(f'"{phrase}"').clauses
        if len(clauses) != 1:
            continue
        expression = postgres.match_expression(clauses[0])
        reference = {
            row[0] for row in postgres._fetch(postgres.match_ids_sql(), [expression], on_rum=False)
        }
        assert set(postgres.match_ids(expression)) == reference, phrase
        checked += postgres.pair_query(expression) is not None
    assert checked > 50


def test_pair_query_shapes(postgres, db):
    """Two plain words: one pair, exact; three words or a title phrase: the AND of the
    pairs, checked on the document; one word, OR and prefixes: not for the pair index."""
    assert postgres.pair_query("('said' <-> 'softly')") == ("'said softly'", False)
    assert postgres.pair_query("('a' <-> 'b' <-> 'a' <-> 'b')") == ("'a b' & 'b a'", True)
    assert postgres.pair_query("('door':A <-> 'slowly':A)") == ("'door slowly'", True)
    assert postgres.pair_query("'door'") is None
    assert postgres.pair_query("(('a' <-> 'b') | 'c')") is None
    assert postgres.pair_query("'a':* <-> 'b'") is None
    # A quoted word the parser cuts in two is a phrase of its parts, as the document has them.
    assert postgres.pair_query("'well-known'") == (
        "'well-known well' & 'well known'",
        True,
    )


def test_quotes_and_backslashes_in_lexemes(postgres, db):
    """Lexemes holding a quote or a backslash make pairs the index can be asked for."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT discovery_word_pairs(array_to_tsvector(ARRAY['x']) || %s::tsvector)",
            ["'o''brien':1 'a\\\\b':2 'c':3"],
        )
        pairs = cursor.fetchone()[0]
        cursor.execute("SELECT %s::tsvector @@ %s::tsquery", [pairs, "'o''brien a\\\\b'"])
        assert cursor.fetchone()[0] is True


def test_migration_builds_pairs_for_existing_works(corpus, postgres):
    """Migration 0008 on an archive that already has works: the pair index is built from
    the documents already indexed, and phrases are read from it."""
    migration = importlib.import_module("ficarchive.discovery.migrations.0008_fulltext_pairs")
    with connection.schema_editor() as editor:
        migration.backwards(None, editor)
        with connection.cursor() as cursor:
            cursor.execute("SELECT to_regclass(%s)", [migration.INDEX])
            assert cursor.fetchone()[0] is None
        migration.forwards(None, editor)
    expression = "('the' <-> 'door')"
    pair_expression, _ = postgres.pair_query(expression)
    sql = f"SELECT work_id FROM discovery_ftsdoc WHERE {postgres.PAIRS} @@ %s::tsquery"  # noqa: S608
    plan = "\n".join(
        r[0] for r in postgres._fetch("EXPLAIN " + sql, [pair_expression], on_rum=True)
    )
    assert migration.INDEX in plan
    assert set(_ids('"the door"')) == {corpus["Harbor Lights"].pk, corpus["The The"].pk}


def test_unpaired_works_are_found_on_their_documents(corpus, postgres):
    """A document whose pairs would not fit a tsvector (1 MB of lexemes) is marked
    unpaired, and still found by its phrases, on its document."""
    work_id = corpus["Door Slowly"].pk
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE discovery_ftsdoc SET document = to_tsvector('simple', "
            "'a cat and a door slowly closing ' || "
            "(SELECT string_agg(md5(i::text), ' ') FROM generate_series(1, 25000) i)) "
            "WHERE work_id = %s",
            [work_id],
        )
    assert _pairs_of(work_id) == "' unpaired'"
    assert set(_ids('"door slowly"')) == {corpus["Harbor Lights"].pk, work_id}
    assert _ids('"a cat and"') == [work_id]
    assert _ids('"cat and"') == [work_id]


def _pairs_of(work_id: int) -> str | None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT discovery_word_pairs(document)::text FROM discovery_ftsdoc WHERE work_id = %s",
            [work_id],
        )
        row = cursor.fetchone()
        return row[0] if row else None


def test_write_path_keeps_the_pairs_fresh(postgres, engine, db):
    """Edit, new chapter, visibility change and deletion: each is seen by the next phrase
    search, through the same write path as the documents."""
    from ficarchive.works.services import (
        ChapterInput,
        chapter_add,
        chapter_update,
        work_delete,
        work_hide,
    )

    author = make_user("author")
    admin = make_user("admin", is_staff=True, is_superuser=True)
    work = make_work(author, title="Lantern", chapters=["The lantern swung in the wind."])
    assert _ids('"lantern swung"') == [work.pk]
    chapter = Chapter.objects.get(work=work)
    chapter_update(actor=author, chapter=chapter, data=ChapterInput(body="A candle guttered."))
    assert _ids('"lantern swung"') == []
    assert _ids('"candle guttered"') == [work.pk]
    assert "'lantern swung'" not in (_pairs_of(work.pk) or "")
    chapter_add(actor=author, work=work, chapter=ChapterInput(body="Morning fog rolled in."))
    assert _ids('"fog rolled"') == [work.pk]
    work_hide(actor=admin, work=work, hidden=True)
    assert _ids('"fog rolled"') == []
    assert _ids('"fog rolled"', OPERATOR) == [work.pk]
    work_hide(actor=admin, work=work, hidden=False)
    assert _ids('"fog rolled"') == [work.pk]
    work_id = work.pk
    work_delete(actor=author, work=work)
    assert _ids('"fog rolled"', OPERATOR) == []
    assert _pairs_of(work_id) is None


def test_reindex_rebuilds_the_pairs(corpus, postgres):
    """``reindex_all`` (ficarchive reindex, restores) rebuilds the pairs with the documents."""
    from ficarchive.discovery.engine import reindex_all

    reindex_all()
    assert _pairs_of(corpus["Softly"].pk) and "'said softly'" in _pairs_of(corpus["Softly"].pk)
    assert set(_ids('"said softly"')) == {corpus["Facts"].pk, corpus["Softly"].pk}


def test_bench_run_seed_draws_the_same_phrases(corpus):
    """``bench run --seed N`` draws the same phrases on every run over the same archive
    (before and after a change are timed on the same queries), and names the slowest."""
    import io
    import json
    import random

    from django.core.management import call_command

    from ficarchive.discovery.bench.run import phrases

    other = make_user("other")
    for fandom in ("Doctor Who", "Good Omens"):  # the mix draws from three fandoms
        make_work(other, title=fandom, fandoms=[fandom], chapters=["Tea and biscuits again."])
    first = phrases(5, random.Random(7), seeded=True)
    assert first == phrases(5, random.Random(7), seeded=True)
    assert all(p.startswith('"') and len(p.split()) == 2 for p in first)
    out = io.StringIO()
    call_command(
        "bench", "run", "--repeat", "2", "--workers", "0", "--seed", "3", "--json", stdout=out
    )
    rows = {r["query"]: r for r in map(json.loads, out.getvalue().splitlines()) if "query" in r}
    assert rows["fulltext_phrase"]["n"] == 2 and len(rows["fulltext_phrase"]["slowest"]) == 2


def test_phrase_cpu_compares_the_two_ways(corpus, postgres):
    """``bench.phrase_cpu`` times both ways on the same phrases (and checks they agree)."""
    from ficarchive.discovery.bench.phrase_cpu import measure

    result = measure(4, 1)
    assert result["phrases"] >= 1
    assert set(result["documents"]) == set(result["pairs"]) == {"db_cpu_ms", "wall_ms"}


def test_ranking_given_ids_keeps_the_order_and_ties(postgres, db):
    """Ranking the ids already matched gives the order of ranking the query itself: best
    first (a title match), then works scored alike newest first."""
    author = make_user("author")
    same = [make_work(author, title=f"W{i}", chapters=["A lantern by the door."]) for i in range(5)]
    titled = make_work(author, title="Lantern", chapters=["A lantern by the door."])
    expression = "'lantern'"
    ids = postgres.match_ids(expression)
    expected = [titled.pk] + sorted((w.pk for w in same), reverse=True)
    assert postgres.top_ranked(expression, 10) == expected
    assert postgres.top_ranked(expression, 10, matches=len(ids), ids=ids) == expected
    assert postgres.top_ranked(expression, 3, ids=ids) == expected[:3]
    assert postgres.top_ranked(expression, 3, ids=[]) == []


def test_given_ids_are_scored_by_key_past_the_index_order_threshold(postgres, db, monkeypatch):
    """Given the matched ids, ranking scores them by primary key up to RANK_GIVEN_IDS_BY_KEY
    even past RANK_IN_INDEX_ORDER (cheaper at 1M works: issue 17), past it in RUM's order;
    the answer is the same both ways."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    author = make_user("author")
    same = [make_work(author, title=f"W{i}", chapters=["A lantern by the door."]) for i in range(5)]
    titled = make_work(author, title="Lantern", chapters=["A lantern by the door."])
    expression = "'lantern'"
    ids = postgres.match_ids(expression)
    expected = [titled.pk] + sorted((w.pk for w in same), reverse=True)
    monkeypatch.setattr(postgres, "RANK_IN_INDEX_ORDER", 2)
    with CaptureQueriesContext(connection) as queries:
        assert postgres.top_ranked(expression, 10, matches=len(ids), ids=ids) == expected
    assert any("work_id = ANY" in q["sql"] for q in queries.captured_queries)
    monkeypatch.setattr(postgres, "RANK_GIVEN_IDS_BY_KEY", 2)
    with CaptureQueriesContext(connection) as queries:
        assert postgres.top_ranked(expression, 10, matches=len(ids), ids=ids) == expected
    assert not any("work_id = ANY" in q["sql"] for q in queries.captured_queries)
