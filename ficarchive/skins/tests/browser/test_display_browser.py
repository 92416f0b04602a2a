"""In a real browser: a guest's time zone comes from the browser; a chosen site skin and a
work skin change what is drawn, and the work skin stays inside the work."""

from __future__ import annotations

import datetime as dt
import os

import pytest

from ficarchive.skins import services
from ficarchive.testing import make_user, make_work

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_guest_zone_site_skin_and_work_skin(live_server, browser):
    author = make_user("skin_browser_author")
    work = make_work(author, title="Skinned")
    from ficarchive.works.models import Work

    Work.objects.filter(pk=work.pk).update(
        revised_at=dt.datetime(2026, 11, 30, 23, 30, tzinfo=dt.UTC)
    )
    skin, _ = services.work_skin_create(
        actor=author,
        title="Green",
        css="p { color: rgb(0, 128, 0) } #workskin ~ footer { display: none }",
    )
    services.work_skin_set(actor=author, work_id=work.pk, skin=skin)

    page = browser.new_context(timezone_id="Asia/Tokyo").new_page()
    page.goto(f"{live_server.url}/works")  # the script learns the zone here
    page.goto(f"{live_server.url}/works")
    assert page.inner_text(f"#work_{work.pk} .datetime") == "01 Dec 2026"

    page.goto(f"{live_server.url}/skins")
    page.check("input[value=dark]")
    with page.expect_navigation():
        page.click("main button.primary")
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(23, 23, 26)"

    page.goto(f"{live_server.url}/works/{work.pk}")
    color = page.evaluate(
        "getComputedStyle(document.querySelector('#workskin .userstuff p')).color"
    )
    assert color == "rgb(0, 128, 0)"
    assert page.locator("footer.site-footer").is_visible()
    outside = page.evaluate("getComputedStyle(document.querySelector('footer p')).color")
    assert outside != "rgb(0, 128, 0)"
