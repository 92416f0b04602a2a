"""Guest-comment spam: the honeypot field and the creators' moderation queue."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ficarchive.core.errors import NotFound
from ficarchive.feedback.models import Comment, CommentStatus, InboxItem
from ficarchive.feedback.services import comment_approve, comment_create
from ficarchive.testing import make_user, make_work
from ficarchive.works.models import Creatorship, Work

GUEST = {"guest_name": "Gwen Guest", "guest_email": "gwen@example.org"}


@pytest.fixture
def open_work(author):
    return make_work(author, title="Open To Guests", comment_permission="anyone")


def _post(client, work, **data):
    return client.post(reverse("feedback:comment_create", args=[work.pk]), {**GUEST, **data})


def test_guest_form_has_a_css_hidden_honeypot(client, open_work):
    """The guest comment form carries a "Leave this empty" field hidden by CSS, not shown to logged-in users."""
    page = client.get(open_work.get_absolute_url()).content.decode()
    assert (
        'class="field visually-hidden" aria-hidden="true"><label for="comment_homepage">Leave this empty</label>'
        in page
    )
    assert 'name="homepage"' in page


def test_filled_honeypot_is_refused_silently(client, open_work):
    """A filled honeypot gets the "awaiting review" page and nothing is stored or counted."""
    response = _post(client, open_work, body="Great story!", homepage="http://spam.example")
    assert response.status_code == 200
    assert "awaiting review" in response.content.decode()
    assert not Comment.objects.exists()
    open_work.refresh_from_db()
    assert open_work.comment_count == 0


def test_guest_comment_waits_for_the_creator(client, open_work, author, user):
    """With moderation on, a guest comment is pending: not shown to readers, not counted, no notification."""
    response = _post(client, open_work, body="Lovely pending words.")
    assert response.status_code == 200 and "awaiting review" in response.content.decode()
    comment = Comment.objects.get()
    assert comment.status == CommentStatus.PENDING
    open_work.refresh_from_db()
    assert open_work.comment_count == 0
    assert not InboxItem.objects.exists()
    assert "Lovely pending words." not in client.get(open_work.get_absolute_url()).content.decode()
    client.force_login(user)
    assert "Lovely pending words." not in client.get(open_work.get_absolute_url()).content.decode()
    client.force_login(author)
    page = client.get(open_work.get_absolute_url()).content.decode()
    assert "Lovely pending words." in page
    assert 'value="approve"' in page and "Mark as spam" in page


def test_creator_approves_a_pending_comment(client, open_work, author):
    """Approving shows the comment to everyone, counts it and notifies the creator."""
    _post(client, open_work, body="Approve me please.")
    comment = Comment.objects.get()
    client.force_login(author)
    response = client.post(reverse("feedback:comment", args=[comment.pk]), {"action": "approve"})
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.status == CommentStatus.PUBLISHED
    assert Work.objects.get(pk=open_work.pk).comment_count == 1
    assert InboxItem.objects.filter(user=author, comment=comment).exists()
    client.logout()
    assert "Approve me please." in client.get(open_work.get_absolute_url()).content.decode()


def test_creator_marks_spam(client, open_work, author):
    """Marking as spam keeps the comment out of sight and out of the count, and out of the queue."""
    _post(client, open_work, body="Buy cheap things.")
    comment = Comment.objects.get()
    client.force_login(author)
    client.post(reverse("feedback:comment", args=[comment.pk]), {"action": "spam"})
    comment.refresh_from_db()
    assert comment.status == CommentStatus.SPAM
    assert Work.objects.get(pk=open_work.pk).comment_count == 0
    assert "Buy cheap things." not in client.get(open_work.get_absolute_url()).content.decode()


@pytest.mark.parametrize("who", ["guest", "reader"])
def test_only_creators_moderate(client, open_work, user, who):
    """Anyone but the work's creators and admins gets a 404 when approving, and the comment stays pending."""
    _post(client, open_work, body="Still waiting.")
    comment = Comment.objects.get()
    if who != "guest":
        client.force_login(user)
    response = client.post(reverse("feedback:comment", args=[comment.pk]), {"action": "approve"})
    assert response.status_code == 404
    comment.refresh_from_db()
    assert comment.status == CommentStatus.PENDING
    assert "Still waiting." not in client.get(open_work.get_absolute_url()).content.decode()


def test_without_moderation_only_links_wait(client, open_work, settings):
    """With moderation off, a plain guest comment is shown at once and one with a link waits."""
    settings.FICARCHIVE_MODERATE_GUEST_COMMENTS = False
    _post(client, open_work, body="Plain and kind.")
    _post(client, open_work, body="Visit https://spam.example now")
    statuses = dict(Comment.objects.values_list("body", "status"))
    assert statuses == {
        "<p>Plain and kind.</p>": CommentStatus.PUBLISHED,
        "<p>Visit https://spam.example now</p>": CommentStatus.PENDING,
    }
    assert Work.objects.get(pk=open_work.pk).comment_count == 1


def test_logged_in_comments_are_not_moderated(open_work, user):
    """A logged-in reader's comment is published and counted at once."""
    comment = comment_create(actor=user, work=open_work, body="Signed comment https://example.org")
    assert comment.status == CommentStatus.PUBLISHED
    assert Work.objects.get(pk=open_work.pk).comment_count == 1


def test_a_co_creator_may_approve(open_work, author):
    """Any creator of the work may approve; a second approval finds nothing pending."""
    comment = comment_create(actor=None, work=open_work, body="For both of you.", **GUEST)
    other = make_user("cocreator")
    Creatorship.objects.create(work=open_work, pseud=other.default_pseud(), position=1)
    comment_approve(actor=other, comment=comment)
    assert Comment.objects.get(pk=comment.pk).status == CommentStatus.PUBLISHED
    with pytest.raises(NotFound):
        comment_approve(actor=author, comment=comment)
