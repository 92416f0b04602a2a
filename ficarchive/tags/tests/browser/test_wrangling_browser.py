"""In a real browser: tag autocomplete, and a wrangling mass action from the unwrangled bin."""

from __future__ import annotations

import os
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.test import Client

from ficarchive.tags.models import Tag
from ficarchive.tags.services import tag_link_fandom, tag_make_canonical
from ficarchive.testing import make_work

from ..factories import make_wrangler, tag

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
FANDOM = "Buffy the Vampire Slayer (TV)"


@pytest.fixture
def page(browser):
    """A browser context (the tests open their own pages in it)."""
    return browser.new_context()


def login(context, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


@pytest.fixture
def archive(db):
    """A fandom with a canonical character, one in the fandom, and unwrangled spellings on a work."""
    w = make_wrangler()
    author = make_wrangler("author")
    fandom = tag_make_canonical(actor=w, tag=FANDOM, kind="fandom")
    buffy = tag_make_canonical(actor=w, tag="Buffy Summers", kind="character")
    tag_link_fandom(
        actor=w, tag=tag_make_canonical(actor=w, tag="Buffybot", kind="character"), fandom=fandom
    )
    make_work(author, fandoms=[FANDOM], characters=["Buffy S.", "Buffster", "Willow"])
    return {"wrangler": w, "fandom": fandom, "buffy": buffy}


def bin_url(live_server) -> str:
    return (
        f"{live_server.url}/tags/wrangle/bin?{urlencode({'kind': 'character', 'fandom': FANDOM})}"
    )


def test_autocomplete_suggests_and_fills_the_field(page, live_server, archive):
    """Typing in a tag field lists matching tags (canonical first) and Enter fills the chosen one in."""
    login(page, live_server, archive["wrangler"])
    tab = page.new_page()
    tab.goto(bin_url(live_server))
    field = tab.locator("#mass-target")
    field.press_sequentially("buf", delay=40)
    options = tab.locator(".tag-autocomplete [role=option]")
    options.first.wait_for(state="visible", timeout=5000)
    names = [o.split(" \u2192 ")[0] for o in options.all_inner_texts()]
    assert names[:2] == ["Buffy Summers", "Buffybot"]
    assert set(names[2:]) == {"Buffy S.", "Buffster"}
    assert field.get_attribute("aria-expanded") == "true"
    field.press("ArrowDown")
    field.press("Enter")
    assert field.input_value() == "Buffy Summers"
    assert tab.locator("#" + field.get_attribute("aria-controls")).is_hidden()


def test_mass_synonym_from_the_unwrangled_bin(page, live_server, archive):
    """Ticking two tags, choosing "Make synonym of" and a canonical tag wrangles both at once."""
    login(page, live_server, archive["wrangler"])
    tab = page.new_page()
    tab.goto(bin_url(live_server))
    tab.get_by_label("Buffy S.").check()
    tab.get_by_label("Buffster").check()
    tab.select_option("#mass-action", "synonym")
    tab.fill("#mass-target", "Buffy Summers")
    tab.get_by_role("button", name="Wrangle").click()
    tab.wait_for_load_state()
    assert "2 tags wrangled" in tab.locator(".messages").inner_text()
    rows = tab.locator("table.wrangling tbody").inner_text()
    assert "Willow" in rows and "Buffster" not in rows
    assert set(Tag.objects.filter(synonym_of=archive["buffy"]).values_list("name", flat=True)) == {
        "Buffy S.",
        "Buffster",
    }
    assert tag("Willow", "character").is_unwrangled


def test_mass_target_suggests_fandoms_when_linking_to_a_fandom(page, live_server, archive):
    """Choosing "Link to fandom" makes the target field suggest fandoms instead of characters."""
    login(page, live_server, archive["wrangler"])
    tab = page.new_page()
    tab.goto(bin_url(live_server))
    tab.select_option("#mass-action", "fandom")
    field = tab.locator("#mass-target")
    field.press_sequentially("buf", delay=40)
    options = tab.locator("#" + field.get_attribute("aria-controls") + " [role=option]")
    options.first.wait_for(state="visible", timeout=5000)
    assert options.all_inner_texts() == [FANDOM]
