"""History, Marked for Later and the history preference: recorded by the work page, kept
private, cleared one by one or all at once, and never listing what the reader may not open."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from ficarchive.reading import selectors, services
from ficarchive.reading.models import Reading
from ficarchive.testing import make_user, make_work
from ficarchive.works.services import ChapterInput, chapter_add, work_hide

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_opening_a_chapter_records_work_chapter_time_and_count(user, author):
    """Each page view updates one row: last chapter read, when, and how often."""
    work = make_work(author, chapters=["One.", "Two."])
    first, second = list(work.chapters.order_by("position"))
    client = _client(user)
    assert client.get(f"/works/{work.pk}/chapters/{first.pk}").status_code == 200
    reading = Reading.objects.get(user=user, work=work)
    assert (reading.last_chapter_id, reading.views, reading.chapters_seen) == (first.pk, 1, 2)
    client.get(f"/works/{work.pk}/chapters/{second.pk}")
    reading.refresh_from_db()
    assert (reading.last_chapter_id, reading.views) == (second.pk, 2)
    assert reading.visited_at is not None


def test_whole_work_view_records_the_last_chapter(user, author):
    work = make_work(author, chapters=["One.", "Two."])
    _client(user).get(f"/works/{work.pk}?view_full_work=true")
    last = work.chapters.order_by("-position").first()
    assert Reading.objects.get(user=user, work=work).last_chapter_id == last.pk


def test_guests_and_drafts_leave_no_history(user, author, client):
    work = make_work(author)
    client.get(f"/works/{work.pk}")
    draft = make_work(user, draft=True)
    _client(user).get(f"/works/{draft.pk}")
    assert Reading.objects.count() == 0


def test_history_off_records_nothing_but_keeps_later(user, author):
    work = make_work(author)
    services.reader_settings_update(actor=user, history_enabled=False)
    services.later_mark(actor=user, work=work)
    response = _client(user).get(f"/works/{work.pk}")
    assert b"Mark as Read" in response.content  # still knows it is marked for later
    reading = Reading.objects.get(user=user, work=work)
    assert reading.views == 0 and reading.visited_at is None


def test_history_page_is_private_and_lists_only_visible_works(user, author, admin_user):
    shown = make_work(author, title="Still Up")
    hidden = make_work(author, title="Taken Down")
    client = _client(user)
    client.get(f"/works/{shown.pk}")
    client.get(f"/works/{hidden.pk}")
    work_hide(actor=admin_user, work=hidden, hidden=True)
    page = client.get(reverse("reading:readings", args=[user.username]))
    assert page.status_code == 200
    assert b"Still Up" in page.content and b"Taken Down" not in page.content
    other = make_user("nosy")
    assert _client(other).get(f"/users/{user.username}/readings").status_code == 404
    assert Client().get(f"/users/{user.username}/readings").status_code == 302  # log in first


def test_clear_one_entry_and_clear_all_keep_marks_for_later(user, author):
    a, b, c = (make_work(author, title=t) for t in ("A", "B", "C"))
    client = _client(user)
    for work in (a, b, c):
        client.get(f"/works/{work.pk}")
    services.later_mark(actor=user, work=c)
    client.post(f"/users/{user.username}/readings/{a.pk}/delete")
    assert [r.work_id for r in selectors.history_for(user)] == [c.pk, b.pk]
    client.post(f"/users/{user.username}/readings/clear")
    assert list(selectors.history_for(user)) == []
    assert [r.work_id for r in selectors.later_for(user)] == [c.pk]


def test_mark_for_later_and_mark_as_read_from_the_work_page(user, author):
    work = make_work(author, title="For Later")
    client = _client(user)
    page = client.get(f"/works/{work.pk}")
    assert b"Mark for Later" in page.content
    client.post(f"/works/{work.pk}/mark_for_later")
    assert b"For Later" in client.get(f"/users/{user.username}/readings?show=to-read").content
    assert b"Mark as Read" in client.get(f"/works/{work.pk}").content
    client.post(f"/works/{work.pk}/mark_as_read")
    assert list(selectors.later_for(user)) == []


def test_cannot_mark_what_you_may_not_see(user, author):
    draft = make_work(author, draft=True)
    assert _client(user).post(f"/works/{draft.pk}/mark_for_later").status_code == 404
    assert not Reading.objects.exists()


def test_new_chapters_since_read_shown_on_blurbs(user, author):
    work = make_work(author, title="Growing", chapters=["One."])
    client = _client(user)
    client.get(f"/works/{work.pk}")
    chapter_add(actor=author, work=work, chapter=ChapterInput(body="Two."))
    chapter_add(actor=author, work=work, chapter=ChapterInput(body="Three."))
    listing = client.get("/works").content.decode()
    assert "2 new chapters since you read" in listing
    assert 'class="badge read"' in listing


def test_reading_list_is_private_until_made_public(user, author):
    work = make_work(author, title="On My List")
    draft = make_work(author, title="Not Yours", draft=True)
    services.reading_list_set(actor=user, work=work, status="reading")
    services.reading_list_set(actor=user, work=draft, status="to_read")  # read before drafting
    owner = _client(user)
    page = owner.get(f"/users/{user.username}/reading_list")
    assert page.status_code == 200 and b"On My List" in page.content
    assert b"Not Yours" not in page.content
    assert (
        b"On My List" not in owner.get(f"/users/{user.username}/reading_list?status=read").content
    )
    other = _client(make_user("curious"))
    assert other.get(f"/users/{user.username}/reading_list").status_code == 404
    assert Client().get(f"/users/{user.username}/reading_list").status_code == 404
    owner.post(
        f"/users/{user.username}/readings/settings",
        {"history_enabled": "1", "reading_list_public": "1"},
    )
    assert b"On My List" in other.get(f"/users/{user.username}/reading_list").content


def test_reading_list_from_the_work_page(user, author):
    work = make_work(author)
    client = _client(user)
    client.post(f"/works/{work.pk}/reading_list", {"status": "dropped"})
    assert selectors.reading_list_status(user, work.pk) == "dropped"
    client.post(f"/works/{work.pk}/reading_list", {"status": "skimmed"})
    assert selectors.reading_list_status(user, work.pk) == "dropped"  # bad input changes nothing
    client.post(f"/works/{work.pk}/reading_list", {"status": ""})
    assert selectors.reading_list_status(user, work.pk) == ""


def test_clear_history_asks_first(user, author):
    """Clear History opens a confirmation (AO3 asks too) rather than clearing on one click:
    the page's only clearing button sits inside it and says what happens."""
    work = make_work(author, title="Read Once")
    client = _client(user)
    client.get(f"/works/{work.pk}")
    page = client.get(f"/users/{user.username}/readings").content.decode()
    start = page.index('<details class="clear-history">')
    end = page.index("</details>", start)
    assert f'action="/users/{user.username}/readings/clear"' in page[start:end]
    assert page.count("/readings/clear") == 1
    assert "Yes, clear my history" in page[start:end]
