"""The private Atom feed of subscription updates: a secret address, revocable."""

from __future__ import annotations

import re

import feedparser
import pytest

from ficarchive.notify import services
from ficarchive.testing import PASSWORD
from ficarchive.works.services import ChapterInput, chapter_add, work_hide

pytestmark = pytest.mark.django_db


def test_feed_lists_updates_and_is_revocable(client, author, user, admin_user, work, drain):
    services.subscription_create(actor=user, work=work.pk)
    chapter_add(actor=author, work=work, chapter=ChapterInput(body="Two.", title="Second"))
    drain()
    client.login(username=user.username, password=PASSWORD)
    client.post(f"/users/{user.username}/subscriptions/feed", {"action": "renew"})
    page = client.get(f"/users/{user.username}/subscriptions").content.decode()
    address = re.search(r"(/subscriptions/feed/[^<\s]+\.atom)", page).group(1)
    client.logout()
    response = client.get(address)  # no log-in: the secret is the key
    assert response.status_code == 200 and response["Content-Type"].startswith(
        "application/atom+xml"
    )
    feed = feedparser.parse(response.content)
    assert len(feed.entries) == 1 and work.title in feed.entries[0].title
    # A work hidden since drops out of the feed.
    work_hide(actor=admin_user, work=work, hidden=True)
    assert feedparser.parse(client.get(address).content).entries == []
    # Renewing shuts the old address; revoking shuts the feed.
    client.login(username=user.username, password=PASSWORD)
    client.post(f"/users/{user.username}/subscriptions/feed", {"action": "renew"})
    assert client.get(address).status_code == 404
    client.post(f"/users/{user.username}/subscriptions/feed", {"action": "revoke"})
    assert client.get("/subscriptions/feed/anything.atom").status_code == 404
