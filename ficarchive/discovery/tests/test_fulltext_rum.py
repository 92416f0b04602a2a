"""PostgreSQL: the RUM index is made where the server has the extension, and phrase search
and relevance read from it (positions in the index)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection

from ficarchive.discovery.search import search_works
from ficarchive.testing import make_user, make_work

pytestmark = pytest.mark.django_db


def _rum_available() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'rum'")
        return cursor.fetchone() is not None


@pytest.fixture
def postgres_with_rum():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    if not _rum_available():
        pytest.skip("the rum extension is not installed (postgresql-15-rum)")


def test_rum_index_made_and_used_for_phrases(postgres_with_rum):
    """Migration 0006 made the index; a phrase finds only the work with the words side by
    side, and a title match ranks first."""
    from ficarchive.discovery.backends import postgres

    postgres._HAS_RUM.clear()
    assert postgres.has_rum()
    author = make_user("author")
    near = make_work(author, title="Doors", chapters=["She opened the door slowly."])
    apart = make_work(author, title="Apart", chapters=["The cat sat by a door."])
    titled = make_work(author, title="The Door", chapters=["Nothing else: the door."])
    found = [w.pk for w in search_works(AnonymousUser(), {"q": '"the door"'}).works]
    assert set(found) == {near.pk, titled.pk} and apart.pk not in found
    ranked = [w.pk for w in search_works(AnonymousUser(), {"q": "door"}).works]
    assert ranked[0] == titled.pk and set(ranked) == {near.pk, apart.pk, titled.pk}


def _setting(name: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SHOW {name}")
        return cursor.fetchone()[0]


def test_phrase_ids_come_from_the_index_and_settings_are_put_back(postgres_with_rum):
    """A phrase is answered on the RUM index even where the planner would read the table
    (its estimate of a phrase is the AND of its words); the planner settings are back as
    they were afterwards, inside a caller's transaction too."""
    from django.db import transaction

    from ficarchive.discovery.backends import postgres

    postgres._HAS_RUM.clear()
    author = make_user("author")
    near = make_work(author, title="One", chapters=["She opened the door slowly."])
    make_work(author, title="Two", chapters=["The door was a door the cat sat by."])
    expr = "'opened' <-> 'the' <-> 'door'"
    plan = "\n".join(
        row[0]
        for row in postgres._fetch("EXPLAIN " + postgres.match_ids_sql(), [expr], on_rum=True)
    )
    assert "Seq Scan" not in plan
    assert _setting("enable_seqscan") == "on"
    with transaction.atomic():
        assert postgres.match_ids(expr) == [near.pk]
        assert _setting("enable_seqscan") == "on"
        postgres.top_ranked(expr, 5)
        assert _setting("enable_seqscan") == "on"


def test_ties_on_distance_come_newest_first(postgres_with_rum, monkeypatch):
    """Works the index scores alike are ordered by id, newest first, whichever way the
    index is read."""
    from ficarchive.discovery.backends import postgres

    postgres._HAS_RUM.clear()
    author = make_user("author")
    same = [make_work(author, title=f"W{i}", chapters=["A lantern by the door."]) for i in range(6)]
    other = make_work(author, title="Lantern", chapters=["A lantern by the door."])
    expected = [other.pk] + sorted((w.pk for w in same), reverse=True)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT work_id FROM discovery_ftsdoc, to_tsquery('simple', %s) query "
            "WHERE document @@ query ORDER BY document <=> query, work_id DESC LIMIT 4",
            ["'lantern'"],
        )
        reference = [row[0] for row in cursor.fetchall()]
    assert reference == expected[:4]
    assert postgres.top_ranked("'lantern'", 4) == expected[:4]
    assert postgres.top_ranked("'lantern'", 10) == expected
    # Many matches: read in the index's order, the ties put in order here, also when a
    # tie runs past the rows read.
    for pad in (0, 1, 64):
        monkeypatch.setattr(postgres, "RANK_PAD", pad)
        assert postgres.top_ranked("'lantern'", 4, matches=10**6) == expected[:4]
        assert postgres.top_ranked("'lantern'", 10, matches=10**6) == expected
