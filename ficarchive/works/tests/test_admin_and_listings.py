"""Django admin for works, and the query cost of listings."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from .factories import make_user, make_work


def test_admin_work_changelist_filters_and_search(client, admin_user, author):
    """The admin lists works with AO3's filters and finds them by title."""
    make_work(author, title="Findable Title")
    make_work(author, title="Other One", restricted=True)
    client.force_login(admin_user)
    html = client.get("/admin/works/work/").content.decode()
    for filter_name in ("rating", "posted", "restricted", "anonymous", "hidden_by_admin"):
        assert f"{filter_name}" in html
    html = client.get("/admin/works/work/?q=Findable").content.decode()
    assert "Findable Title" in html and "Other One" not in html
    html = client.get("/admin/works/work/?restricted__exact=1").content.decode()
    assert "Other One" in html and "Findable Title" not in html


def test_admin_work_change_page_has_chapters_inline(client, admin_user, author):
    """A work's admin page edits its chapters inline."""
    work = make_work(author, chapters=("One.", "Two."))
    client.force_login(admin_user)
    html = client.get(f"/admin/works/work/{work.pk}/change/").content.decode()
    assert "chapters-TOTAL_FORMS" in html and 'value="2"' in html


def test_admin_series_pages(client, admin_user, author):
    """Series are in the admin too."""
    from ficarchive.works.services import series_add_work

    series_add_work(actor=author, work=make_work(author), series_title="Admin Saga")
    client.force_login(admin_user)
    assert "Admin Saga" in client.get("/admin/works/series/").content.decode()


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def test_user_works_listing_queries_do_not_grow(client, author):
    """The user's works page costs the same queries for 2 works as for 15."""
    for i in range(2):
        make_work(author, title=f"Early {i}", freeforms=[f"Tag {i}"])
    client.force_login(make_user("lister"))
    client.get("/users/author/works")  # warm the per-user caches (unread inbox count)
    few = _count(client, "/users/author/works")
    for i in range(13):
        make_work(author, title=f"Late {i}", freeforms=[f"Other {i}", "Shared"])
    assert _count(client, "/users/author/works") == few


def test_missing_work_page_says_so(client, db):
    """A work that does not exist gives a 404 page with a plain message."""
    response = client.get("/works/424242")
    assert response.status_code == 404
    assert "find that page" in response.content.decode()
