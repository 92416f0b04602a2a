"""Issue 18, keyboard alone: reading a work and posting one in a real browser, with Tab,
Enter, Space and the arrow keys only (no clicks, no ``focus()``), and visible focus on
every element the Tab key lands on. The filter and comment walks are in
test_accessibility_browser.py. One browser for both tests (the module's own ``browser``)."""

from __future__ import annotations

import os

import pytest

from ficarchive.tags.vocabulary import ArchiveWarning, Rating
from ficarchive.testing import PASSWORD, make_work

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 900}
CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="module")
def browser():
    """Debian's headless Chromium, launched once for this module (the root conftest's
    ``browser`` launches one per test); skips where it is not installed."""
    sync_api = pytest.importorskip("playwright.sync_api")
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"Chromium is not installed at {CHROMIUM}")
    with sync_api.sync_playwright() as p:
        launched = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-background-networking", "--disable-gpu"],
            headless=True,
        )
        yield launched
        launched.close()


# The focused element: a short name for the assertions, and whether its focus can be seen
# (WCAG 2.4.7): an outline of some width, or a box-shadow, in its computed style.
FOCUS = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) return {name: "", visible: true};
  const s = getComputedStyle(e);
  const outline = s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0;
  const shadow = s.boxShadow && s.boxShadow !== "none";
  const name = (e.id || e.getAttribute("aria-label") || e.textContent || e.tagName)
    .replace(/\\s+/g, " ").trim().slice(0, 60);
  return {name: name, visible: outline || Boolean(shadow)};
}"""


def _tab_to(page, name: str, *, limit: int = 60, backwards: bool = False) -> int:
    """Press Tab (Shift+Tab when ``backwards``) until the focused element is called
    ``name``; every element passed on the way must show its focus. Returns the number of
    presses; fails when ``name`` is not reached within ``limit``."""
    if page.evaluate(FOCUS)["name"] == name:  # already there (autofocus)
        return 0
    unseen: list[str] = []
    for presses in range(1, limit + 1):
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
        focus = page.evaluate(FOCUS)
        # An empty name is the document itself, between the last stop and the first.
        if focus["name"] and not focus["visible"]:
            unseen.append(focus["name"])
        if focus["name"] == name:
            assert not unseen, f"focus not visible on {unseen} ({page.url})"
            return presses
    raise AssertionError(f"{name!r} not reached in {limit} Tabs on {page.url}")


def _skip_to_content(page) -> None:
    """The first Tab of a page lands on "Skip to content"; Enter on it moves focus into
    ``main``, so the next Tab reaches the page's own controls, not the header's."""
    assert _tab_to(page, "Skip to content", limit=1) == 1
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"


def _enter(page) -> None:
    """Enter on the focused link or button, waiting for the page it leads to."""
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_read_a_work_by_keyboard_alone(live_server, archive, browser):
    """From the home page a signed-in reader reaches a three-chapter Explicit work, passes
    the adult-content notice, moves to the next chapter, opens the chapter index and goes
    to chapter 3 from it, gives kudos and marks the work for later: Tab and Enter only."""
    work = make_work(
        archive.bob,
        title="Three Doors",
        rating=Rating.EXPLICIT,
        fandoms=["Doctor Who"],
        chapters=["The first door. " * 20, "The second door. " * 20, "The third door. " * 20],
    )
    chapters = list(work.chapters.order_by("position"))
    # Dark scheme here, light in the posting walk: focus must show in both.
    context = browser.new_context(viewport=DESKTOP, color_scheme="dark")
    context.add_cookies([_login_cookie(live_server, archive.carol)])
    page = context.new_page()
    page.goto(live_server.url + "/")
    _skip_to_content(page)
    assert _tab_to(page, "Three Doors") < 10  # the newest work, past the intro's link
    _enter(page)
    assert "This work could have adult content." in page.inner_text("main")
    _tab_to(page, "Yes, Continue")
    _enter(page)
    assert "The first door." in page.inner_text("#chapters")
    _skip_to_content(page)
    _tab_to(page, "Next Chapter →", limit=5)
    _enter(page)
    assert page.url.endswith(chapters[1].get_absolute_url())
    assert "The second door." in page.inner_text("#chapters")
    # The chapter index is a disclosure (details/summary): Enter opens it, Tab enters it.
    _tab_to(page, "Chapter Index")
    page.keyboard.press("Enter")
    _tab_to(page, f"3. {chapters[2].title or chapters[2].heading}", limit=5)
    _enter(page)
    assert "The third door." in page.inner_text("#chapters")
    _tab_to(page, "kudo_submit", limit=120)
    _enter(page)
    assert work.kudos.filter(user=archive.carol).exists()
    assert "You left kudos" in page.inner_text(".feedback")
    _tab_to(page, "Mark for Later", limit=120, backwards=True)
    _enter(page)
    assert page.locator("button.mark-later").inner_text() == "Mark as Read"
    context.close()


def test_post_a_work_by_keyboard_alone(live_server, archive, browser):
    """A member logs in, opens Post New, fills title, rating, warning, fandom (picked from
    the tag autocomplete with the arrow keys and Enter) and text, and posts: keyboard
    only. The work page then shows the work with its fandom and rating."""
    from ficarchive.works.models import Work

    page = browser.new_page(viewport=DESKTOP)
    page.goto(live_server.url + "/")
    _tab_to(page, "Log In")
    _enter(page)
    _tab_to(page, "id_username")
    page.keyboard.type(archive.alice.username)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    _enter(page)
    _tab_to(page, "Post New")
    _enter(page)
    # Rating: a closed select takes typed letters (type-ahead) without opening.
    _tab_to(page, "id_rating")
    page.keyboard.type("Teen")
    assert page.eval_on_selector("#id_rating", "e => e.value") == Rating.TEEN
    none_apply = page.get_by_label(ArchiveWarning.NONE_APPLY, exact=True)
    _tab_to(page, none_apply.get_attribute("id"))
    page.keyboard.press("Space")
    assert none_apply.is_checked()
    _tab_to(page, "id_fandoms")
    page.keyboard.type("Sherl")
    listbox = page.locator("#field-fandoms [role=listbox]")
    listbox.get_by_role("option", name="Sherlock Holmes", exact=True).wait_for()
    # Escape closes the list and Down Arrow opens it again (WAI-ARIA combobox pattern).
    page.keyboard.press("Escape")
    assert listbox.is_hidden()
    page.keyboard.press("ArrowDown")
    listbox.get_by_role("option", name="Sherlock Holmes", exact=True).wait_for()
    options = listbox.get_by_role("option").all_inner_texts()
    # ... and a screen reader hears how many came.
    said = page.locator("#field-fandoms [role=status]").inner_text()
    assert said.startswith(f"{len(options)} suggestion"), said
    # Down arrow to the suggestion; the highlighted option is the input's active descendant.
    for _ in range(options.index("Sherlock Holmes") + 1):
        page.keyboard.press("ArrowDown")
    active = page.eval_on_selector("#id_fandoms", "e => e.getAttribute('aria-activedescendant')")
    assert active and page.locator(f"#{active}").inner_text() == "Sherlock Holmes", options
    page.keyboard.press("Enter")  # picks the suggestion, does not send the form
    assert page.url.endswith("/works/new")
    assert page.input_value("#id_fandoms").strip(" ,") == "Sherlock Holmes"
    assert listbox.is_hidden()
    _tab_to(page, "id_title")
    page.keyboard.type("Typed at Baker Street")
    _tab_to(page, "id_body")
    page.keyboard.type("Every word of this came from the keyboard.")
    _tab_to(page, "Post")
    _enter(page)
    work = Work.objects.get(title="Typed at Baker Street")
    assert work.posted and page.url.endswith(work.get_absolute_url())
    text = page.inner_text("main")
    assert "Every word of this came from the keyboard." in text
    assert "Sherlock Holmes" in text and "Teen And Up Audiences" in text
    page.close()


def _login_cookie(live_server, user) -> dict:
    from django.conf import settings as django_settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    value = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    return {"name": django_settings.SESSION_COOKIE_NAME, "value": value, "url": live_server.url}
