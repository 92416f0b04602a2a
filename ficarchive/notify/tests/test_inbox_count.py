"""The header's Inbox count is the whole inbox: comments and replies (feedback's items)
and subscription updates, kudos and gifts (this app's notifications), unread only."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache

from ficarchive.feedback.services import comment_create, kudos_give
from ficarchive.notify.services import notifications_mark_read, subscription_create
from ficarchive.testing import make_user, make_work
from ficarchive.works.services import ChapterInput, chapter_add

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_cache():
    """Counts are cached per user id, and ids come back after each test's rollback."""
    cache.clear()


def _header_count(client) -> int:
    page = client.get("/").content.decode()
    found = re.search(r"Inbox \((\d+)\)", page)
    assert found, "no inbox link in the header"
    return int(found.group(1))


def test_every_kind_counts_and_reading_clears(client, author, user, drain):
    work = make_work(author, title="Counted")
    drain()
    subscription_create(actor=author, user=user.username)
    client.force_login(author)
    assert _header_count(client) == 0
    comment_create(actor=user, work=work, body="Lovely.")  # a comment: feedback's inbox
    kudos_give(actor=user, work=work)  # kudos: a notification
    make_work(user, title="Followed")  # a new work by a followed creator
    drain()
    assert _header_count(client) == 2 + 1
    notifications_mark_read(actor=author)
    assert _header_count(client) == 1  # the comment is still unread


def test_subscription_update_counts_for_the_subscriber(client, author, user, drain):
    work = make_work(author, title="Serial")
    drain()
    subscription_create(actor=user, work=work.pk)
    client.force_login(user)
    assert _header_count(client) == 0
    chapter_add(actor=author, work=work, chapter=ChapterInput(body="Two."))
    drain()
    assert _header_count(client) == 1
    other = make_user("bystander")
    client.force_login(other)
    assert _header_count(client) == 0
