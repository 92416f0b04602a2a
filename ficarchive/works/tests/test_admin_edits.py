"""Edits made in the Django admin go through the works services: guests' listings and
text search follow at once, and HTML typed there is sanitized as posted HTML is."""

from __future__ import annotations

import lxml.html
import pytest

from ficarchive.discovery.selectors import filter_works

from .factories import make_user, make_work

pytestmark = pytest.mark.django_db


def admin_form(client, work_id: int) -> dict[str, str]:
    """The admin change form of a work, as a browser would submit it unchanged."""
    page = lxml.html.fromstring(client.get(f"/admin/works/work/{work_id}/change/").content)
    (form,) = [f for f in page.forms if f.get("id") == "work_form"]
    return dict(form.form_values())


def admin_save(client, work_id: int, **changes: str) -> None:
    data = admin_form(client, work_id)
    for name in [k for k, v in changes.items() if v is None]:
        data.pop(name, None)
        changes.pop(name)
    data.update(changes)
    response = client.post(f"/admin/works/work/{work_id}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]


def guest_search(q: str = "") -> list[int]:
    return [w.pk for w in filter_works(None, {"q": q}).works]


@pytest.fixture(params=["sql", "bitmaps"])
def engine(request, settings):
    """Both filter engines; the bitmap one (production's) caches listings per process."""
    from ficarchive.discovery import bitmaps

    settings.DISCOVERY_BITMAPS = request.param == "bitmaps"
    bitmaps.reset()
    yield request.param
    bitmaps.reset()


@pytest.fixture
def staff_client(client):
    client.force_login(make_user("site_admin", is_superuser=True, is_staff=True))
    return client


@pytest.mark.parametrize(
    "change",
    [{"restricted": "on"}, {"hidden_by_admin": "on"}, {"posted": None}],
    ids=["restricted", "hidden", "unposted"],
)
def test_admin_edit_leaves_guest_listing_and_search_at_once(engine, staff_client, author, change):
    """Restricting, hiding or unposting a work in the Django admin takes it out of guests'
    listings and text search at once."""
    work = make_work(author, title="Lighthouse Keeper")
    assert guest_search("lighthouse") == [work.pk] and guest_search() == [work.pk]
    admin_save(staff_client, work.pk, **change)
    assert guest_search("lighthouse") == []
    assert guest_search() == []


def test_admin_anonymising_hides_the_creator_from_search(engine, staff_client):
    """Making a work anonymous in the admin stops a search for its creator finding it."""
    work = make_work(make_user("quietquill"), title="Unsigned Letter")
    assert guest_search("quietquill") == [work.pk]
    admin_save(staff_client, work.pk, anonymous="on")
    assert guest_search("quietquill") == []
    assert guest_search("unsigned") == [work.pk]


def test_admin_chapter_html_is_sanitized_and_searchable(staff_client, client, author):
    """Chapter HTML typed into the admin is stored through the posting sanitizer (no
    script, no event handler) and its words are searchable at once."""
    work = make_work(author, title="Admin Typed")
    admin_save(
        staff_client,
        work.pk,
        **{"chapters-0-body": '<p onclick="steal()">Porcelain<script>alert(1)</script> moons</p>'},
    )
    body = work.chapters.get().body
    assert "script" not in body and "onclick" not in body and "Porcelain" in body
    assert guest_search("porcelain") == [work.pk]
    staff_client.logout()
    page = client.get(f"/works/{work.pk}").content.decode()
    assert "Porcelain" in page and "steal()" not in page and "alert(1)" not in page
