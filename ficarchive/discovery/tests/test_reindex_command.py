"""`ficarchive reindex [--json]` rebuilds a damaged or emptied index from the database."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command

from ficarchive.discovery.backends import get_backend
from ficarchive.discovery.models import SearchEntry
from ficarchive.discovery.selectors import OPERATOR, filter_works
from ficarchive.testing import make_user, make_work

pytestmark = pytest.mark.django_db


def found(params: dict) -> list[int]:
    return [w.pk for w in filter_works(OPERATOR, params).works]


def test_reindex_json_rebuilds_an_emptied_index(engine):
    """After the index tables are lost, text search and the crossover filter find nothing;
    `reindex --json` prints one object with the work count and brings both back."""
    author = make_user("mapmaker")
    cross = make_work(
        author, title="Atlas of Tides", fandoms=["Moby Dick", "Twenty Thousand Leagues"]
    )
    other = make_work(author, title="Harbour Lights")
    get_backend().clear()
    SearchEntry.objects.all().delete()
    assert found({"q": "atlas"}) == []
    out, err = io.StringIO(), io.StringIO()
    call_command("reindex", "--json", stdout=out, stderr=err)
    (report,) = [json.loads(line) for line in out.getvalue().splitlines()]
    assert report["works"] == 2 and report["seconds"] >= 0
    assert err.getvalue() == ""
    assert found({"q": "atlas"}) == [cross.pk]
    assert found({"q": "mapmaker", "sort": "title"}) == [cross.pk, other.pk]
    assert found({"crossover": "only"}) == [cross.pk]
