"""/tags/NAME/works and /users/NAME/works carry the same filter sidebar and facets as
/works, within the tag's closure or the user's works, keeping each page's privacy rules."""

from __future__ import annotations

import pytest

from ficarchive.testing import make_user
from ficarchive.works.services import work_hide

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("engine")]


def test_tag_works_page_filters_within_the_closure(client, archive):
    """The tag page lists the closure (synonym AU, subtag Coffee Shop AU) and narrows it
    with the sidebar's parameters, showing facets of what is left."""
    body = client.get("/tags/Alternate Universe/works").content.decode()
    assert "1 - 3 of 3 Works in" in body
    assert 'id="work-filters"' in body and 'name="exclude_tag" value="Fluff"' in body
    narrowed = client.get(
        "/tags/Alternate Universe/works", {"exclude_rating": "Explicit", "sort": "kudos"}
    ).content.decode()
    assert "1 - 2 of 2 Works in" in narrowed
    assert narrowed.index("The Dragon Library") < narrowed.index("Coffee and Deduction")
    assert "Vampire Nights" not in narrowed
    assert 'action="/tags/Alternate Universe/works"' in narrowed


def test_user_works_page_filters_and_keeps_anonymity(client, archive):
    """A user's page filters their works; an anonymous work stays off it for guests but
    shows for its creator."""
    body = client.get("/users/alice/works", {"tag": "Doctor Who"}).content.decode()
    assert "Vampire Nights" in body and "The Dragon Library" not in body
    assert 'id="work-filters"' in body
    assert "Coffee and Deduction" not in client.get("/users/carol/works").content.decode()
    client.force_login(archive.carol)
    assert (
        "Coffee and Deduction"
        in client.get("/users/carol/works", {"rating": "Mature"}).content.decode()
    )


def test_owner_still_sees_hidden_works_when_filtering(client, archive):
    """A work an admin hid is gone from the user's page for others, but its creator still
    finds it there, filters applied."""
    admin = make_user("moderator", is_staff=True, is_superuser=True)
    work_hide(actor=admin, work=archive.w3, hidden=True)
    assert "Vampire Nights" not in client.get("/users/alice/works").content.decode()
    client.force_login(archive.alice)
    assert "Vampire Nights" in client.get("/users/alice/works", {"tag": "Angst"}).content.decode()
