"""In a real browser: posting a work, passing the adult notice, and the no-JS menus."""

from __future__ import annotations

import os

import pytest

from ficarchive.tags.vocabulary import ArchiveWarning, Rating
from ficarchive.testing import PASSWORD, make_user, make_work

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def page(browser):
    """A page with JavaScript off: reading and posting must work without it."""
    return browser.new_context(java_script_enabled=False).new_page()


def _log_in(page, base, username):
    page.goto(f"{base}/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").last.click()


def test_post_a_work_without_javascript(live_server, page):
    """A writer fills in the posting form with JavaScript off and lands on the new work."""
    make_user("browser_writer")
    _log_in(page, live_server.url, "browser_writer")
    page.goto(f"{live_server.url}/works/new")
    page.select_option("#id_rating", Rating.TEEN.value)
    page.get_by_label(ArchiveWarning.NONE_APPLY.value).check()
    page.fill("#id_fandoms", "The Odyssey - Homer")
    page.get_by_label("F/F", exact=True).check()
    page.fill("#id_title", "Posted From A Browser")
    page.fill("#id_body", "First scene.\n\n~\n\nSecond scene.")
    with page.expect_navigation():
        page.click("button[value=post]")
    assert page.inner_text("h1.title") == "Posted From A Browser"
    assert page.locator(".userstuff hr").count() == 1
    assert "F/F" in page.inner_text("dd.category")


def test_adult_notice_then_reading_remembered(live_server, page):
    """A guest passes the notice once; the work then opens directly in that session."""
    author = make_user("browser_author")
    work = make_work(author, title="Grown Up", rating=Rating.MATURE, chapters=("The hidden text.",))
    page.goto(f"{live_server.url}/works/{work.pk}")
    assert "could have adult content" in page.inner_text("main")
    page.click("text=Yes, Continue")
    assert "The hidden text." in page.inner_text("main")
    page.goto(f"{live_server.url}/works/{work.pk}")
    assert "The hidden text." in page.inner_text("main")


def test_menus_and_warning_disclosure_work_without_javascript(live_server, page):
    """Chapter Index, Download and Show warnings open as <details> with no script."""
    author = make_user("menu_author")
    make_user("spoiler_averse", hide_warnings=True)
    work = make_work(
        author, chapters=("One.", "Two."), warnings=[ArchiveWarning.MAJOR_CHARACTER_DEATH]
    )
    _log_in(page, live_server.url, "spoiler_averse")
    page.goto(f"{live_server.url}/works/{work.pk}")
    assert not page.get_by_role("link", name="Major Character Death").is_visible()
    page.click("summary:has-text('Show warnings')")
    assert page.get_by_role("link", name="Major Character Death").is_visible()
    page.click("summary:has-text('Chapter Index')")
    with page.expect_navigation():
        page.click(".chapter-index a >> nth=1")
    assert "Two." in page.inner_text("#chapters")
    page.click("summary:has-text('Download')")
    assert page.get_by_role("link", name="EPUB").get_attribute("href").endswith(".epub")
