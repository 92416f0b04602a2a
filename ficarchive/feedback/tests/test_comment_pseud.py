"""Choosing the pseud a comment is posted under."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ficarchive.accounts.services import pseud_create
from ficarchive.feedback.models import Comment

pytestmark = pytest.mark.django_db


@pytest.fixture
def second_pseud(user):
    return pseud_create(actor=user, user=user, name="Night Owl")


def test_form_offers_pseuds_when_there_are_several(client, user, work, second_pseud):
    """A user with two pseuds gets a "Comment as" choice, the default selected first."""
    client.force_login(user)
    page = client.get(work.get_absolute_url()).content.decode()
    assert '<label for="comment_pseud">Comment as</label>' in page
    assert f'<option value="{second_pseud.pk}">Night Owl</option>' in page
    assert f'<option value="{user.default_pseud().pk}" selected>reader</option>' in page


def test_single_pseud_gets_no_choice(client, user, work):
    """With one pseud the form just names it."""
    client.force_login(user)
    page = client.get(work.get_absolute_url()).content.decode()
    assert 'name="pseud"' not in page and "Comment as <strong>reader</strong>" in page


def test_comment_posted_under_chosen_pseud(client, user, work, second_pseud):
    """Posting with a pseud chosen bylines the comment with that pseud."""
    client.force_login(user)
    r = client.post(
        reverse("feedback:comment_create", args=[work.pk]),
        {"body": "Hoot.", "pseud": second_pseud.pk},
    )
    assert r.status_code == 302
    comment = Comment.objects.get()
    assert comment.pseud == second_pseud and comment.user == user
    page = client.get(work.get_absolute_url()).content.decode()
    assert "Night Owl (reader)" in page


def test_someone_elses_pseud_is_refused(client, user, author, work):
    """A pseud of another account is refused and nothing is posted."""
    client.force_login(user)
    r = client.post(
        reverse("feedback:comment_create", args=[work.pk]),
        {"body": "Impostor.", "pseud": author.default_pseud().pk},
        follow=True,
    )
    assert "not yours" in r.content.decode()
    assert not Comment.objects.exists()


def test_missing_pseud_is_refused(client, user, work):
    """A pseud id that does not exist is refused like someone else's."""
    client.force_login(user)
    client.post(
        reverse("feedback:comment_create", args=[work.pk]), {"body": "Ghost.", "pseud": 999999}
    )
    assert not Comment.objects.exists()


def test_reply_under_chosen_pseud(client, user, author, work, second_pseud):
    """Replies offer the pseud choice too and use it."""
    client.force_login(author)
    client.post(reverse("feedback:comment_create", args=[work.pk]), {"body": "Author note."})
    parent = Comment.objects.get()
    client.force_login(user)
    page = client.get(work.get_absolute_url()).content.decode()
    assert f'id="reply_{parent.pk}_pseud"' in page
    client.post(
        reverse("feedback:comment_create", args=[work.pk]),
        {"body": "Reply.", "parent": parent.pk, "pseud": second_pseud.pk},
    )
    assert Comment.objects.get(parent=parent).pseud == second_pseud
