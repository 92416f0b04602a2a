"""Blocking and muting users as AO3 does: the blocked cannot respond to the blocker's
works (whatever page they post from), and the blocker no longer sees their comments; a
muted user's works and comments vanish for the muter."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ficarchive.core.errors import PermissionDenied
from ficarchive.discovery import services as discovery_services
from ficarchive.discovery.models import MuteKind
from ficarchive.feedback import services as feedback
from ficarchive.feedback.models import Comment
from ficarchive.moderation import services
from ficarchive.testing import make_user, make_work

pytestmark = pytest.mark.django_db


def test_blocked_user_replying_from_an_old_page_is_refused(client, author, user, work):
    """A reply posted from a page loaded before the block: refused with a message, nothing
    stored; a comment on another creator's work still goes through."""
    top = feedback.comment_create(actor=author, work=work, body="Thanks for reading!")
    services.block_add(actor=author, username="reader")
    client.force_login(user)
    r = client.post(
        reverse("feedback:comment_create", args=[work.pk]),
        {"body": "a reply", "parent": top.pk},
        follow=True,
    )
    assert "blocked by the creator" in r.content.decode()
    assert Comment.objects.count() == 1
    elsewhere = make_work(make_user("someone_else"))
    assert feedback.comment_create(actor=user, work=elsewhere, body="hello").pk


def test_reply_to_a_blocking_commenter_is_refused(author, user, work):
    """A commenter who blocked you: no replies to their comments, even on others' works."""
    commenter = make_user("commenter")
    theirs = feedback.comment_create(actor=commenter, work=work, body="Lovely.")
    services.block_add(actor=commenter, username="reader")
    with pytest.raises(PermissionDenied, match="author of that comment"):
        feedback.comment_create(actor=user, work=work, body="reply", parent=theirs)
    assert feedback.comment_create(actor=user, work=work, body="top level").pk


def test_blocker_no_longer_sees_blocked_users_comments(client, author, user, work):
    feedback.comment_create(actor=user, work=work, body="Comment from the reader")
    client.force_login(author)
    assert "Comment from the reader" in client.get(work.get_absolute_url()).content.decode()
    services.block_add(actor=author, username="reader")
    assert "Comment from the reader" not in client.get(work.get_absolute_url()).content.decode()
    client.force_login(make_user("third"))
    assert "Comment from the reader" in client.get(work.get_absolute_url()).content.decode()


def test_muted_users_works_and_comments_are_hidden_from_the_muter(client, author, user, work):
    other_work = make_work(make_user("writer2"), title="Still Listed")
    feedback.comment_create(actor=author, work=other_work, body="Comment by the author")
    discovery_services.mute_add(actor=user, kind=MuteKind.CREATOR, value="author")
    client.force_login(user)
    listing = client.get("/works").content.decode()
    assert "Still Listed" in listing and work.title not in listing
    page = client.get(other_work.get_absolute_url()).content.decode()
    assert "Comment by the author" not in page


def test_blocks_page_lists_and_unblocks(client, author, user):
    client.force_login(author)
    client.post(reverse("moderation:blocked_users"), {"user": "reader", "action": "block"})
    client.post(reverse("moderation:blocked_users"), {"user": "reader", "action": "mute"})
    page = client.get(reverse("moderation:blocked_users")).content.decode()
    assert page.count("reader") >= 2
    r = client.post(reverse("moderation:blocked_users"), {"user": "admin_nobody"})
    assert "There is no user named" in r.content.decode()
    block = services.block_add(actor=author, username="reader")
    client.post(reverse("moderation:unblock", args=[block.pk]))
    assert not author.blocks_made.exists()


def test_admins_cannot_be_blocked(author, admin_user):
    with pytest.raises(Exception, match="official accounts"):
        services.block_add(actor=author, username="admin")


def test_muted_users_bookmarks_are_hidden_from_the_muter(client, author, user, work):
    feedback.bookmark_save(actor=author, work=make_work(make_user("w3"), title="Bookmarked One"))
    client.force_login(user)
    assert "Bookmarked One" in client.get("/users/author/bookmarks").content.decode()
    discovery_services.mute_add(actor=user, kind=MuteKind.CREATOR, value="author")
    assert "Bookmarked One" not in client.get("/users/author/bookmarks").content.decode()
    api_items = client.get("/api/v1/users/author/bookmarks").json()["items"]
    assert api_items == []


def test_blocked_reader_is_offered_neither_kudos_nor_the_comment_form(client, author, user, work):
    """AO3 hides the buttons a blocked user cannot use; before, they showed and answered 403."""
    client.force_login(user)
    url = reverse("works:detail", args=[work.pk]) + "?view_adult=true"
    page = client.get(url).content.decode()
    assert 'id="kudo_submit"' in page and 'id="add_comment"' in page
    services.block_add(actor=author, username="reader")
    page = client.get(url).content.decode()
    assert 'id="kudo_submit"' not in page and 'id="add_comment"' not in page
    assert "blocked by the creator of this work" in page
