"""Mail through a real SMTP server on loopback: delivery, an outage, a crash between send
and record, and `ficarchive sendtestemail`."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from ficarchive.core.jobs import jobs_run_pending
from ficarchive.core.models import Job
from ficarchive.notify import services
from ficarchive.notify.loopback import SmtpServer, free_port
from ficarchive.notify.mail import mail_send
from ficarchive.notify.models import MailStatus, OutgoingMail
from ficarchive.testing import make_user
from ficarchive.works.services import ChapterInput, chapter_add

pytestmark = pytest.mark.django_db


@pytest.fixture
def smtp(settings):
    server = SmtpServer(free_port())
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_USE_TLS = False
    yield server
    server.stop()


def _chapter(author, work):
    return chapter_add(actor=author, work=work, chapter=ChapterInput(body="More.", title="Two"))


def _time_passes():
    """Every job waiting out its back-off becomes due."""
    Job.objects.filter(status="queued").update(run_after=timezone.now())


def test_delivered_with_both_parts_and_headers(smtp, author, user, work):
    smtp.start()
    services.subscription_create(actor=user, work=work.pk)
    _chapter(author, work)
    jobs_run_pending()
    assert len(smtp.messages) == 1
    message = smtp.messages[0]
    assert message["To"] == user.email
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message["Message-ID"] == OutgoingMail.objects.get().message_id
    types = [part.get_content_type() for part in message.walk()]
    assert "text/plain" in types and "text/html" in types


def test_outage_delays_and_loses_none(smtp, author, work):
    """Server down: every mail waits, retried with back-off; server up: each is sent once."""
    readers = [make_user(f"reader{i}") for i in range(3)]
    for r in readers:
        services.subscription_create(actor=r, work=work.pk)
    _chapter(author, work)
    jobs_run_pending()  # nothing listens on the port
    assert smtp.messages == []
    sends = Job.objects.filter(kind="notify.send")
    assert sends.count() == 3
    assert all(j.status == "queued" and j.attempts == 1 for j in sends)
    assert all(j.run_after > timezone.now() + dt.timedelta(seconds=20) for j in sends)
    assert set(OutgoingMail.objects.values_list("status", flat=True)) == {MailStatus.PENDING}
    _time_passes()
    jobs_run_pending()  # still down: the wait grows
    first = Job.objects.filter(kind="notify.send").first()
    assert first.attempts == 2 and first.run_after > timezone.now() + dt.timedelta(seconds=50)
    smtp.start()
    assert jobs_run_pending() == 0  # not due yet: nothing is hammered
    _time_passes()
    jobs_run_pending()
    assert sorted(m["To"] for m in smtp.messages) == sorted(r.email for r in readers)
    assert set(OutgoingMail.objects.values_list("status", flat=True)) == {MailStatus.SENT}
    _time_passes()
    jobs_run_pending()
    assert len(smtp.messages) == 3  # none doubled


def test_crash_between_send_and_record_resends_same_message_id(smtp, author, user, work):
    """A worker that died after the server accepted the mail but before recording it
    leaves the row claimed; once the claim is stale the mail goes again under the same
    Message-ID (the same message to every server and client), and is recorded sent."""
    smtp.start()
    services.subscription_create(actor=user, work=work.pk)
    _chapter(author, work)
    jobs_run_pending()
    mail = OutgoingMail.objects.get()
    long_ago = timezone.now() - dt.timedelta(hours=1)
    # What the crash leaves: the mail claimed, its job running, neither finished.
    OutgoingMail.objects.filter(pk=mail.pk).update(status=MailStatus.SENDING, claimed_at=long_ago)
    Job.objects.filter(kind="notify.send").update(status="running", claimed_at=long_ago)
    jobs_run_pending()
    assert len(smtp.messages) == 2
    assert smtp.messages[0]["Message-ID"] == smtp.messages[1]["Message-ID"] == mail.message_id
    assert OutgoingMail.objects.get().status == MailStatus.SENT


def test_a_claimed_or_sent_mail_is_not_sent_again(smtp, author, user, work):
    """Two workers with the same job: the second finds the row claimed or sent."""
    smtp.start()
    services.subscription_create(actor=user, work=work.pk)
    _chapter(author, work)
    from ficarchive.core.jobs import job_run

    for job in Job.objects.filter(kind="notify.fanout"):
        job_run(job.pk)
    mail = OutgoingMail.objects.get()
    OutgoingMail.objects.filter(pk=mail.pk).update(
        status=MailStatus.SENDING, claimed_at=timezone.now()
    )
    mail_send({"mail": mail.pk})  # another worker holds a fresh claim
    assert smtp.messages == []
    OutgoingMail.objects.filter(pk=mail.pk).update(status=MailStatus.PENDING)
    mail_send({"mail": mail.pk})
    mail_send({"mail": mail.pk})
    assert len(smtp.messages) == 1


def test_sendtestemail(smtp, capsys):
    smtp.start()
    call_command("sendtestemail", "someone@example.org")
    assert "Sent a test email to someone@example.org" in capsys.readouterr().out
    assert smtp.messages[0]["To"] == "someone@example.org"
    assert "Ficarchive" in smtp.messages[0]["Subject"]


def test_sendtestemail_server_down(smtp):
    with pytest.raises(CommandError, match="Could not send through SMTP 127.0.0.1"):
        call_command("sendtestemail", "someone@example.org")


def test_sendtestemail_bad_address(smtp):
    with pytest.raises(CommandError, match="not an email address"):
        call_command("sendtestemail", "nobody")
