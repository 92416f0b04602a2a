"""A draft work's chapters are not posted (AO3: a draft's chapters stay unposted until the
work is posted): the API, and the chapter index its creator sees on the work page."""

from __future__ import annotations

import pytest
from django.test import Client

from ficarchive.testing import PASSWORD

pytestmark = pytest.mark.django_db

DRAFT = {
    "title": "Still A Draft",
    "rating": "General Audiences",
    "warnings": ["No Archive Warnings Apply"],
    "fandoms": ["Sherlock Holmes - Arthur Conan Doyle"],
    "chapters": [{"title": "One", "body": "First."}, {"title": "Two", "body": "Second."}],
    "draft": True,
}


def _posted_flags(api, work_id: int) -> list[bool]:
    return [c["posted"] for c in api.get(f"/works/{work_id}/chapters").json()["items"]]


def test_draft_chapters_are_unposted_until_the_work_is_posted(author_api):
    """Every chapter of a draft reports posted false (list and single chapter); after
    PATCH posted: true every one reports posted true."""
    work = author_api.post("/works", DRAFT).json()
    assert work["posted"] is False
    assert _posted_flags(author_api, work["id"]) == [False, False]
    chapters = author_api.get(f"/works/{work['id']}/chapters").json()["items"]
    one = author_api.get(f"/works/{work['id']}/chapters/{chapters[0]['id']}").json()
    assert one["posted"] is False and one["published_at"] is None
    added = author_api.post(f"/works/{work['id']}/chapters", {"body": "Third."})
    assert added.status_code == 201 and added.json()["posted"] is False
    author_api.patch(f"/works/{work['id']}", {"posted": True})
    assert _posted_flags(author_api, work["id"]) == [True, True, True]


def test_work_page_marks_a_drafts_chapters_for_its_creator(author, author_api):
    """The chapter index on a draft's page shows each chapter as a draft to its creator,
    and no longer once the work is posted."""
    work = author_api.post("/works", DRAFT).json()
    browser = Client()
    assert browser.login(username=author.username, password=PASSWORD)
    page = browser.get(f"/works/{work['id']}?view_full_work=true").content.decode()
    for heading in ("Chapter 1: One", "Chapter 2: Two"):
        assert f'{heading}</a> <span class="muted">(draft)</span>' in page
    index = browser.get(f"/works/{work['id']}").content.decode()
    assert '1. One</a> <span class="muted">(draft)</span>' in index
    author_api.patch(f"/works/{work['id']}", {"posted": True})
    for address in (f"/works/{work['id']}", f"/works/{work['id']}?view_full_work=true"):
        assert "(draft)" not in browser.get(address).content.decode()
