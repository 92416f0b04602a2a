"""A muted creator's works are hidden from the muter wherever works are listed (AO3: also
other people's bookmarks of them), and on a user's gifts page; an anonymous work never is,
so the mute reveals nothing (red-team round: bookmark lists and gifts showed them)."""

from __future__ import annotations

import pytest
from django.test import Client

from ficarchive.collections.services import gift_add
from ficarchive.discovery.services import mute_add
from ficarchive.feedback.services import bookmark_save
from ficarchive.testing import make_user, make_work

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path", ["/users/friend/bookmarks", "/api/v1/users/friend/bookmarks", "/users/friend/gifts"]
)
def test_muted_creators_works_leave_bookmarks_and_gifts(path):
    muter, muted, friend = make_user("muter"), make_user("mutedauthor"), make_user("friend")
    named = make_work(muted, title="Muted Named Work")
    anonymous = make_work(muted, title="Muted Anonymous Work", anonymous=True)
    plain = make_work(make_user("other"), title="Plain Work")
    for work in (named, anonymous, plain):
        bookmark_save(actor=friend, work=work, notes="Good.")
        gift_add(actor=work.creatorships.get().pseud.user, work=work, name="friend")
    mute_add(actor=muter, kind="creator", value="mutedauthor")
    client = Client()
    client.force_login(muter)
    page = client.get(path).content.decode()
    assert "Plain Work" in page
    assert "Muted Anonymous Work" in page
    assert "Muted Named Work" not in page
    # Everyone else still sees it.
    assert "Muted Named Work" in Client().get(path).content.decode()


def test_muted_creators_works_leave_a_collections_bookmarks():
    from ficarchive.collections.services import bookmark_item_add, collection_create

    muter, muted, friend = make_user("muter"), make_user("mutedauthor"), make_user("friend")
    box = collection_create(actor=friend, owner=friend, name="Recs", title="Recs")
    for work in (
        make_work(muted, title="Muted Named Work"),
        make_work(muted, title="Muted Anonymous Work", anonymous=True),
        make_work(make_user("other"), title="Plain Work"),
    ):
        bookmark = bookmark_save(actor=friend, work=work, notes="Good.")
        bookmark_item_add(actor=friend, collection=box, bookmark=bookmark)
    mute_add(actor=muter, kind="creator", value="mutedauthor")
    client = Client()
    client.force_login(muter)
    page = client.get("/collections/Recs/bookmarks").content.decode()
    assert "Plain Work" in page and "Muted Anonymous Work" in page
    assert "Muted Named Work" not in page
    assert "Muted Named Work" in Client().get("/collections/Recs/bookmarks").content.decode()
