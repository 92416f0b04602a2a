"""Issue 2 end to end in real headless Chromium: sign up, post a two-chapter Explicit work
from pasted text, read it as a guest through the adult notice, then leave kudos and a
comment as another reader."""

from __future__ import annotations

import os
import re

import pytest

from ficarchive.testing import PASSWORD, make_user

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's sync API runs an event loop

CHAPTER_ONE = """The lamp burned low in Baker Street.

Holmes said nothing for a long while.

* * *

Morning came grey over the rooftops."""

CHAPTER_TWO = "The second chapter begins at the docks."


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_sign_up_post_read_as_guest_and_respond(live_server, browser):
    """The whole core flow of issue 2 works in a browser, without any JavaScript of ours."""
    base = live_server.url
    page = browser.new_page()
    page.set_default_timeout(15_000)

    # Sign up.
    page.goto(f"{base}/signup")
    page.fill("#id_username", "night_writer")
    page.fill("#id_email", "nw@example.org")
    page.fill("#id_password1", "quiet-river-lantern-88")
    page.fill("#id_password2", "quiet-river-lantern-88")
    page.click("button:has-text('Create Account')")
    page.wait_for_url(f"{base}/users/night_writer")
    assert page.locator("header nav").get_by_text("night_writer").count() == 1
    # A new archive asks new accounts to confirm their address before posting (issue 14):
    # open the link from the mail.
    from django.core import mail

    from ficarchive.core.jobs import jobs_run_pending

    jobs_run_pending()  # the confirmation mail is sent by the job queue
    link = re.search(r"https?://\S+/confirm/\S+", mail.outbox[-1].body).group(0)
    page.goto(base + re.sub(r"^https?://[^/]+", "", link))
    assert "is confirmed" in page.content()

    # Post chapter 1 of an Explicit work from pasted plain text.
    page.goto(f"{base}/works/new")
    page.select_option("#id_rating", "Explicit")
    page.check("input[name=warnings][value='No Archive Warnings Apply']")
    page.fill("#id_fandoms", "Sherlock Holmes - Arthur Conan Doyle")
    page.fill("#id_title", "Lamplight")
    if page.locator("#id_multi_chapter").count():
        page.check("#id_multi_chapter")
        page.fill("#id_expected_chapters", "2")
    page.fill("#id_body", CHAPTER_ONE)
    page.click("button[name=action][value=post]")
    page.wait_for_url(re.compile(r".*/works/\d+(\?.*)?$"))
    work_url = re.sub(r"\?.*$", "", page.url)

    # Chapter 2 through "Add Chapter".
    page.get_by_role("link", name="Add Chapter").first.click()
    page.fill("#id_body", CHAPTER_TWO)
    page.click("ul.actions.submit button[type=submit]")
    page.wait_for_url(re.compile(r".*/works/\d+.*"))
    page.goto(f"{work_url}?view_full_work=true")
    assert "The second chapter begins at the docks." in page.inner_text("main")

    # Log out, then come back as a guest: the adult notice first.
    page.click("header button:has-text('Log Out')")
    page.wait_for_load_state()
    assert page.locator("header").get_by_text("Log In").count() == 1
    page.goto(work_url)
    assert "adult content" in page.inner_text("main")
    assert page.locator(".userstuff").count() == 0
    page.get_by_role("link", name="Yes, Continue").click()
    page.wait_for_load_state()
    assert "The lamp burned low in Baker Street." in page.inner_text("main")
    assert page.locator(".userstuff hr").count() >= 1  # the "* * *" line as a rule
    assert "* * *" not in page.inner_text(".userstuff >> nth=0")

    # Another reader logs in, leaves kudos and a comment.
    make_user("second_reader")
    page.goto(f"{base}/login?next={work_url}")
    page.fill("#id_username", "second_reader")
    page.fill("#id_password", PASSWORD)
    page.click("main button:has-text('Log In')")
    page.wait_for_url(re.compile(re.escape(work_url) + r".*"))
    if page.get_by_role("link", name="Yes, Continue").count():
        page.get_by_role("link", name="Yes, Continue").click()
        page.wait_for_load_state()
    page.click("#kudo_submit")
    page.wait_for_load_state()
    assert "second_reader" in page.inner_text("#kudos")
    assert page.locator("#kudo_form button[disabled]").count() == 1

    page.fill("#comment_body", "The scene break landed *perfectly*.\n\nMore, please.")
    page.click("#comment_submit")
    page.wait_for_load_state()
    comments = page.inner_text("#comments")
    assert "The scene break landed *perfectly*." in comments and "More, please." in comments
    assert "second_reader" in comments
    page.close()
