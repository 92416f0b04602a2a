"""Every page has exactly one ``<h1>``: AO3's pages do, and screen readers jump to it to
find where the page's own content starts (WCAG 2.4.6, headings describe the page).

The walk covers the site's pages by URL name, for a guest and for a signed-in reader; a
page added later joins by adding its name here."""

from __future__ import annotations

import lxml.html
import pytest
from django.test import Client
from django.urls import get_resolver, reverse

from ficarchive.testing import make_work

pytestmark = pytest.mark.django_db

# URL names a guest may open (arguments filled by ``_kwargs``).
GUEST_PAGES = [
    "core:home",
    "discovery:works",
    "discovery:search",
    "tags:index",
    "tags:show",
    "tags:works",
    "works:detail",
    "works:chapter",
    "works:series",
    "works:user_works",
    "works:user_series",
    "accounts:profile",
    "accounts:pseuds",
    "accounts:pseud",
    "accounts:login",
    "accounts:password_reset",
    "feedback:user_bookmarks",
    "collections:index",
    "collections:gifts",
    "site:signup",
    "site:invite_requests",
    "site:tos",
    "site:content",
    "site:privacy",
    "site:faq",
    "site:admin_posts",
    "moderation:report_new",
]

# URL names of a signed-in reader's own pages (their name in the address).
READER_PAGES = [
    "works:new",
    "works:user_drafts",
    "transfer:import",
    "feedback:inbox",
    "notify:subscriptions",
    "notify:preferences",
    "feedback:user_bookmarks",
    "moderation:blocked_users",
    "discovery:mutes",
    "accounts:preferences",
    "accounts:profile_edit",
    "accounts:pseud_new",
    "accounts:password_change",
    "collections:invitations",
    "collections:new",
    "site:invitations",
    "site:account_email",
    "site:account_username",
    "site:account_delete",
    "site:account_export",
    "reading:readings",
    "reading:reading_list",
    "reading:stats",
    "skins:index",
    "skins:new",
    "moderation:comment_queue",
    "feedback:bookmark_new",
]

# URL names of the work's creator's pages for it (editing, chapters, series, links).
AUTHOR_PAGES = [
    "works:edit",
    "works:chapter_new",
    "works:chapter_edit",
    "works:chapters_manage",
    "works:series_edit",
    "collections:work_links",
    "suggest:panel",
    "skins:work_choose",
    "moderation:work_comment_settings",
]


def _kwargs(name: str, *, username: str, work, series_id: int) -> dict:
    """The address arguments of a URL name, for the test's user, work and series."""
    wanted = {
        "username": username,
        "pseud_name": username,
        "work_id": work.pk,
        "chapter_id": work.chapters.first().pk,
        "series_id": series_id,
        "name": "Sherlock Holmes - Arthur Conan Doyle",
    }
    return {k: v for k, v in wanted.items() if _accepts(name, k)}


def _accepts(name: str, key: str) -> bool:
    """Whether the URL name's pattern has the argument ``key``."""
    namespace, _sep, short = name.partition(":")
    resolver = get_resolver().namespace_dict[namespace][1]
    for possibility, *_rest in resolver.reverse_dict.getlist(short):
        for _fmt, params in possibility:
            return key in params
    return False


def _h1_count(html: bytes) -> int:
    return len(lxml.html.fromstring(html).xpath("//h1"))


@pytest.fixture
def site(author, user):
    """A posted work in a series, by ``author``; ``reader`` is signed in elsewhere."""
    from ficarchive.works.services import series_for_work_add

    work = make_work(author)
    series_for_work_add(actor=author, work=work, entries=[{"title": "A Series"}])
    return work


def _walk(client: Client, names: list[str], *, username: str, work) -> list[str]:
    series_id = work.serial_works.first().series_id
    wrong = []
    for name in names:
        url = reverse(name, kwargs=_kwargs(name, username=username, work=work, series_id=series_id))
        response = client.get(url)
        if response.status_code != 200:
            wrong.append(f"{name} ({url}): status {response.status_code}")
            continue
        count = _h1_count(response.content)
        if count != 1:
            wrong.append(f"{name} ({url}): {count} h1")
    return wrong


def test_every_guest_page_has_one_h1(site):
    """Each page a guest opens has exactly one h1."""
    wrong = _walk(Client(), GUEST_PAGES, username="author", work=site)
    assert wrong == [], "\n".join(wrong)


def test_every_reader_page_has_one_h1(site, user):
    """Each of a signed-in reader's own pages (inbox, subscriptions, bookmarks, blocks,
    mutes, preferences, invitations, history, Marked for Later ...) has exactly one h1."""
    client = Client()
    client.force_login(user)
    wrong = _walk(client, READER_PAGES, username="reader", work=site)
    assert wrong == [], "\n".join(wrong)


def test_error_and_notice_pages_have_one_h1(author):
    """The 404 page and the adult-content notice a guest sees first have one h1 too."""
    from ficarchive.tags.vocabulary import Rating

    adult = make_work(author, rating=Rating.MATURE)
    client = Client()
    missing = client.get("/works/999999")
    assert missing.status_code == 404 and _h1_count(missing.content) == 1
    notice = client.get(reverse("works:detail", kwargs={"work_id": adult.pk}))
    assert b"view_adult=true" in notice.content and _h1_count(notice.content) == 1


def test_every_creator_page_has_one_h1(site, author):
    """Each page a work's creator uses to change it has exactly one h1."""
    client = Client()
    client.force_login(author)
    wrong = _walk(client, AUTHOR_PAGES, username="author", work=site)
    assert wrong == [], "\n".join(wrong)
