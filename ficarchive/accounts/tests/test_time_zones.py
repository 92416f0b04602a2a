"""Time zones: a user's preference, a guest's browser zone, AO3's date format."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.template import Context, Template
from django.utils import timezone

from ficarchive.accounts.display import display_preferences_update
from ficarchive.core.display import zone_or_none
from ficarchive.testing import make_work

MOMENT = dt.datetime(2026, 11, 30, 23, 30, tzinfo=dt.UTC)


def _render(value, fmt="ao3_date"):
    return Template("{% load ao3_dates %}{{ value|" + fmt + " }}").render(Context({"value": value}))


def test_ao3_formats_follow_the_active_zone():
    """ "30 Nov 2026" in UTC is "01 Dec 2026" in Tokyo; times as AO3 shows a comment's."""
    assert _render(MOMENT) == "30 Nov 2026"
    assert _render(MOMENT, "ao3_datetime") == "Mon 30 Nov 2026 11:30PM UTC"
    with timezone.override(zone_or_none("Asia/Tokyo")):
        assert _render(MOMENT) == "01 Dec 2026"
        assert _render(MOMENT, "ao3_datetime") == "Tue 01 Dec 2026 08:30AM JST"
    assert _render(None) == ""


@pytest.mark.parametrize(
    "name", ["Mars/Olympus", "", "../../etc/localtime", "Europe/Paris\x00", "x" * 200, "UTC "]
)
def test_zone_or_none_refuses_what_is_not_a_zone(name):
    assert zone_or_none(name) is None


def test_unknown_zone_is_one_error_nothing_changed(user):
    display_preferences_update(actor=user, user=user, time_zone="Europe/Paris")
    with pytest.raises(ValidationError) as exc:
        display_preferences_update(
            actor=user, user=user, time_zone="Mars/Olympus", site_skin="dark"
        )
    assert exc.value.message_dict == {"time_zone": ["Unknown time zone: choose one from the list."]}
    user.refresh_from_db()
    assert (user.time_zone, user.site_skin) == ("Europe/Paris", "default")


def test_preferences_form(client, user):
    """The preferences page sets the zone, skin and work-skin choice; an unknown zone is
    one error on the form and nothing is saved."""
    client.force_login(user)
    url = f"/users/{user.username}/preferences"
    page = client.get(url).content.decode()
    assert 'value="Pacific/Auckland"' in page
    response = client.post(
        url, {"time_zone": "Mars/Olympus", "site_skin": "dark", "hide_work_skins": "on"}
    )
    assert "Unknown time zone: choose one from the list." in response.content.decode()
    user.refresh_from_db()
    assert (user.time_zone, user.site_skin, user.hide_work_skins) == ("", "default", False)
    response = client.post(
        url, {"time_zone": "America/New_York", "site_skin": "dark", "hide_work_skins": "on"}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.time_zone, user.site_skin, user.hide_work_skins) == (
        "America/New_York",
        "dark",
        True,
    )


def _blurb_date(client, work):
    page = client.get("/works").content.decode()
    start = page.index(f'id="work_{work.pk}"')
    chunk = page[start:]
    return chunk.split('<p class="datetime">')[1].split("</p>")[0]


def test_dates_in_the_users_zone(client, author):
    """A work updated at 23:30 UTC shows the next day to a reader in Tokyo."""
    work = make_work(author)
    from ficarchive.works.models import Work

    Work.objects.filter(pk=work.pk).update(revised_at=MOMENT)
    assert _blurb_date(client, work) == "30 Nov 2026"
    display_preferences_update(actor=author, user=author, time_zone="Asia/Tokyo")
    client.force_login(author)
    assert _blurb_date(client, work) == "01 Dec 2026"


def test_guest_zone_from_cookie_and_malformed_cookie(client, author):
    """A guest's browser zone (the tz cookie) is used; a malformed one is the site's."""
    work = make_work(author)
    from ficarchive.works.models import Work

    Work.objects.filter(pk=work.pk).update(revised_at=MOMENT)
    client.cookies["tz"] = "Asia/Tokyo"
    assert _blurb_date(client, work) == "01 Dec 2026"
    client.cookies["tz"] = "Asia/Tokyo<script>"
    assert _blurb_date(client, work) == "30 Nov 2026"
    client.cookies["tz"] = "America/Los_Angeles"
    assert _blurb_date(client, work) == "30 Nov 2026"
    client.cookies["tz"] = "Pacific/Kiritimati"
    assert _blurb_date(client, work) == "01 Dec 2026"


def test_time_zone_script_is_on_every_page(client, db):
    assert "core/timezone" in client.get("/").content.decode()


def test_pages_drawn_from_cookies_vary_on_them(client, db):
    client.cookies["tz"] = "Europe/Paris"
    assert "Cookie" in client.get("/works")["Vary"]
