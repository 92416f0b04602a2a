"""The authenticated OPDS shelf "Subscriptions, updated": works the reader follows
(directly, through a subscribed creator or series) that changed since they last read
them, each with an ``updated`` date; an anonymous work never shows up under its creator."""

from __future__ import annotations

import base64
import datetime as dt

import pytest
from django.test import Client
from lxml import etree

from ficarchive.notify.services import subscription_create
from ficarchive.reading import services
from ficarchive.testing import PASSWORD, make_user, make_work
from ficarchive.works.services import (
    ChapterInput,
    WorkMeta,
    chapter_add,
    series_add_work,
    work_create,
    work_hide,
)

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"
LONG_AGO = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)


def _shelf(user) -> etree._Element:
    raw = base64.b64encode(f"{user.username}:{PASSWORD}".encode()).decode()
    response = Client().get("/opds/subscriptions", HTTP_AUTHORIZATION=f"Basic {raw}")
    assert response.status_code == 200, response.content[:200]
    return etree.fromstring(response.content)


def _titles(root: etree._Element) -> list[str]:
    return [e.findtext(f"{ATOM}title") for e in root.iter(f"{ATOM}entry")]


def _old_work(author, title: str, **meta):
    """A work posted and last revised long before anyone subscribed."""
    return work_create(
        actor=author,
        meta=WorkMeta(
            title=title,
            rating="General Audiences",
            fandoms=["Sherlock Holmes"],
            warnings=["No Archive Warnings Apply"],
            **meta,
        ),
        chapters=[ChapterInput(body="One.")],
        published_at=LONG_AGO,
        revised_at=LONG_AGO,
    )


def test_needs_a_log_in_and_is_linked_from_the_root(user):
    assert Client().get("/opds/subscriptions").status_code == 401
    raw = base64.b64encode(f"{user.username}:{PASSWORD}".encode()).decode()
    root = etree.fromstring(Client().get("/opds", HTTP_AUTHORIZATION=f"Basic {raw}").content)
    assert "Subscriptions, updated" in _titles(root)


def test_a_subscribed_work_appears_when_a_chapter_is_posted_since_the_last_read(user, author):
    work = _old_work(author, "Serial")
    subscription_create(actor=user, work=work.pk)
    services.history_record(user=user, work=work, chapter=work.chapters.get())
    root = _shelf(user)
    assert _titles(root) == []
    chapter_add(actor=author, work=work, chapter=ChapterInput(body="Two."))
    root = _shelf(user)
    assert _titles(root) == ["Serial"]
    entry = next(root.iter(f"{ATOM}entry"))
    work.refresh_from_db()
    stamp = work.revised_at.replace(microsecond=0).isoformat().replace("+00:00", "Z")
    assert entry.findtext(f"{ATOM}updated") == stamp
    assert root.findtext(f"{ATOM}updated") == entry.findtext(f"{ATOM}updated")
    # Reading the new chapter takes it off the shelf.
    services.history_record(user=user, work=work, chapter=work.chapters.order_by("position").last())
    assert _titles(_shelf(user)) == []


def test_old_unread_works_stay_off_new_ones_come_on(user, author):
    """A work never read is on the shelf only when it changed after the subscription that
    brings it (a creator's back catalogue is not "updated")."""
    old = _old_work(author, "Back Catalogue")
    subscription_create(actor=user, user=author.username)
    assert _titles(_shelf(user)) == []
    make_work(author, title="Brand New")
    assert _titles(_shelf(user)) == ["Brand New"]
    chapter_add(actor=author, work=old, chapter=ChapterInput(body="Revived."))
    assert _titles(_shelf(user)) == ["Back Catalogue", "Brand New"]


def test_a_new_part_of_a_subscribed_series(user, author):
    first = _old_work(author, "Part One")
    series = series_add_work(actor=author, work=first, series_title="Saga")
    subscription_create(actor=user, series=series.pk)
    second = make_work(author, title="Part Two")
    series_add_work(actor=author, work=second, series=series)
    assert _titles(_shelf(user)) == ["Part Two"]


def test_anonymous_works_never_reveal_a_subscribed_creator(user, author):
    subscription_create(actor=user, user=author.username)
    make_work(author, title="Signed")
    make_work(author, title="Unsigned", anonymous=True)
    assert _titles(_shelf(user)) == ["Signed"]
    # Followed directly, the anonymous work is shown (as "Anonymous", like every OPDS feed).
    unsigned = author.pseuds.get().creatorships.get(work__title="Unsigned").work
    subscription_create(actor=user, work=unsigned.pk)
    chapter_add(actor=author, work=unsigned, chapter=ChapterInput(body="More."))
    root = _shelf(user)
    assert _titles(root) == ["Unsigned", "Signed"]
    entry = next(root.iter(f"{ATOM}entry"))
    assert [a.findtext(f"{ATOM}name") for a in entry.iter(f"{ATOM}author")] == ["Anonymous"]
    assert f"/users/{author.username}" not in etree.tostring(entry).decode()


def test_what_the_reader_may_not_see_is_left_out(user, author, admin_user):
    other = make_user("someone")
    subscription_create(actor=user, user=author.username)
    hidden = make_work(author, title="Hidden")
    work_hide(actor=admin_user, work=hidden, hidden=True)
    make_work(author, title="Draft", draft=True)
    assert _titles(_shelf(user)) == []
    # Another reader's subscriptions are not this reader's.
    make_work(author, title="Visible")
    assert _titles(_shelf(other)) == []
    assert _titles(_shelf(user)) == ["Visible"]
