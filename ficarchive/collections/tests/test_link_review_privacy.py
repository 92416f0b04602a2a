"""A related-work link waits for the original's creators to approve it (AO3). They are told
of it and see it on their invitations page, but only as far as they may read the linking
work: a draft, a work an admin hid or a Mystery Work of an unrevealed collection keeps its
title from them (red-team round: the page and the mail named it)."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client, TestCase

from ficarchive.collections.services import collection_create, item_add, related_work_add
from ficarchive.testing import make_user, make_work
from ficarchive.works.services import work_hide

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("state", ["draft", "hidden", "unrevealed", "public"])
def test_link_from_a_work_the_original_creator_may_not_read(state):
    alice = make_user("alice")
    bob = make_user("bob")
    original = make_work(alice, title="Orchard")
    remix = make_work(bob, title="Secret Remix Title", draft=state == "draft")
    if state == "hidden":
        work_hide(
            actor=make_user("root", is_staff=True, is_superuser=True), work=remix, hidden=True
        )
    if state == "unrevealed":
        box = collection_create(actor=bob, owner=bob, name="Box", title="Box", unrevealed=True)
        item_add(actor=bob, collection=box, work=remix)
    mail.outbox.clear()
    with TestCase.captureOnCommitCallbacks(execute=True):
        related_work_add(actor=bob, work=remix, relation="remix_of", parent=original)
    told = any("Secret Remix Title" in m.body for m in mail.outbox)
    client = Client()
    client.force_login(alice)
    page = client.get("/users/alice/invitations").content.decode()
    readable = state == "public"
    assert ("Secret Remix Title" in page) is readable
    assert told is readable
