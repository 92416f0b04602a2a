"""Notifications and mail through Django's test outbox: what is sent, when, to whom."""

from __future__ import annotations

import pytest
from django.core import mail as outbox
from django.utils import timezone

from ficarchive.core.models import Job
from ficarchive.feedback.services import comment_create, kudos_give
from ficarchive.notify import services
from ficarchive.notify.models import MailStatus, Notification, OutgoingMail
from ficarchive.testing import make_user, make_work
from ficarchive.works.services import ChapterInput, chapter_add, work_hide, work_post

pytestmark = pytest.mark.django_db


def _new_chapter(author, work, text="Chapter two begins."):
    return chapter_add(actor=author, work=work, chapter=ChapterInput(body=text, title="Two"))


def _digests_due():
    """Let the clock reach every digest's hour."""
    Job.objects.filter(kind="notify.digest").update(run_after=timezone.now())


def test_new_chapter_mails_subscriber(author, user, work, drain):
    """A new chapter makes an inbox notification and one mail with a text and an HTML part,
    the archive's name and a one-click unsubscribe header."""
    services.subscription_create(actor=user, work=work.pk)
    chapter = _new_chapter(author, work)
    assert not outbox.outbox  # nothing is sent in the request: the queue does it
    drain()
    assert len(outbox.outbox) == 1
    message = outbox.outbox[0]
    assert message.to == [user.email]
    assert "[Ficarchive]" in message.subject and work.title in message.subject
    assert f"/works/{work.pk}/chapters/{chapter.pk}" in message.body
    html = message.alternatives[0]
    assert html[1] == "text/html" and "Unsubscribe" in html[0]
    headers = message.extra_headers
    assert headers["List-Unsubscribe"].startswith("<http://testserver/unsubscribe/")
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    record = OutgoingMail.objects.get()
    assert record.status == MailStatus.SENT and headers["Message-ID"] == record.message_id
    assert Notification.objects.filter(user=user, kind="subscription").count() == 1
    drain()
    assert len(outbox.outbox) == 1  # running the queue again sends nothing twice


def test_creator_not_told_of_own_chapter(author, work, drain):
    services.subscription_create(actor=author, work=work.pk)
    _new_chapter(author, work)
    drain()
    assert not outbox.outbox


def test_creator_subscription_new_work(author, user, drain):
    services.subscription_create(actor=user, user=author.username)
    make_work(author, title="The Second Case")
    drain()
    assert len(outbox.outbox) == 1 and "The Second Case" in outbox.outbox[0].subject
    assert "author" in outbox.outbox[0].subject


def test_anonymous_work_never_reveals_creator(author, user, drain):
    """A creator's subscribers hear nothing of their anonymous works."""
    services.subscription_create(actor=user, user=author.username)
    make_work(author, title="Secret", anonymous=True)
    drain()
    assert not outbox.outbox
    assert not Notification.objects.filter(user=user).exists()


def test_draft_posted_tells_creator_subscribers(author, user, drain):
    services.subscription_create(actor=user, user=author.username)
    draft = make_work(author, title="Drafted", draft=True)
    drain()
    assert not outbox.outbox
    work_post(actor=author, work=draft)
    drain()
    assert len(outbox.outbox) == 1 and "Drafted" in outbox.outbox[0].subject


def test_series_subscription_new_part(author, user, drain):
    from ficarchive.works.services import series_add_work

    first = make_work(author, title="Part One")
    series = series_add_work(actor=author, work=first, series_title="Cases")
    drain()
    services.subscription_create(actor=user, series=series.pk)
    second = make_work(author, title="Part Two")
    series_add_work(actor=author, work=second, series_title="Cases")
    drain()
    assert len(outbox.outbox) == 1
    assert "Cases" in outbox.outbox[0].subject and "Part Two" in outbox.outbox[0].subject


def test_hidden_before_sending_is_not_mailed(author, user, admin_user, work, drain):
    """Access is checked again when the mail is built: a work hidden meanwhile is not
    mailed (the mail is cancelled) and leaves the inbox."""
    services.subscription_create(actor=user, work=work.pk)
    _new_chapter(author, work)
    # The fan-out runs, then an admin hides the work before the send job runs.
    from ficarchive.core.jobs import job_run

    job_run(Job.objects.get(kind="notify.fanout", payload__event="chapter").pk)
    work_hide(actor=admin_user, work=work, hidden=True)
    drain()
    # Only the creator's notice that the work was hidden (moderation) goes out.
    assert [m.to for m in outbox.outbox if m.to != [author.email]] == []
    assert OutgoingMail.objects.get().status == MailStatus.CANCELLED


def test_restricted_work_only_to_users_who_see_it(author, user, drain):
    """A restricted work is mailed to its (signed-in) subscribers; the mail holds nothing
    of works they cannot see."""
    work = make_work(author, restricted=True)
    services.subscription_create(actor=user, work=work.pk)
    _new_chapter(author, work)
    drain()
    assert len(outbox.outbox) == 1


