"""HTML typed into the Django admin goes through the same allowlist as every other door:
comments, bookmark notes and series descriptions (work and chapter fields are covered in
works/tests/test_admin_edits.py)."""

from __future__ import annotations

import re

import lxml.html
import pytest

from ficarchive.feedback.services import bookmark_save, comment_create
from ficarchive.testing import make_user, make_work
from ficarchive.works.services import series_add_work

pytestmark = pytest.mark.django_db

HOSTILE = '<p>Fine words</p><script>steal()</script><img src="x" onerror="steal()">'


def admin_save(client, url: str, form_id: str, **changes: str) -> None:
    """Submit the admin change form at url as a browser would, with changes."""
    page = lxml.html.fromstring(client.get(url).content)
    (form,) = [f for f in page.forms if f.get("id") == form_id]
    data = dict(form.form_values())
    data.update(changes)
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]


@pytest.fixture
def staff(client):
    client.force_login(make_user("site_admin", is_superuser=True, is_staff=True))
    return client


# The site's own scripts, which base.html loads on every page (time zone, translations).
OWN_SCRIPT = re.compile(r'<script src="/(?:static|jsi18n)/[^"]*"(?: defer)?></script>')


def assert_clean(html: str) -> None:
    assert "Fine words" in html
    html = OWN_SCRIPT.sub("", html)
    assert "<script" not in html and "steal()" not in html


def test_comment_edited_in_admin_is_sanitized_on_the_work_page(staff):
    """A comment body edited in the admin reaches guests without script."""
    author = make_user("author")
    work = make_work(author)
    comment = comment_create(actor=make_user("reader"), work=work, body="Lovely.")
    admin_save(staff, f"/admin/feedback/comment/{comment.pk}/change/", "comment_form", body=HOSTILE)
    comment.refresh_from_db()
    assert_clean(comment.body)
    staff.logout()
    assert_clean(staff.get(f"/works/{work.pk}?view_full_work=true").content.decode())


def test_bookmark_notes_edited_in_admin_are_sanitized(staff):
    """Bookmark notes edited in the admin are stored through the comment allowlist."""
    work = make_work(make_user("author"))
    bookmark = bookmark_save(actor=make_user("reader"), work=work, notes="Good.")
    admin_save(
        staff, f"/admin/feedback/bookmark/{bookmark.pk}/change/", "bookmark_form", notes=HOSTILE
    )
    bookmark.refresh_from_db()
    assert_clean(bookmark.notes)


def test_series_description_edited_in_admin_is_sanitized(staff):
    """A series summary and notes edited in the admin reach guests without script, on the
    series page and in the API."""
    author = make_user("author")
    work = make_work(author)
    series = series_add_work(actor=author, work=work, series_title="Saga")
    url = f"/admin/works/series/{series.pk}/change/"
    admin_save(staff, url, "series_form", summary=HOSTILE, notes=HOSTILE)
    staff.logout()
    assert_clean(staff.get(f"/series/{series.pk}").content.decode())
    api = staff.get(f"/api/v1/series/{series.pk}").json()
    assert_clean(api.get("summary", "") + api.get("notes", ""))
