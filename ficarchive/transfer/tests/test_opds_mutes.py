"""OPDS's newest-works and tag feeds list works as the site does (the one search plan), so
a signed-in reader's mutes apply there too: no work of a creator they muted, nor one
carrying a tag they muted (red-team round: the feeds were a plain query that knew no mutes).
An anonymous work is never left out for a creator mute, so the mute reveals nothing."""

from __future__ import annotations

import pytest
from django.test import Client

from ficarchive.discovery.services import mute_add
from ficarchive.testing import make_user, make_work

pytestmark = pytest.mark.django_db

FANDOM = "Sherlock Holmes - Arthur Conan Doyle"


@pytest.fixture
def reader_client():
    reader = make_user("muter")
    author = make_user("mutedauthor")
    make_work(author, title="Muted Creator Work")
    make_work(author, title="Anonymous Muted Work", anonymous=True)
    make_work(make_user("other"), title="Muted Tag Work", freeforms=["Muted Trope"])
    make_work(make_user("another"), title="Plain Work")
    mute_add(actor=reader, kind="creator", value="mutedauthor")
    mute_add(actor=reader, kind="tag", value="Muted Trope")
    client = Client()
    client.force_login(reader)
    return client


@pytest.mark.parametrize("path", ["/opds/new", f"/opds/fandoms/{FANDOM}"])
def test_opds_feeds_apply_the_readers_mutes(reader_client, path):
    feed = reader_client.get(path).content.decode()
    assert "Plain Work" in feed
    assert "Anonymous Muted Work" in feed
    assert "Muted Creator Work" not in feed
    assert "Muted Tag Work" not in feed


def test_opds_feeds_page_as_before():
    """Paging still works through the search plan: 25 entries, then the rest."""
    author = make_user("prolific")
    for n in range(27):
        make_work(author, title=f"Work number {n:02d}")
    first = Client().get("/opds/new").content.decode()
    second = Client().get("/opds/new?page=2").content.decode()
    assert first.count("<entry>") == 25 and second.count("<entry>") == 2
    assert 'rel="next"' in first and 'rel="next"' not in second
    assert "Work number 26" in first and "Work number 00" in second
