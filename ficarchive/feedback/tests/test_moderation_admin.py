"""The site-wide moderation queue: admin actions on the Django admin's comment list."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ficarchive.core.errors import NotFound
from ficarchive.feedback import services
from ficarchive.feedback.models import Comment, CommentStatus, InboxItem
from ficarchive.testing import make_work
from ficarchive.works.models import Work

pytestmark = pytest.mark.django_db

GUEST = {"guest_name": "Gwen Guest", "guest_email": "gwen@example.org"}
CHANGELIST = "admin:feedback_comment_changelist"


@pytest.fixture
def works(author):
    return [make_work(author, title=f"Open {i}", comment_permission="anyone") for i in range(2)]


def _guest_comment(work, body):
    return services.comment_create(actor=None, work=work, body=body, **GUEST)


def _act(client, action, comments):
    return client.post(
        reverse(CHANGELIST),
        {"action": action, "_selected_action": [c.pk for c in comments]},
        follow=True,
    )


def _count(work):
    return Work.objects.get(pk=work.pk).comment_count


def test_queue_lists_held_comments_across_works(client, admin_user, works, user):
    """The "Pending or spam" filter lists held comments from every work and no published ones."""
    a = _guest_comment(works[0], "Held on the first work.")
    b = _guest_comment(works[1], "Held on the second work.")
    services.comment_mark_spam(actor=admin_user, comment=b)
    services.comment_create(actor=user, work=works[0], body="Published and fine.")
    client.force_login(admin_user)
    page = client.get(reverse(CHANGELIST), {"queue": "held"}).content.decode()
    assert "Held on the first work." in page and "Held on the second work." in page
    assert "Published and fine." not in page
    assert a.status == CommentStatus.PENDING


def test_bulk_approve_publishes_counts_and_notifies(client, admin_user, works, author):
    """Approving in bulk publishes each comment, counts it on its work and notifies the creator."""
    held = [
        _guest_comment(works[0], "One."),
        _guest_comment(works[0], "Two."),
        _guest_comment(works[1], "Three."),
    ]
    client.force_login(admin_user)
    r = _act(client, "approve_comments", held)
    assert "3 comments approved" in r.content.decode()
    assert set(Comment.objects.values_list("status", flat=True)) == {CommentStatus.PUBLISHED}
    assert (_count(works[0]), _count(works[1])) == (2, 1)
    assert InboxItem.objects.filter(user=author).count() == 3


def test_bulk_spam_keeps_counts_at_zero(client, admin_user, works):
    """Marking pending comments as spam hides them and counts nothing."""
    held = [_guest_comment(works[0], "Buy things."), _guest_comment(works[1], "Buy more.")]
    client.force_login(admin_user)
    _act(client, "mark_spam", held)
    assert set(Comment.objects.values_list("status", flat=True)) == {CommentStatus.SPAM}
    assert (_count(works[0]), _count(works[1])) == (0, 0)
    assert not InboxItem.objects.exists()


def test_approving_spam_by_mistake_counts_once(client, admin_user, works):
    """An admin can approve a comment marked as spam; it is counted once."""
    c = _guest_comment(works[0], "Not spam after all.")
    services.comment_mark_spam(actor=admin_user, comment=c)
    client.force_login(admin_user)
    _act(client, "approve_comments", [c])
    _act(client, "approve_comments", [c])  # already published: skipped, not counted again
    assert Comment.objects.get(pk=c.pk).status == CommentStatus.PUBLISHED
    assert _count(works[0]) == 1


def test_bulk_delete_mixed_statuses_keeps_counts_right(client, admin_user, works, user):
    """Deleting held and published comments together lowers the count only for published ones."""
    published = services.comment_create(actor=user, work=works[0], body="Published.")
    pending = _guest_comment(works[0], "Pending.")
    spammy = _guest_comment(works[0], "Spam.")
    services.comment_mark_spam(actor=admin_user, comment=spammy)
    assert _count(works[0]) == 1
    client.force_login(admin_user)
    r = _act(client, "delete_comments", [published, pending, spammy])
    assert "3 comments deleted" in r.content.decode()
    assert not Comment.objects.exists()
    assert _count(works[0]) == 0


def test_mixed_selection_reports_skipped(client, admin_user, works, user):
    """Published and pending comments may both be marked as spam (a published one leaves
    the count); a comment already spam is skipped and said so."""
    published = services.comment_create(actor=user, work=works[0], body="Published.")
    pending = _guest_comment(works[0], "Pending.")
    spammy = _guest_comment(works[0], "Spam already.")
    services.comment_mark_spam(actor=admin_user, comment=spammy)
    client.force_login(admin_user)
    page = _act(client, "mark_spam", [published, pending, spammy]).content.decode()
    assert (
        "2 comments marked as spam" in page
        and f"Skipped (not in a state this applies to): {spammy.pk}" in page
    )
    assert Comment.objects.get(pk=published.pk).status == CommentStatus.SPAM
    assert _count(works[0]) == 0


def test_django_bulk_delete_is_not_offered(client, admin_user, works):
    """The admin's own delete (which would skip the counters) is not among the actions."""
    _guest_comment(works[0], "Held.")
    client.force_login(admin_user)
    page = client.get(reverse(CHANGELIST)).content.decode()
    assert 'value="delete_comments"' in page and 'value="approve_comments"' in page
    assert 'value="delete_selected"' not in page


def test_admin_may_moderate_through_services(admin_user, works):
    """Admins approve through the same service as creators; readers still cannot."""
    c = _guest_comment(works[0], "Admin approves.")
    services.comment_approve(actor=admin_user, comment=c)
    assert _count(works[0]) == 1


def test_reader_cannot_discard(user, works):
    """A reader who is not a creator cannot delete a held comment."""
    c = _guest_comment(works[0], "Held.")
    with pytest.raises(NotFound):
        services.comment_discard(actor=user, comment=c)
    assert Comment.objects.filter(pk=c.pk).exists()


def test_creator_may_discard_own_queue(author, works):
    """A creator can delete a held comment on their work; nothing is counted."""
    c = _guest_comment(works[0], "Held.")
    services.comment_discard(actor=author, comment=c)
    assert not Comment.objects.exists() and _count(works[0]) == 0


def test_admin_does_not_see_queue_on_work_page(client, admin_user, works):
    """The work page's queue is the creators'; admins use the site-wide one."""
    _guest_comment(works[0], "Only for creators here.")
    client.force_login(admin_user)
    assert "Only for creators here." not in client.get(works[0].get_absolute_url()).content.decode()