def test_kudos_default_daily_digest(author, user, work, drain):
    """Kudos wait for the daily digest (AO3); several kudos make one mail."""
    other = make_user("other")
    kudos_give(actor=user, work=work)
    kudos_give(actor=other, work=work)
    kudos_give(actor=None, work=work, guest_address="10.0.0.1")
    drain()
    assert not outbox.outbox  # not before the day is over
    assert Notification.objects.filter(user=author, kind="kudos").count() == 3
    _digests_due()
    drain()
    assert len(outbox.outbox) == 1
    body = outbox.outbox[0].body
    assert "reader left kudos" in body and "other left kudos" in body and "A guest" in body


def test_preferences_immediate_hourly_off(author, user, work, drain):
    services.mail_preferences_update(actor=author, frequencies={"kudos": "immediate"})
    kudos_give(actor=user, work=work)
    drain()
    assert len(outbox.outbox) == 1
    services.mail_preferences_update(actor=author, frequencies={"kudos": "off"})
    kudos_give(actor=make_user("x"), work=work)
    _digests_due()
    drain()
    assert len(outbox.outbox) == 1
    # Off for mail still reaches the inbox.
    assert Notification.objects.filter(user=author, kind="kudos").count() == 2
    services.mail_preferences_update(actor=author, frequencies={"kudos": "hourly"})
    kudos_give(actor=make_user("y"), work=work)
    drain()
    assert len(outbox.outbox) == 1
    job = Job.objects.get(kind="notify.digest", status="queued")
    assert job.run_after.minute == 0 and job.run_after > timezone.now()


def test_bad_preference_changes_nothing(author):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.mail_preferences_update(
            actor=author, frequencies={"kudos": "off", "comment": "weekly"}
        )
    from ficarchive.notify.selectors import mail_preferences_of

    assert mail_preferences_of(author)["kudos"] == "daily"


def test_comments_and_replies(author, user, work, drain):
    """A comment mails the creator; a reply mails the one replied to, as a reply."""
    comment = comment_create(actor=user, work=work, body="Lovely!")
    drain()
    assert len(outbox.outbox) == 1 and outbox.outbox[0].to == [author.email]
    assert "commented on" in outbox.outbox[0].subject
    comment_create(actor=author, work=work, body="Thank you!", parent=comment)
    drain()
    assert len(outbox.outbox) == 2 and outbox.outbox[1].to == [user.email]
    assert "replied to your comment" in outbox.outbox[1].subject


def test_gift_service(author, user, work, drain):
    services.notification_gift(work_id=work.pk, user_ids=[user.pk, author.pk])
    drain()
    assert len(outbox.outbox) == 1 and outbox.outbox[0].to == [user.email]
    assert "gift" in outbox.outbox[0].subject


def test_inbox_shows_updates(client, author, user, work, drain):
    from ficarchive.testing import PASSWORD

    services.subscription_create(actor=user, work=work.pk)
    _new_chapter(author, work)
    drain()
    client.login(username=user.username, password=PASSWORD)
    page = client.get(f"/users/{user.username}/inbox").content.decode()
    assert "notification subscription" in page and work.title in page
    client.post(f"/users/{user.username}/notifications/read")
    assert not Notification.objects.filter(user=user, read=False).exists()


def test_no_address_no_mail(author, work, drain):
    reader = make_user("quiet")
    reader.email = ""
    reader.save(update_fields=["email"])
    services.subscription_create(actor=reader, work=work.pk)
    _new_chapter(author, work)
    drain()
    assert not outbox.outbox
    assert Notification.objects.filter(user=reader).exists()


def test_unsubscribed_while_digest_waits(author, user, work, drain):
    """A digest leaves out updates of a subscription deleted meanwhile, and kinds turned off."""
    services.mail_preferences_update(actor=user, frequencies={"subscription": "daily"})
    sub, _ = services.subscription_create(actor=user, work=work.pk)
    _new_chapter(author, work)
    drain()
    services.subscription_delete(actor=user, subscription_id=sub.pk)
    _digests_due()
    drain()
    assert not outbox.outbox
    assert OutgoingMail.objects.get().status == MailStatus.CANCELLED


def test_build_failure_is_retried_not_lost(monkeypatch, author, user, work, drain):
    from ficarchive.notify import mail

    services.subscription_create(actor=user, work=work.pk)
    _new_chapter(author, work)

    def broken(record):
        raise RuntimeError("template trouble")

    monkeypatch.setattr(mail, "mail_build", broken)
    drain()
    assert OutgoingMail.objects.get().status == MailStatus.PENDING
    monkeypatch.undo()
    Job.objects.filter(status="queued").update(run_after=timezone.now())
    drain()
    assert len(outbox.outbox) == 1


def test_work_made_anonymous_before_the_digest_is_not_mailed(author, user, drain):
    """The fan-out saw a named work; by the time the daily digest is built it is in an
    anonymous collection: the creator's subscribers must not be told it is theirs."""
    from ficarchive.core.models import Job
    from ficarchive.works.services import works_collection_state_set

    services.subscription_create(actor=user, user=author.username)
    services.mail_preferences_update(actor=user, frequencies={"subscription": "daily"})
    work = make_work(author, title="Soon Anonymous")
    drain()
    assert not outbox.outbox  # the digest waits for tomorrow
    works_collection_state_set(states={work.pk: (True, False)})
    Job.objects.filter(status="queued").update(run_after=timezone.now())
    drain()
    assert not any("Soon Anonymous" in m.body for m in outbox.outbox)
