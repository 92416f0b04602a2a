"""Issue 18 in a real browser: the filter sidebar by keyboard alone, the phone layout at
390×844, the comment thread's layout, and axe-core (the npm package, injected) on every page
type, light and dark, logged out and in, phone and desktop: no critical or serious
violation. One browser for all; each page is loaded once per combination."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import parse_qs, quote, urlparse

import pytest
from django.conf import settings as django_settings
from django.test import Client

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parents[4] / "node_modules" / "axe-core" / "axe.min.js"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
# Each scheme, each screen and each kind of visitor twice, in four passes (pairwise: every
# pair of values meets once), so the suite stays short: the eight full combinations take
# twice as long and have found nothing the four did not.
COMBINATIONS = [
    ("light", DESKTOP, False),
    ("dark", DESKTOP, True),
    ("light", PHONE, True),
    ("dark", PHONE, False),
]
# WCAG 2.0, 2.1 and 2.2 at levels A and AA.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def _login_cookie(live_server, user) -> dict:
    client = Client()
    client.force_login(user)
    value = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    return {"name": django_settings.SESSION_COOKIE_NAME, "value": value, "url": live_server.url}


def _focused(page) -> str:
    return page.evaluate(
        "() => { const e = document.activeElement;"
        " return (e.id || e.textContent || e.tagName).trim().slice(0, 60); }"
    )


def test_filters_by_keyboard_alone(live_server, archive, browser):
    """From the top of /works a keyboard reaches "Sort by" in a few Tabs through "Skip to
    filters"; arrow keys in a select and Space on a checkbox do not reload the page; focus
    is visible; the filter applies on "Sort and Filter" and gives a shareable address."""
    page = browser.new_page(viewport=DESKTOP)
    page.goto(f"{live_server.url}/works")
    assert "1 - 4 of 4 Works" in page.inner_text("#results-count")
    page.keyboard.press("Tab")
    assert _focused(page) == "Skip to content"
    page.keyboard.press("Tab")
    assert _focused(page) == "Skip to filters"
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert _focused(page) == "filter-sort"
    outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("none", "")
    url_before = page.url
    page.keyboard.press("ArrowDown")
    page.wait_for_timeout(300)
    assert page.url == url_before and _focused(page) == "filter-sort"
    # A facet group opens from the keyboard (details/summary) and Space ticks a box.
    group = page.locator("fieldset.include details.facet.fandom summary")
    group.focus()
    page.keyboard.press("Enter")
    box = page.get_by_role("group", name="Include").get_by_label("Doctor Who (2)")
    box.focus()
    page.keyboard.press("Space")
    page.wait_for_timeout(300)
    assert box.is_checked() and page.url == url_before
    with page.expect_navigation():
        page.get_by_role("button", name="Sort and Filter").first.press("Enter")
    assert parse_qs(urlparse(page.url).query)["tag"] == ["Doctor Who"]
    assert "1 - 2 of 2 Works" in page.inner_text("#results-count")
    page.close()


def test_comment_by_keyboard_alone(live_server, archive, browser):
    """A signed-in reader writes a comment and sends it with the keyboard only: Tab from the
    comment box reaches the Comment button, Enter posts it, and it shows under its byline."""
    context = browser.new_context(viewport=DESKTOP)
    context.add_cookies([_login_cookie(live_server, archive.carol)])
    page = context.new_page()
    page.goto(f"{live_server.url}/works/{archive.w1.pk}")
    page.locator("#comment_body").focus()
    page.keyboard.type("Typed without a mouse.")
    page.keyboard.press("Tab")
    assert _focused(page) == "comment_submit"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    comment = page.locator("li.comment", has_text="Typed without a mouse.")
    assert comment.count() == 1
    assert "carol" in comment.locator("h4.byline").inner_text()
    context.close()


def test_phone_layout_and_comment_thread(live_server, archive, browser):
    """At 390×844 a "Filters" toggle sits above the results, closed, and opens the filters;
    on a work page a comment's text starts under its byline and its actions share a row."""
    from ficarchive.feedback.services import comment_create

    first = comment_create(actor=archive.bob, work=archive.w1, body="Lovely library.")
    comment_create(actor=archive.alice, work=archive.w1, body="Thank you!", parent=first)
    context = browser.new_context(viewport=PHONE, color_scheme="dark")
    context.add_cookies([_login_cookie(live_server, archive.alice)])
    page = context.new_page()
    page.goto(f"{live_server.url}/works")
    toggle = page.locator("summary.filters-toggle")
    assert toggle.is_visible()
    results = page.locator("#results-count").bounding_box()
    assert toggle.bounding_box()["y"] < results["y"] < 844
    assert not page.locator("#filter-sort").is_visible()
    toggle.click()
    assert page.locator("#filter-sort").is_visible()
    page.goto(f"{live_server.url}/works/{archive.w1.pk}")
    comment = page.locator(f"#comment_{first.pk}")
    byline = comment.locator("> h4.byline").bounding_box()
    text = comment.locator("> blockquote").bounding_box()
    assert abs(text["x"] - byline["x"]) <= 2, (byline, text)
    actions = comment.locator("> ul.actions")
    reply = actions.locator("summary", has_text="Reply").bounding_box()
    delete = actions.locator("summary", has_text="Delete").bounding_box()
    assert abs(reply["y"] - delete["y"]) <= 2 and delete["x"] - reply["x"] < 200, (reply, delete)
    assert reply["y"] > text["y"] + text["height"] - 2  # under the text, not beside it
    context.close()


