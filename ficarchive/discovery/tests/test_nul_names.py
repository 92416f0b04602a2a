"""A tag name holding a NUL character (as a fuzzer sends) names no tag: an unknown tag,
never a server error (PostgreSQL text cannot hold NUL)."""

from __future__ import annotations

import pytest

from ficarchive.discovery.plan import tags_by_names
from ficarchive.testing import make_user, make_work

pytestmark = pytest.mark.django_db


def test_nul_in_a_name_is_an_unknown_tag(client):
    make_work(make_user("nulauthor"), fandoms=["Harbour"])
    assert tags_by_names(["Har\x00bour", "Harbour"]).keys() == {"Harbour"}
    r = client.get("/api/v1/search", {"tag": "Har\x00bour"})
    assert r.status_code < 500
