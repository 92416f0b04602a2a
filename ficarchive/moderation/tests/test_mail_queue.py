"""The archive's own mails (sign-up, invitations, email change, report outcomes,
suspensions) go through the job queue: queued with the write, sent by the worker as text
and HTML under the archive's name, retried with back-off, sent once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.utils import timezone

from ficarchive.core.jobs import jobs_run_pending
from ficarchive.core.jobs_model import Job, JobStatus
from ficarchive.core.viewers import OPERATOR
from ficarchive.moderation import services
from ficarchive.moderation.mail import MAIL_JOB
from ficarchive.moderation.reports import ReportInput, report_create, report_status_set
from ficarchive.site import services as site_services
from ficarchive.site.services import SignupInput
from ficarchive.testing import make_user

pytestmark = pytest.mark.django_db

GOOD = "quiet-river-lantern-88"


class DownBackend(BaseEmailBackend):
    """A mail server that refuses every connection."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError("the mail server is down")


def test_sign_up_mail_is_queued_then_sent_as_text_and_html_under_the_archive_name(settings):
    """Nothing is sent in the request; the worker sends one mail with both parts, the
    archive's name as sender, and a fixed Message-ID; running the queue again sends
    nothing more."""
    settings.SITE_NAME = "Quill Archive"
    site_services.account_sign_up(
        data=SignupInput(username="newbie", email="newbie@example.org", password=GOOD)
    )
    assert mail.outbox == []
    assert Job.objects.filter(kind=MAIL_JOB, status=JobStatus.QUEUED).count() == 1
    jobs_run_pending()
    (sent,) = mail.outbox
    assert sent.to == ["newbie@example.org"]
    assert sent.from_email.startswith("Quill Archive <")
    assert "Quill Archive" in sent.subject
    assert "/confirm/" in sent.body
    html, kind = sent.alternatives[0]
    assert kind == "text/html" and '<a href="http' in html and "/confirm/" in html
    assert sent.extra_headers["Message-ID"].startswith("<")
    assert "unsubscribe" not in sent.body.lower()  # transactional: nothing to unsubscribe from
    jobs_run_pending()
    assert len(mail.outbox) == 1


def test_a_sent_mail_leaves_no_confirmation_link_in_the_job_table():
    """Once sent, the job keeps its key (which blocks a repeat) but not its payload: the
    confirmation link must not sit in the table for the days finished jobs are kept."""
    site_services.account_sign_up(
        data=SignupInput(username="linkless", email="linkless@example.org", password=GOOD)
    )
    queued = Job.objects.get(kind=MAIL_JOB)
    assert "/confirm/" in str(queued.payload)
    jobs_run_pending()
    assert len(mail.outbox) == 1
    done = Job.objects.get(pk=queued.pk)
    assert done.status == JobStatus.DONE
    assert done.payload == {}
    assert done.key == queued.key


def test_a_refused_sign_up_queues_no_mail():
    """A write that fails leaves no job behind (the job is queued in its transaction)."""
    make_user("taken")  # taken@example.org
    with pytest.raises(ValidationError):
        site_services.account_sign_up(
            data=SignupInput(username="other", email="taken@example.org", password=GOOD)
        )
    assert not Job.objects.filter(kind=MAIL_JOB).exists()


def test_smtp_outage_delays_the_mail_and_retries_it_once_under_the_same_message_id(settings):
    """While the server is down the job waits with back-off; once it is up the same message
    (same Message-ID) is sent once."""
    settings.EMAIL_BACKEND = f"{__name__}.DownBackend"
    site_services.invite_request_create(email="queued@example.org")
    site_services.invite_queue_send(actor=OPERATOR, count=1)
    jobs_run_pending()
    job = Job.objects.get(kind=MAIL_JOB)
    assert job.status == JobStatus.QUEUED and job.attempts == 1
    assert job.run_after > timezone.now()  # backing off, not hammering the server
    assert "down" in job.error
    assert jobs_run_pending() == 0  # not due yet
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    Job.objects.filter(pk=job.pk).update(run_after=timezone.now())
    jobs_run_pending()
    (sent,) = mail.outbox
    assert sent.to == ["queued@example.org"]
    assert sent.extra_headers["Message-ID"] == job.payload["message_id"]
    assert "invitation=" in sent.body
    jobs_run_pending()
    assert len(mail.outbox) == 1


def test_report_outcome_is_mailed_once_per_closing():
    """Closing a report queues its outcome mail; saving it closed again does not mail
    twice; a report rolled back queues nothing."""
    work_owner = make_user("writer")
    from ficarchive.testing import make_work

    work = make_work(work_owner)
    report = report_create(
        actor=None,
        data=ReportInput(kind="work", target=str(work.pk), reason="spam", email="r@example.org"),
    )
    report_status_set(actor=OPERATOR, report=report, status="resolved", outcome="Hidden.")
    report_status_set(actor=OPERATOR, report=report, status="resolved")
    jobs_run_pending()
    assert [m.to for m in mail.outbox] == [["r@example.org"]]
    assert "Hidden." in mail.outbox[0].body
    with pytest.raises(RuntimeError), transaction.atomic():
        report_status_set(actor=OPERATOR, report=report, status="in_progress")
        report_status_set(actor=OPERATOR, report=report, status="rejected")
        raise RuntimeError("rolled back")
    jobs_run_pending()
    assert len(mail.outbox) == 1


def test_suspension_and_ban_are_mailed_to_the_account(admin_user):
    """The account's owner is told the end date and the reason of a suspension, and of a
    ban."""
    target = make_user("rulebreaker")
    until = (timezone.now() + dt.timedelta(days=10)).date()
    services.user_suspend(actor=admin_user, user=target, until=until, reason="Spam links.")
    services.user_ban(actor=admin_user, user=target)
    jobs_run_pending()
    suspended, banned = mail.outbox
    assert suspended.to == ["rulebreaker@example.org"] and until.isoformat() in suspended.body
    assert "Spam links." in suspended.body
    assert "banned" in banned.subject.lower()


def test_mail_is_written_in_the_request_language_or_the_recipients_preference():
    """A sign-up from an Arabic page gets its confirmation in Arabic, right to left (no
    preference yet); a French-speaking account suspended by an admin working in Arabic is
    told in French (see test_mail_language.py for the rest)."""
    from django.utils import translation

    from ficarchive.accounts.services import language_update

    frenchie = make_user("frenchie")
    language_update(actor=frenchie, user=frenchie, language="fr")

    with translation.override("ar"):
        site_services.account_sign_up(
            data=SignupInput(username="arabic", email="arabic@example.org", password=GOOD)
        )
    with translation.override("ar"):
        until = (timezone.now() + dt.timedelta(days=3)).date()
        services.user_suspend(actor=OPERATOR, user=frenchie, until=until, reason="Spam.")
    jobs_run_pending()
    arabic, french = mail.outbox
    assert "أكّد عنوان بريدك" in arabic.subject
    assert 'dir="rtl"' in arabic.alternatives[0][0]
    assert "suspendu" in french.subject and "Spam." in french.body


def test_suspension_from_the_command_line_is_mailed_too():
    """`ficarchive user suspend` (accounts' door) sends the same notice as the admin."""
    from django.core.management import call_command

    make_user("cliuser")
    until = (timezone.now() + dt.timedelta(days=5)).date().isoformat()
    call_command("user", "suspend", "cliuser", "--until", until, "--reason", "Flooding.")
    jobs_run_pending()
    (sent,) = mail.outbox
    assert sent.to == ["cliuser@example.org"] and until in sent.body and "Flooding." in sent.body