def _pages(archive) -> tuple[list[str], list[str]]:
    chapter = archive.w1.chapters.order_by("position").first()
    public = [
        "/",
        "/works",
        f"/works/{archive.w1.pk}",
        f"/works/{archive.w1.pk}/chapters/{chapter.pk}",
        f"/tags/{quote('Sherlock Holmes')}/works",
        "/works/search?q=dragon",
        f"/users/{archive.alice.username}",
        f"/users/{archive.alice.username}/bookmarks",
        "/login",
        f"/works/{archive.w3.pk}",  # the adult-content notice
    ]
    own = [
        "/works/new",
        f"/users/{archive.alice.username}/inbox",
        f"/works/{archive.w1.pk}/suggestions",
    ]
    return public, own


def test_axe_finds_no_serious_violation(live_server, archive, browser):
    """axe-core on every page type, light and dark, phone and desktop, logged out and in."""
    if not AXE.exists():
        pytest.skip("axe-core is not installed (make node-deps)")
    from ficarchive.feedback.services import bookmark_save, comment_create

    comment_create(actor=archive.bob, work=archive.w1, body="Lovely library.")
    bookmark_save(actor=archive.alice, work=archive.w2, notes="Read again", tags=["favourites"])
    script = AXE.read_text()
    public, own = _pages(archive)
    found: list[str] = []
    for scheme, viewport, logged_in in COMBINATIONS:
        # bypass_csp: axe is injected as an inline script, which the site's CSP forbids.
        context = browser.new_context(viewport=viewport, color_scheme=scheme, bypass_csp=True)
        if logged_in:
            context.add_cookies([_login_cookie(live_server, archive.alice)])
        page = context.new_page()
        for path in public + (own if logged_in else []):
            page.goto(live_server.url + path)
            page.add_script_tag(content=script)
            result = page.evaluate(
                "tags => axe.run(document, {runOnly: {type: 'tag', values: tags},"
                " resultTypes: ['violations']})",
                AXE_TAGS,
            )
            for v in result["violations"]:
                if v["impact"] in ("critical", "serious"):
                    where = [n["target"] for n in v["nodes"][:3]]
                    who = "in" if logged_in else "out"
                    found.append(f"{scheme} {viewport['width']} {who} {path}: {v['id']} {where}")
        context.close()
    assert not found, "\n".join(found)
