"""Published comments marked as spam by the work's creator or an admin: hidden, no longer
counted, counted against the commenter, and restorable; a frozen thread offers no Reply."""

from __future__ import annotations

import pytest

from ficarchive.core.viewers import OPERATOR
from ficarchive.feedback import services as feedback
from ficarchive.feedback.models import Comment, CommentStatus, InboxItem
from ficarchive.moderation.reports import ReportInput, report_create
from ficarchive.moderation.selectors import spam_count
from ficarchive.testing import make_user
from ficarchive.works.models import Work

pytestmark = pytest.mark.django_db


def _count(work) -> int:
    return Work.objects.get(pk=work.pk).comment_count


def test_creator_marks_a_published_comment_as_spam_and_restores_it(client, author, user, work):
    comment = feedback.comment_create(actor=user, work=work, body="Buy cheap watches")
    feedback.comment_create(actor=make_user("fan"), work=work, body="Lovely story")
    assert _count(work) == 2 and InboxItem.objects.filter(comment=comment).exists()
    client.force_login(author)
    assert "Buy cheap watches" in client.get("/comments/moderation").content.decode()
    r = client.post(f"/comments/{comment.pk}/spam", {"action": "spam"})
    assert r.status_code == 302
    assert Comment.objects.get(pk=comment.pk).status == CommentStatus.SPAM
    assert _count(work) == 1
    assert not InboxItem.objects.filter(comment=comment).exists()
    assert spam_count(user) == 1
    client.force_login(make_user("reader2"))
    page = client.get(work.get_absolute_url()).content.decode()
    assert "Buy cheap watches" not in page and "Lovely story" in page
    client.force_login(author)
    spam_section = client.get("/comments/moderation").content.decode().split('id="spam"')[1]
    assert "Buy cheap watches" in spam_section
    client.post(f"/comments/{comment.pk}/spam", {"action": "unspam"})
    assert Comment.objects.get(pk=comment.pk).status == CommentStatus.PUBLISHED
    assert _count(work) == 2 and spam_count(user) == 0


def test_only_creators_and_admins_mark_spam(client, user, work, admin_user):
    comment = feedback.comment_create(actor=user, work=work, body="Honest comment")
    client.force_login(make_user("bystander"))
    assert client.post(f"/comments/{comment.pk}/spam", {"action": "spam"}).status_code == 404
    assert Comment.objects.get(pk=comment.pk).status == CommentStatus.PUBLISHED
    assert _count(work) == 1
    feedback.comment_mark_spam(actor=admin_user, comment=comment)
    assert Comment.objects.get(pk=comment.pk).status == CommentStatus.SPAM
    assert _count(work) == 0


def test_admin_marks_a_reported_comment_as_spam_from_the_report(client, user, work, admin_user):
    comment = feedback.comment_create(actor=user, work=work, body="Spammy")
    report = report_create(
        actor=OPERATOR,
        data=ReportInput(kind="comment", target=str(comment.pk), reason="spam"),
    )
    client.force_login(admin_user)
    client.post(
        "/admin/moderation/abusereport/",
        {"action": "spam_reported_comments", "_selected_action": [report.pk]},
    )
    assert Comment.objects.get(pk=comment.pk).status == CommentStatus.SPAM


def test_frozen_thread_shows_no_reply_form(client, author, user, work):
    top = feedback.comment_create(actor=user, work=work, body="Frozen top")
    feedback.comment_create(actor=author, work=work, body="Frozen reply", parent=top)
    other = feedback.comment_create(actor=user, work=work, body="Open top")
    client.force_login(author)
    client.post(f"/comments/{top.pk}/thread", {"action": "freeze"})
    client.force_login(make_user("replier"))
    page = client.get(work.get_absolute_url()).content.decode()
    assert f'id="reply_{other.pk}_body"' in page
    assert f'id="reply_{top.pk}_body"' not in page
    reply_ids = [c.pk for c in Comment.objects.filter(parent=top)]
    assert all(f'id="reply_{pk}_body"' not in page for pk in reply_ids)
