"""Issue 6's accept/reject flow in real headless Chromium: the creator opens the
suggestions panel, adds one proposed character in one click, dismisses another, and
the work and the panel show the decisions after a reload."""

from __future__ import annotations

import os
import re

import pytest
from django.test import Client

from ficarchive.suggest.tests.factories import make_canon, make_holmes_work

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's sync API runs an event loop


def _logged_in_page(browser, live_server, user):
    """A browser page carrying a session of the user (logged in through Django's test client)."""
    client = Client()
    client.force_login(user)
    context = browser.new_context()
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_add_one_dismiss_another(live_server, browser, author):
    """Add puts the character on the work in one click; Dismiss keeps the other off the work
    and off the panel after a reload."""
    from django.core.cache import cache

    cache.clear()
    make_canon()
    work = make_holmes_work(author)
    base = live_server.url
    page = _logged_in_page(browser, live_server, author)
    errors: list[str] = []
    # Script errors (CSP refusals included); the missing favicon is not ours.
    page.on(
        "console",
        lambda m: (
            errors.append(m.text)
            if m.type == "error" and "favicon" not in m.location.get("url", "")
            else None
        ),
    )

    # The work page's creator sees no character tags yet.
    page.goto(f"{base}/works/{work.pk}")
    assert page.locator("dd.character").count() == 0

    # The panel proposes the characters named in the text, each with its passage.
    page.goto(f"{base}/works/{work.pk}/suggestions")
    panel = page.locator("#suggestions")
    assert "The text may call for these tags" in panel.inner_text()
    # Exact names: a proposed relationship such as "John Watson & Sherlock Holmes" is another item.
    watson = panel.locator(
        "[data-suggestion]",
        has=page.locator(".suggest-name", has_text=re.compile(r"^John Watson$")),
    )
    irene = panel.locator(
        "[data-suggestion]",
        has=page.locator(".suggest-name", has_text=re.compile(r"^Irene Adler$")),
    )
    assert watson.locator("mark", has_text="John Watson").count() >= 1
    page.evaluate("window.sameDocument = true")  # gone if the click loads a page

    # One click on Add: the item leaves the panel in place, no page load.
    watson.get_by_role("button", name="Add John Watson").click()
    page.locator("[data-suggest-status]").filter(has_text="Added John Watson").wait_for()
    assert watson.count() == 0 and page.evaluate("window.sameDocument === true")

    # One click on Dismiss.
    irene.get_by_role("button", name="Dismiss Irene Adler").click()
    page.locator("[data-suggest-status]").filter(has_text="Dismissed Irene Adler").wait_for()
    assert irene.count() == 0

    # After a reload: neither is proposed; the dismissal is listed; Sherlock still waits.
    page.reload()
    names = page.locator("#suggestions .suggest-name").all_inner_texts()
    assert "John Watson" not in names and "Irene Adler" not in names and "Sherlock Holmes" in names
    assert "Irene Adler" in page.locator(".suggest-dismissed").inner_text()

    # The work page carries John Watson and not Irene Adler.
    page.goto(f"{base}/works/{work.pk}")
    characters = page.locator("dd.character").inner_text()
    assert "John Watson" in characters and "Irene Adler" not in characters
    assert errors == []
