"""Pseud and user pages count only the works the viewer may see credited to that creator:
no anonymous, draft, hidden work (nor a restricted one for guests) for anyone but its
creator, so a count never identifies the creator of an anonymous work."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from ficarchive.works.tests.factories import make_user, work_in_state

OWNER = "countedauthor"
STATES = ("public", "restricted", "draft", "anonymous", "hidden")

# Works counted on the owner's pages, by viewer (see access.credited_q).
PSEUDS_PAGE = {"guest": 1, "reader": 2, "owner": 5, "admin": 4}
# The pseud and user works listings: posted works only, the owner's hidden one included.
LISTINGS = {"guest": 1, "reader": 2, "owner": 4, "admin": 4}


@pytest.fixture
def people(db):
    owner = make_user(OWNER)
    admin = make_user("countadmin", is_staff=True, is_superuser=True)
    for state in STATES:
        work_in_state(owner, state, admin=admin)
    return {"owner": owner, "reader": make_user("countreader"), "admin": admin}


def _client(people, viewer: str) -> Client:
    client = Client()
    if viewer != "guest":
        client.force_login(people[viewer])
    return client


@pytest.mark.parametrize("viewer", ["guest", "reader", "owner", "admin"])
def test_pseuds_page_counts_what_the_viewer_may_see(people, viewer):
    """/users/NAME/pseuds: the owner counts all their works, others only what they may list."""
    page = _client(people, viewer).get(f"/users/{OWNER}/pseuds").content.decode()
    assert re.findall(r"Works: (\d+)", page) == [str(PSEUDS_PAGE[viewer])]


@pytest.mark.parametrize("viewer", ["guest", "reader", "owner", "admin"])
def test_user_and_pseud_listings_count_what_the_viewer_may_see(people, viewer):
    """The profile, the user's works (web and API) and the pseud page agree with the rule."""
    client = _client(people, viewer)
    want = LISTINGS[viewer]
    assert f"Works ({want})" in client.get(f"/users/{OWNER}").content.decode()
    assert (
        f"Works by {OWNER} ({want})"
        in client.get(f"/users/{OWNER}/pseuds/{OWNER}").content.decode()
    )
    items = client.get(f"/api/v1/users/{OWNER}/works", {"limit": 100}).json()["items"]
    assert len(items) == want
    titles = {w["title"] for w in items}
    assert ("The Anonymous Work" in titles) == (viewer in ("owner", "admin"))
