"""Who may see and manage a work: guest, other user, creator, admin × each work state."""

from __future__ import annotations

import pytest

from ficarchive.core.tests import visibility_rule as rule
from ficarchive.works.models import Work

from .factories import CREATOR, make_user, work_in_state

STATES = ["public", "restricted", "draft", "anonymous", "hidden"]
VIEWERS = ["guest", "other", "creator", "admin"]

# Who can read the work page, a chapter page and the full-work view: the shared rule, with
# this module's names ("other" is the rule's "reader", "anonymous" its "anon").
_ROLE = {"guest": "guest", "other": "reader", "creator": "creator", "admin": "admin"}
_STATE = {state: state for state in STATES} | {"anonymous": "anon"}
CAN_READ = {
    state: {v for v in VIEWERS if rule.may_view(_ROLE[v], _STATE[state])} for state in STATES
}


@pytest.fixture
def people(db):
    return {
        "creator": make_user(CREATOR),
        "other": make_user("someone_else"),
        "admin": make_user("site_admin", is_staff=True, is_superuser=True),
    }


def _client_for(client, people, viewer):
    if viewer != "guest":
        client.force_login(people[viewer])
    return client


def _work(people, state):
    return work_in_state(people["creator"], state, admin=people["admin"])


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("viewer", VIEWERS)
def test_reading_pages(client, people, state, viewer):
    """Work page, chapter page and full-work view answer 200 or 404 by the privacy rule."""
    work = _work(people, state)
    chapter = work.chapters.order_by("position").last()
    c = _client_for(client, people, viewer)
    expected = 200 if viewer in CAN_READ[state] else 404
    if state == "restricted" and viewer == "guest":
        expected = 302  # AO3: to the log-in form, "only available to registered users"
    for url in (
        f"/works/{work.pk}",
        f"/works/{work.pk}/chapters/{chapter.pk}",
        f"/works/{work.pk}?view_full_work=true",
    ):
        response = c.get(url)
        assert response.status_code == expected, (url, response.status_code)
        if expected == 200:
            assert "The " + state.title() + " Work" in response.content.decode()


@pytest.mark.parametrize("viewer", ["guest", "other"])
@pytest.mark.parametrize("page", ["work", "chapter", "full", "user_works", "home", "series"])
def test_anonymous_creator_never_in_html(client, people, viewer, page):
    """On an anonymous work, the creator's name appears nowhere in the HTML for others."""
    from ficarchive.works.services import series_add_work

    work = _work(people, "anonymous")
    series = series_add_work(actor=people["creator"], work=work, series_title="A Series")
    chapter = work.chapters.order_by("position").last()
    urls = {
        "work": f"/works/{work.pk}",
        "chapter": f"/works/{work.pk}/chapters/{chapter.pk}",
        "full": f"/works/{work.pk}?view_full_work=true",
        "user_works": f"/users/{CREATOR}/works",
        "home": "/",
        "series": f"/series/{series.pk}",
    }
    c = _client_for(client, people, viewer)
    response = c.get(urls[page])
    html = response.content.decode()
    if page == "user_works":
        # The page is the creator's own, so the name is there; the anonymous work is not.
        assert "The Anonymous Work" not in html
        return
    assert CREATOR not in html
    if page in {"work", "chapter", "full", "home", "series"}:
        assert response.status_code == 200
        assert "Anonymous" in html


@pytest.mark.parametrize("viewer", ["creator", "admin"])
def test_anonymous_creator_visible_to_creator_and_admin(client, people, viewer):
    """The creator and admins still see who made an anonymous work."""
    work = _work(people, "anonymous")
    html = _client_for(client, people, viewer).get(f"/works/{work.pk}").content.decode()
    assert CREATOR in html


def test_anonymous_title_tag_hides_creator(client, people):
    """The page <title> of an anonymous work says Anonymous."""
    work = _work(people, "anonymous")
    html = client.get(f"/works/{work.pk}").content.decode()
    title = html.split("<title>")[1].split("</title>")[0]
    assert "Anonymous" in title and CREATOR not in title


MANAGE_PAGES = ["edit", "orphan", "delete", "chapters/new", "chapters/manage"]


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("viewer", VIEWERS)
@pytest.mark.parametrize("page", MANAGE_PAGES)
def test_manage_pages(client, people, state, viewer, page):
    """Edit, orphan, add/manage chapters: creators only; delete: creators and admins;
    guests are sent to log in; others get 403, or 404 when they cannot see the work."""
    work = _work(people, state)
    c = _client_for(client, people, viewer)
    response = c.get(f"/works/{work.pk}/{page}")
    if viewer == "guest":
        assert response.status_code == 302 and "/login" in response["Location"]
    elif viewer == "creator" or (
        viewer == "admin" and page == "delete" and viewer in CAN_READ[state]
    ):
        assert response.status_code == 200
    elif viewer in CAN_READ[state]:
        assert response.status_code == 403
    else:
        assert response.status_code == 404


