"""Read state in a listing, in a real browser: a reader opens one work and marks another
for later; the listing says so on each blurb, and the sidebar hides what they have read."""

from __future__ import annotations

import os

import pytest
from django.conf import settings
from django.test import Client

from ficarchive.testing import make_user, make_work
from ficarchive.works.services import ChapterInput, chapter_add

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_blurbs_show_read_state_and_the_filter_hides_read_works(live_server, browser):
    author, reader = make_user("writer"), make_user("bookworm")
    opened = make_work(author, title="Opened Before", chapters=["One."])
    saved = make_work(author, title="Saved For Later")
    make_work(author, title="Never Seen")
    client = Client()
    client.force_login(reader)
    context = browser.new_context()
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    page = context.new_page()

    page.goto(f"{live_server.url}/works/{opened.pk}")
    page.goto(f"{live_server.url}/works/{saved.pk}")
    with page.expect_navigation():
        page.get_by_role("button", name="Mark for Later").first.click()
    chapter_add(actor=author, work=opened, chapter=ChapterInput(body="Two."))

    page.goto(f"{live_server.url}/works")
    opened_blurb = page.locator(f"#work_{opened.pk}")
    assert "Read" in opened_blurb.locator(".read-state").text_content()
    assert "1 new chapter since you read" in opened_blurb.text_content()
    assert "Marked for later" in page.locator(f"#work_{saved.pk} .read-state").text_content()

    # The filters apply on an explicit submit, their groups folded until opened (issue 18).
    page.locator("details.read-state > summary").click()
    page.get_by_label("Hide works I have read").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Sort and Filter").first.click()
    assert "hide=read" in page.url
    titles = page.locator("li.blurb h4 a:first-child").all_text_contents()
    assert "Never Seen" in titles
    assert "Opened Before" not in titles and "Saved For Later" not in titles
    context.close()
