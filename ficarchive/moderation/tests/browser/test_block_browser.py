"""In headless Chromium: A blocks B from the blocked-users page; B can no longer comment
on or leave kudos on A's work; A no longer sees B's comment."""

from __future__ import annotations

import os

import pytest
from django.test import Client

from ficarchive.feedback.models import Comment, Kudos
from ficarchive.feedback.services import comment_create
from ficarchive.testing import make_user, make_work

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's sync API runs an event loop


def _page_as(browser, base, user):
    client = Client()
    client.force_login(user)
    context = browser.new_context()
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base}]
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_block_stops_comments_and_kudos_and_hides_comments(live_server, browser):
    base = live_server.url
    a, b = make_user("blocker_a"), make_user("blocked_b")
    work = make_work(a, title="Quiet Harbour")
    comment_create(actor=b, work=work, body="An unwelcome remark")

    page_b = _page_as(browser, base, b)
    page_b.goto(f"{base}/works/{work.pk}")  # loaded before the block: forms still there
    page_a = _page_as(browser, base, a)
    page_a.goto(f"{base}/works/{work.pk}")
    assert "An unwelcome remark" in page_a.content()
    page_a.goto(f"{base}/blocked_users")
    page_a.fill("input[name=user]", "blocked_b")
    page_a.click("button[value=block]")
    assert page_a.locator("ul.blocked").get_by_text("blocked_b").count() == 1
    page_a.goto(f"{base}/works/{work.pk}")
    assert "An unwelcome remark" not in page_a.content()

    # The page B loaded before the block: its forms are refused.
    page_b.fill("#comment_body", "Another remark")
    page_b.click("#comment_submit")
    assert "blocked by the creator" in page_b.content()
    # Loaded now: neither button is offered, and the reason is shown.
    page_b.goto(f"{base}/works/{work.pk}")
    assert page_b.locator("#kudo_submit").count() == 0
    assert page_b.locator("#comment_body").count() == 0
    assert "blocked by the creator" in page_b.content()
    assert not Comment.objects.filter(body__contains="Another remark").exists()
    assert not Kudos.objects.filter(work=work).exists()
