"""Issue 5's upload form in real headless Chromium: log in, choose files, import, open the new draft."""

from __future__ import annotations

import os
import re

import pytest

from ficarchive.testing import PASSWORD, make_user
from ficarchive.works.models import Work

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's sync API runs an event loop

STORY = """The Lighthouse Keeper

Chapter 1

The lamp had burned every night for forty years, and Ada meant to keep it so.

* * *

Morning came grey over the rocks, and with it a boat nobody had sent for.

Chapter 2

The stranger said his name was Tom, and that he had come to put the light out.
"""


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_upload_files_and_preview_the_new_draft(live_server, browser):
    """Uploading a text file and a broken EPUB makes one draft, lists the refusal, and the
    draft opens with both chapters and its scene break; no console (CSP) errors."""
    make_user("keeper")
    base = live_server.url
    page = browser.new_page()
    page.set_default_timeout(15_000)
    console_errors: list[str] = []
    page.on("console", lambda m: console_errors.append(m.text) if m.type == "error" else None)

    # The form asks a guest to log in first, then comes back.
    page.goto(f"{base}/works/import")
    page.wait_for_url(re.compile(r"/login\?next="))
    page.fill("#id_username", "keeper")
    page.fill("#id_password", PASSWORD)
    page.click("button:has-text('Log In')")
    page.wait_for_url(f"{base}/works/import")

    assert page.get_by_label("Files to import").count() == 1
    assert page.get_by_label("Import as drafts, so I can preview them before posting").is_checked()
    page.set_input_files(
        "#id_uploads",
        [
            {"name": "lighthouse.txt", "mimeType": "text/plain", "buffer": STORY.encode()},
            {
                "name": "broken.epub",
                "mimeType": "application/epub+zip",
                "buffer": b"PK\x03\x04" + b"\x00junk" * 40,
            },
        ],
    )
    page.fill("#id_fandoms", "Original Work")
    page.click("button:has-text('Import')")
    page.wait_for_selector("#import-results-heading")

    results = page.locator(".import-results")
    assert "1 work imported, 1 file not imported" in results.inner_text()
    assert "broken.epub" in page.locator(".import-refused").inner_text()
    link = page.locator(".import-created a", has_text="The Lighthouse Keeper")
    assert link.count() == 1
    assert "Draft" in page.locator(".import-created").inner_text()

    link.click()
    work = Work.objects.get(title="The Lighthouse Keeper")
    page.wait_for_url(f"{base}{work.get_absolute_url()}*")
    assert work.posted is False and work.chapter_count == 2
    body = page.locator("main").inner_text()
    assert "Original Work" in body
    assert "Ada meant to keep it so" in body
    assert page.locator("main .userstuff hr").count() >= 1

    # The draft is listed on the owner's drafts page.
    page.goto(f"{base}/users/keeper/works/drafts")
    assert page.get_by_text("The Lighthouse Keeper").count() >= 1
    assert not [e for e in console_errors if "Content Security Policy" in e], console_errors
