"""In headless Chromium: a reader reports a work from its page; an admin resolves the
report in the admin and the reporter is told by mail."""

from __future__ import annotations

import os

import pytest
from django.core import mail

from ficarchive.core.jobs import jobs_run_pending
from ficarchive.moderation.models import AbuseReport
from ficarchive.testing import make_user, make_work, otp_verify_session

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's sync API runs an event loop


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_report_a_work_and_resolve_it(live_server, browser, client):
    base = live_server.url
    work = make_work(make_user("copier"), title="Borrowed Words")
    page = browser.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{base}/works/{work.pk}")
    page.click("a.report")
    page.select_option("#id_reason", "plagiarism")
    page.fill("#id_details", "Copied from a published novel, chapter 3.")
    page.fill("#id_email", "reporter@example.org")
    page.click("button:has-text('Send Report')")
    assert "Thank you" in page.content()
    report = AbuseReport.objects.get()
    assert (report.kind, report.object_id) == ("work", work.pk)

    admin = make_user("mod", is_staff=True, is_superuser=True)
    client.force_login(admin)
    otp_verify_session(client, admin)
    cookie = client.cookies["sessionid"].value
    context = browser.new_context()
    context.add_cookies([{"name": "sessionid", "value": cookie, "url": base}])
    admin_page = context.new_page()
    admin_page.set_default_timeout(15_000)
    admin_page.goto(f"{base}/admin/moderation/abusereport/{report.pk}/change/")
    assert "Copied from a published novel" in admin_page.content()
    admin_page.select_option("#id_status", "resolved")
    admin_page.fill("#id_outcome", "The work has been hidden.")
    admin_page.click("input[name=_save]")
    admin_page.wait_for_url(f"{base}/admin/moderation/abusereport/")
    report.refresh_from_db()
    assert report.status == "resolved"
    jobs_run_pending()
    assert mail.outbox[-1].to == ["reporter@example.org"]
    assert "The work has been hidden." in mail.outbox[-1].body