@pytest.mark.parametrize("viewer", ["other", "admin"])
def test_others_cannot_post_edits(client, people, viewer):
    """A POST to edit, orphan or chapter pages by a non-creator changes nothing."""
    work = _work(people, "public")
    c = _client_for(client, people, viewer)
    assert c.post(f"/works/{work.pk}/edit", {"title": "Hijacked"}).status_code == 403
    assert c.post(f"/works/{work.pk}/orphan").status_code == 403
    assert c.post(f"/works/{work.pk}/post").status_code == 403
    work.refresh_from_db()
    assert work.title == "The Public Work"
    assert work.creator_pseuds()[0].user.username == CREATOR


def test_other_cannot_delete(client, people):
    """Another user's delete is refused and the work stays."""
    work = _work(people, "public")
    client.force_login(people["other"])
    assert client.post(f"/works/{work.pk}/delete").status_code == 403
    assert Work.objects.filter(pk=work.pk).exists()


def test_admin_can_delete(client, people):
    """An admin may delete any work they can see."""
    work = _work(people, "public")
    client.force_login(people["admin"])
    assert client.post(f"/works/{work.pk}/delete").status_code == 302
    assert not Work.objects.filter(pk=work.pk).exists()


@pytest.mark.parametrize("viewer", ["guest", "other", "creator"])
def test_only_admins_hide(client, people, viewer):
    """Hiding a work is for admins only."""
    work = _work(people, "public")
    c = _client_for(client, people, viewer)
    assert c.post(f"/works/{work.pk}/hide", {"hidden": "1"}).status_code in {403, 404}
    work.refresh_from_db()
    assert not work.hidden_by_admin


def test_admin_hides_and_unhides(client, people):
    """An admin's Hide Work hides the work from readers; Make Visible restores it."""
    work = _work(people, "public")
    client.force_login(people["admin"])
    assert client.post(f"/works/{work.pk}/hide", {"hidden": "1"}).status_code == 302
    work.refresh_from_db()
    assert work.hidden_by_admin
    client.logout()
    assert client.get(f"/works/{work.pk}").status_code == 404
    client.force_login(people["admin"])
    client.post(f"/works/{work.pk}/hide", {"hidden": "0"})
    client.logout()
    assert client.get(f"/works/{work.pk}").status_code == 200


def test_missing_work_and_chapter_are_404(client, people):
    """A work id or chapter id that does not exist is a 404 page, not an error."""
    work = _work(people, "public")
    other = _work(people, "restricted")
    assert client.get("/works/999999").status_code == 404
    assert client.get(f"/works/{work.pk}/chapters/999999").status_code == 404
    # A chapter of another work is not a chapter of this one.
    client.force_login(people["other"])
    assert client.get(f"/works/{work.pk}/chapters/{other.chapters.first().pk}").status_code == 404


def test_drafts_page_only_for_owner(client, people):
    """The drafts page lists the owner's drafts and refuses everyone else."""
    _work(people, "draft")
    client.force_login(people["creator"])
    response = client.get(f"/users/{CREATOR}/works/drafts")
    assert response.status_code == 200 and "The Draft Work" in response.content.decode()
    client.force_login(people["other"])
    assert client.get(f"/users/{CREATOR}/works/drafts").status_code == 403


def test_user_works_listing(client, people):
    """A user's works page lists posted works the viewer may see, not drafts or others'."""
    for state in STATES:
        _work(people, state)
    html = client.get(f"/users/{CREATOR}/works").content.decode()
    assert "The Public Work" in html
    for hidden in ("Restricted", "Draft", "Anonymous", "Hidden"):
        assert f"The {hidden} Work" not in html
    client.force_login(people["creator"])
    html = client.get(f"/users/{CREATOR}/works").content.decode()
    for shown in ("Public", "Restricted", "Anonymous", "Hidden"):
        assert f"The {shown} Work" in html
    assert "The Draft Work" not in html


def test_user_works_paginated(client, people):
    """The user's works page shows 20 works a page."""
    from ficarchive.testing import make_work

    for i in range(23):
        make_work(people["creator"], title=f"Numbered {i:02d}")
    first = client.get(f"/users/{CREATOR}/works").content.decode()
    second = client.get(f"/users/{CREATOR}/works?page=2").content.decode()
    assert first.count('class="work blurb group"') == 20
    assert second.count('class="work blurb group"') == 3
    assert "23 Works by" in first


def test_series_page(client, people):
    """A series page lists its works in order and hides a series with nothing visible."""
    from ficarchive.works.services import series_add_work

    public = _work(people, "public")
    draft = _work(people, "draft")
    series = series_add_work(actor=people["creator"], work=public, series_title="Saga")
    series_add_work(actor=people["creator"], work=draft, series_title="Saga")
    html = client.get(f"/series/{series.pk}").content.decode()
    assert "Saga" in html and "The Public Work" in html and "The Draft Work" not in html
    lonely = series_add_work(actor=people["creator"], work=draft, series_title="Secret")
    assert client.get(f"/series/{lonely.pk}").status_code == 404
    assert client.get("/series/999999").status_code == 404
