"""A reader builds a filter by clicking facets in a real browser and gets a shareable URL."""

from __future__ import annotations

import os
from urllib.parse import parse_qs, urlparse

import pytest

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser_page(browser):
    return browser.new_page()


def test_clicking_facets_builds_a_shareable_filter(live_server, archive, browser_page):
    """Ticking an include facet and an exclude facet applies on "Sort and Filter" (never on
    the tick itself: issue 18), and the resulting address, opened afresh, shows the same
    filtered works."""
    page = browser_page
    page.goto(f"{live_server.url}/works")
    assert "1 - 4 of 4 Works" in page.inner_text("#results-count")
    page.locator("fieldset.include details.facet.fandom > summary").click()
    page.get_by_role("group", name="Include").get_by_label("Doctor Who (2)").click()
    with page.expect_navigation():
        page.get_by_role("button", name="Sort and Filter").first.click()
    assert "1 - 2 of 2 Works" in page.inner_text("#results-count")
    page.locator("fieldset.exclude details.facet.rating > summary").click()
    page.get_by_role("group", name="Exclude").get_by_label("Explicit (1)").click()
    with page.expect_navigation():
        page.get_by_role("button", name="Sort and Filter").first.click()
    url = page.url
    assert parse_qs(urlparse(url).query) == {"tag": ["Doctor Who"], "exclude_rating": ["Explicit"]}
    page.goto(url)
    assert "1 - 1 of 1 Works" in page.inner_text("#results-count")
    assert page.get_by_role("link", name="A Study in Scarlet").count() == 1
    share = page.get_by_role("link", name="Link to this filter").get_attribute("href")
    assert parse_qs(urlparse(share).query) == {
        "tag": ["Doctor Who"],
        "exclude_rating": ["Explicit"],
    }
