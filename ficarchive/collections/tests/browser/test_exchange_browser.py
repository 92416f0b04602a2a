"""A gift exchange end to end in headless Chromium: a maintainer creates it, three users
sign up through the form, the maintainer matches and sends, each giver posts a fill, the
fills stay mysteries to a guest until the maintainer reveals them."""

from __future__ import annotations

import os
import re

import pytest

from ficarchive.core.viewers import OPERATOR
from ficarchive.tags.services import tag_make_canonical
from ficarchive.testing import PASSWORD, make_user, make_work

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's sync API runs an event loop

WANTS = {
    "ana_b": ("Fandom Alpha", "Fandom Beta"),
    "bo_b": ("Fandom Beta", "Fandom Gamma"),
    "cy_b": ("Fandom Gamma", "Fandom Alpha"),
}


def _log_in(page, base: str, name: str) -> None:
    page.goto(f"{base}/login")
    page.fill("#id_username", name)
    page.fill("#id_password", PASSWORD)
    page.click("main button:has-text('Log In')")
    page.wait_for_load_state()


def _log_out(page) -> None:
    page.click("header button:has-text('Log Out')")
    page.wait_for_load_state()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_exchange_in_a_browser(live_server, browser):
    base = live_server.url
    for fandom in ("Fandom Alpha", "Fandom Beta", "Fandom Gamma"):
        tag_make_canonical(actor=OPERATOR, tag=fandom, kind="fandom")
    make_user("mod_b")
    fills = {}
    for name in WANTS:
        fills[name] = make_work(make_user(name), title=f"Browser Fill by {name}").pk
    page = browser.new_page()
    page.set_default_timeout(15_000)

    _log_in(page, base, "mod_b")
    page.goto(f"{base}/collections/new")
    page.fill("#id_name", "Browser_Swap")
    page.fill("#id_title", "Browser Swap")
    page.check("#id_anonymous")
    page.check("#id_unrevealed")
    page.select_option("#id_challenge", "gift_exchange")
    page.click("button:has-text('Create')")
    page.wait_for_url(f"{base}/collections/Browser_Swap")
    _log_out(page)

    for name, (request, offer) in WANTS.items():
        _log_in(page, base, name)
        page.goto(f"{base}/collections/Browser_Swap/signups/new")
        page.fill("#id_request_1_fandoms", request)
        page.fill("#id_offer_1_fandoms", offer)
        page.click("button:has-text('Sign up')")
        page.wait_for_url(f"{base}/collections/Browser_Swap")
        assert "You are signed up" in page.inner_text("main")
        _log_out(page)

    _log_in(page, base, "mod_b")
    page.goto(f"{base}/collections/Browser_Swap/assignments")
    page.click("button[value=match]")
    page.wait_for_load_state()
    assert "3 sign-ups: 3 assigned, 0 unassigned" in page.inner_text("main")
    page.click("button[value=send]")
    page.wait_for_load_state()
    assert "Sent 3 assignments" in page.inner_text("main")
    _log_out(page)

    for name, work_id in fills.items():
        _log_in(page, base, name)
        page.goto(f"{base}/collections/Browser_Swap/assignments")
        assert "You are writing for" in page.inner_text("main")
        page.select_option("select[name=work]", str(work_id))
        page.click("button[value=fill]")
        page.wait_for_load_state()
        assert "Posted as your gift" in page.inner_text("main")
        _log_out(page)

    page.goto(f"{base}/collections/Browser_Swap/works")
    assert "3 Mystery Works" in page.inner_text("main")
    assert "Browser Fill" not in page.inner_text("main")
    response = page.goto(f"{base}/works/{fills['ana_b']}")
    assert response.status == 404

    _log_in(page, base, "mod_b")
    page.goto(f"{base}/collections/Browser_Swap")
    page.click("button:has-text('Reveal works and creators')")
    page.wait_for_load_state()
    assert re.search(r"Revealed 3 works", page.inner_text("main"))
    _log_out(page)
    page.goto(f"{base}/collections/Browser_Swap/works")
    text = page.inner_text("main")
    assert all(f"Browser Fill by {name}" in text for name in WANTS)
    assert "ana_b" in text
    page.close()
