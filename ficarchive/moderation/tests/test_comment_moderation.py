"""Comment moderation by a work's creators: hold every comment, freeze and hide threads,
and one queue of held comments across their works."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from ficarchive.api.tests.conftest import ApiClient, make_token
from ficarchive.core.errors import PermissionDenied
from ficarchive.feedback import services as feedback
from ficarchive.feedback.models import Comment, CommentStatus
from ficarchive.moderation import comments
from ficarchive.testing import make_user

pytestmark = pytest.mark.django_db


def test_moderate_all_holds_comments_until_approved(client, author, user, work):
    """With "moderate all comments" on, a reader's comment (site or API) waits; the
    creator's own does not; approving from the queue publishes it."""
    client.force_login(author)
    client.post(f"/works/{work.pk}/comment_settings", {"moderate_all": "1"})
    held = feedback.comment_create(actor=user, work=work, body="Please hold me")
    assert held.status == CommentStatus.PENDING
    ApiClient(make_token(user)).post(f"/works/{work.pk}/comments", {"body": "Via the API"})
    assert Comment.objects.filter(status=CommentStatus.PENDING).count() == 2
    own = feedback.comment_create(actor=author, work=work, body="Creator speaking")
    assert own.status == CommentStatus.PUBLISHED
    client.force_login(make_user("stranger"))
    assert "Please hold me" not in client.get(work.get_absolute_url()).content.decode()
    client.force_login(author)
    queue = client.get("/comments/moderation").content.decode()
    assert "Please hold me" in queue and "Via the API" in queue
    client.post(reverse("feedback:comment", args=[held.pk]), {"action": "approve"})
    held.refresh_from_db()
    assert held.status == CommentStatus.PUBLISHED
    work.refresh_from_db()
    assert work.comment_count == 2  # the creator's and the approved one


def test_only_creators_change_comment_settings(client, user, work):
    client.force_login(user)
    assert client.get(f"/works/{work.pk}/comment_settings").status_code == 404
    with pytest.raises(PermissionDenied):
        comments.work_moderate_all_set(actor=user, work=work, on=True)


def test_frozen_thread_takes_no_replies(client, author, user, work):
    top = feedback.comment_create(actor=user, work=work, body="Top")
    reply = feedback.comment_create(actor=author, work=work, body="Reply", parent=top)
    client.force_login(author)
    client.post(f"/comments/{top.pk}/thread", {"action": "freeze"})
    with pytest.raises(PermissionDenied, match="frozen"):
        feedback.comment_create(actor=user, work=work, body="More", parent=reply)
    assert feedback.comment_create(actor=user, work=work, body="A new thread").pk
    client.post(f"/comments/{top.pk}/thread", {"action": "unfreeze"})
    assert feedback.comment_create(actor=user, work=work, body="More", parent=reply).pk


def test_hidden_thread_is_seen_by_creators_and_admins_only(client, author, user, admin_user, work):
    top = feedback.comment_create(actor=user, work=work, body="Hide this thread")
    feedback.comment_create(actor=author, work=work, body="And its reply", parent=top)
    client.force_login(user)
    assert client.post(f"/comments/{top.pk}/thread", {"action": "hide"}).status_code == 404
    comments.thread_flag_set(actor=author, comment=top, hidden=True)
    for viewer, sees in ((user, False), (author, True), (admin_user, True)):
        client.force_login(viewer)
        page = client.get(work.get_absolute_url()).content.decode()
        assert ("Hide this thread" in page) is sees and ("And its reply" in page) is sees
    client.logout()
    assert "Hide this thread" not in client.get(work.get_absolute_url()).content.decode()


def _thread_buttons(client, work) -> list[str]:
    page = client.get(work.get_absolute_url()).content.decode()
    return re.findall(r'name="action" value="(freeze|unfreeze|hide|unhide)"', page)


def test_thread_buttons_follow_the_thread_state(client, author, work, user):
    """A creator is offered Freeze or Unfreeze, Hide or Unhide, as the thread is (hsocial:
    all four buttons showed on every thread, so a hidden one looked like any other)."""
    top = feedback.comment_create(actor=user, work=work, body="State of a thread")
    client.force_login(author)
    assert _thread_buttons(client, work) == ["freeze", "hide"]
    comments.thread_flag_set(actor=author, comment=top, frozen=True)
    assert _thread_buttons(client, work) == ["unfreeze", "hide"]
    comments.thread_flag_set(actor=author, comment=top, hidden=True)
    assert _thread_buttons(client, work) == ["unfreeze", "unhide"]
    comments.thread_flag_set(actor=author, comment=top, frozen=False, hidden=False)
    assert _thread_buttons(client, work) == ["freeze", "hide"]
    client.force_login(user)
    assert _thread_buttons(client, work) == []
