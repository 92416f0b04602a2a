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
