"""A read-only account (suspended here) is not offered the write controls it would be
refused: no Kudos, Comment, Bookmark, Subscribe, Post New, Mark for Later or reading list; the comment section says why.
The 403 page stays for a direct POST (test_standing)."""

from __future__ import annotations

import datetime as dt

import pytest

from ficarchive.moderation import services

pytestmark = pytest.mark.django_db

SOON = dt.date.today() + dt.timedelta(days=7)

CONTROLS = [
    'id="kudo_submit"',
    'id="add_comment"',
    ">Bookmark<",
    ">Subscribe<",
    ">Post New<",
    "/mark_for_later",
    "/reading_list",
]


def test_work_page_offers_controls_in_good_standing(client, user, work):
    client.force_login(user)
    body = client.get(work.get_absolute_url()).content.decode()
    for control in CONTROLS:
        assert control in body, control


def test_suspended_reader_is_not_offered_write_controls(client, admin_user, user, work):
    services.user_suspend(actor=admin_user, user=user, until=SOON, reason="Spamming links")
    client.force_login(user)
    body = client.get(work.get_absolute_url()).content.decode()
    for control in CONTROLS:
        assert control not in body, control
    # The comment section says why, with the end date.
    comments = body[body.index('id="comments"') :]
    assert "suspended until" in comments and SOON.isoformat() in comments


def test_suspended_reader_is_not_offered_mark_for_later_in_listings(client, admin_user, user, work):
    client.force_login(user)
    assert "/mark_for_later" in client.get("/works").content.decode()
    services.user_suspend(actor=admin_user, user=user, until=SOON, reason="Spamming links")
    assert "/mark_for_later" not in client.get("/works").content.decode()
