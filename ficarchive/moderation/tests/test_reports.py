"""Abuse reports: the Report links, the form (reasons, details, guest email, a limit per
address), and the admins' queue: assignment, notes, status, actions on the reported
object, and the reporter told the outcome."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from ficarchive.core.audit import AuditLog
from ficarchive.core.jobs import jobs_run_pending
from ficarchive.feedback import services as feedback
from ficarchive.moderation.models import AbuseReport, ReportStatus
from ficarchive.testing import make_user
from ficarchive.works.models import Work

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/moderation/abusereport/"


def test_report_links_on_work_comment_user_and_tag_pages(client, user, work):
    comment = feedback.comment_create(actor=user, work=work, body="a comment")
    page = client.get(work.get_absolute_url() + "?view_adult=true").content.decode()
    assert f"/abuse_reports/new?kind=work&amp;target={work.pk}" in page
    assert f"/abuse_reports/new?kind=comment&amp;target={comment.pk}" in page
    assert (
        "/abuse_reports/new?kind=user&amp;target=author"
        in client.get("/users/author").content.decode()
    )
    tag = work.tags.first()
    tag_page = client.get(tag.get_tag_url()).content.decode()
    assert "/abuse_reports/new?kind=tag&amp;target=" in tag_page
    form = client.get(f"/abuse_reports/new?kind=work&target={work.pk}").content.decode()
    assert f'value="{work.pk}"' in form


def test_guest_report_then_flood_is_refused(client, work):
    """A guest files a report with an address; past the common limit of the scope "report"
    (FICARCHIVE_RATE_LIMITED_VIEWS) per address, the answer is the archive's 429 with
    Retry-After, and nothing more is stored."""
    data = {"kind": "work", "target": str(work.pk), "reason": "spam", "email": "g@example.org"}
    with override_settings(
        FICARCHIVE_RATELIMIT_ENABLED=True, FICARCHIVE_RATE_LIMITS={"report": "2/h"}
    ):
        for _ in range(2):
            assert client.post("/abuse_reports/new", data).status_code == 302
        r = client.post("/abuse_reports/new", data)
    assert r.status_code == 429 and "wait" in r.content.decode() and r["Retry-After"]
    assert AbuseReport.objects.count() == 2
    report = AbuseReport.objects.first()
    assert report.email == "g@example.org" and report.status == ReportStatus.NEW


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"kind": "work", "target": "99999", "reason": "spam"}, "no such work"),
        ({"kind": "user", "target": "ghost", "reason": "spam"}, "no such user"),
        ({"kind": "work", "target": "WORK", "reason": "other"}, "Tell us what is wrong"),
    ],
)
def test_bad_reports_say_why(client, work, data, error):
    data = {**data, "target": data["target"].replace("WORK", str(work.pk))}
    r = client.post("/abuse_reports/new", data)
    assert r.status_code == 200 and error in r.content.decode()
    assert not AbuseReport.objects.exists()


def test_admin_resolves_a_report_hides_the_work_and_the_reporter_is_told(
    client, admin_user, work, django_capture_on_commit_callbacks
):
    report = AbuseReport.objects.create(
        kind="work", object_id=work.pk, reason="plagiarism", email="r@example.org"
    )
    client.force_login(admin_user)
    assert client.get(CHANGELIST).status_code == 200
    client.post(CHANGELIST, {"action": "assign_to_me", "_selected_action": [report.pk]})
    client.post(CHANGELIST, {"action": "hide_reported_works", "_selected_action": [report.pk]})
    assert Work.objects.get(pk=work.pk).hidden_by_admin
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(
            f"{CHANGELIST}{report.pk}/change/",
            {
                "status": "resolved",
                "assigned_to": admin_user.pk,
                "outcome": "The work was hidden.",
                "notes-TOTAL_FORMS": "1",
                "notes-INITIAL_FORMS": "0",
                "notes-0-body": "Checked the source.",
            },
        )
    assert r.status_code == 302
    report.refresh_from_db()
    assert report.status == "resolved" and report.assigned_to == admin_user
    assert report.notes.get().body == "Checked the source."
    jobs_run_pending()
    # The reporter hears the outcome; the work's creator is told it was hidden.
    by_to = {m.to[0]: m for m in mail.outbox}
    assert len(mail.outbox) == 2 and set(by_to) == {"r@example.org", "author@example.org"}
    assert "hidden" in by_to["author@example.org"].subject
    assert "The work was hidden." in by_to["r@example.org"].body
    actions = set(AuditLog.objects.values_list("action", flat=True))
    assert {"report.assign", "work.hide", "report.status"} <= actions


def test_admin_suspends_from_the_accounts_queue(client, admin_user):
    """The suspend action asks for a date and reason, then suspends."""
    troll = make_user("troll")
    url = "/admin/moderation/moderateduser/"
    client.force_login(admin_user)
    page = client.post(url, {"action": "suspend", "_selected_action": [troll.pk]})
    assert page.status_code == 200 and 'name="until"' in page.content.decode()
    until = (dt.date.today() + dt.timedelta(days=3)).isoformat()
    client.post(
        url,
        {
            "action": "suspend",
            "_selected_action": [troll.pk],
            "apply": "1",
            "until": until,
            "reason": "Spam",
        },
    )
    troll.refresh_from_db()
    assert troll.suspended_until is not None and troll.suspension_reason == "Spam"
    assert reverse("admin:moderation_moderateduser_changelist") == url
