"""Issue 13 in headless Chromium: subscribe on the page → new chapter → mail received
through a real SMTP server → the mail's unsubscribe link works without logging in."""

from __future__ import annotations

import os
import re

import pytest

from ficarchive.core.jobs import jobs_run_pending
from ficarchive.notify.loopback import SmtpServer, free_port
from ficarchive.notify.models import Subscription
from ficarchive.testing import PASSWORD, make_user, make_work
from ficarchive.works.services import ChapterInput, chapter_add

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's sync API runs an event loop


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_subscribe_new_chapter_mail_unsubscribe(live_server, browser, settings):
    smtp = SmtpServer(free_port())
    smtp.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", smtp.port, False
    settings.SITE_URL = live_server.url
    settings.FICARCHIVE_TASK_MODE = "worker"
    try:
        author = make_user("writer")
        make_user("follower")
        work = make_work(author, title="The Long Road")
        jobs_run_pending()
        page = browser.new_page()
        page.set_default_timeout(15_000)

        page.goto(f"{live_server.url}/login?next=/works/{work.pk}")
        page.fill("#id_username", "follower")
        page.fill("#id_password", PASSWORD)
        page.click("main button:has-text('Log In')")
        page.wait_for_url(re.compile(rf".*/works/{work.pk}.*"))
        page.click("form.subscribe button:has-text('Subscribe')")
        page.wait_for_load_state()
        assert page.locator("form.subscribe button:has-text('Unsubscribe')").count() == 1
        assert Subscription.objects.filter(work=work).count() == 1

        chapter_add(actor=author, work=work, chapter=ChapterInput(body="Onward.", title="Two"))
        jobs_run_pending()
        assert len(smtp.messages) == 1
        text = next(
            p.get_payload(decode=True).decode()
            for p in smtp.messages[0].walk()
            if p.get_content_type() == "text/plain"
        )
        link = re.search(r"Unsubscribe from this subscription: (\S+)", text).group(1)

        page.click("header button:has-text('Log Out')")
        page.wait_for_load_state()
        page.goto(link)
        page.click("main button:has-text('Unsubscribe')")
        page.wait_for_load_state()
        assert "You are unsubscribed." in page.inner_text("main")
        assert not Subscription.objects.exists()
        page.close()
    finally:
        smtp.stop()
