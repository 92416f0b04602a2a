"""Comment threads and bookmark listings: shape, privacy and query counts."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ficarchive.feedback import selectors, services
from ficarchive.testing import make_user, make_work

pytestmark = pytest.mark.django_db


def test_thread_is_a_tree(work, author, user):
    """Replies nest under their parents, in posting order."""
    a = services.comment_create(actor=user, work=work, body="A")
    b = services.comment_create(actor=author, work=work, body="B")
    a1 = services.comment_create(actor=author, work=work, body="A1", parent=a)
    services.comment_create(actor=user, work=work, body="A1a", parent=a1)
    roots = selectors.comment_thread(work, user)
    assert [n.pk for n in roots] == [a.pk, b.pk]
    assert [n.pk for n in roots[0].replies] == [a1.pk]
    assert roots[0].replies[0].replies[0].comment.body == "<p>A1a</p>"
    assert roots[0].can_edit and not roots[1].can_edit and roots[1].by_creator


def test_thread_query_count_is_fixed(work, author, user):
    """The thread takes the same number of queries for 3 comments as for 30."""

    def count() -> int:
        fresh = type(work).objects.prefetch_related("creatorships__pseud__user").get(pk=work.pk)
        with CaptureQueriesContext(connection) as ctx:
            selectors.comment_thread(fresh, user)
        return len(ctx.captured_queries)

    parent = None
    for i in range(3):
        parent = services.comment_create(actor=user, work=work, body=f"c{i}", parent=parent)
    small = count()
    for i in range(27):
        services.comment_create(
            actor=make_user(f"r{i}") if i % 3 else author,
            work=work,
            body=f"d{i}",
            parent=parent if i % 2 else None,
        )
    assert count() == small <= 4


def test_thread_empty_for_drafts_and_hidden_from_guests_when_restricted(author, user):
    """Drafts have no thread; a restricted work's thread is empty for guests."""
    draft = make_work(author, draft=True)
    assert selectors.comment_thread(draft, author) == []
    restricted = make_work(author, restricted=True)
    services.comment_create(actor=user, work=restricted, body="Hi")
    assert selectors.comment_thread(restricted, AnonymousUser()) == []
    assert len(selectors.comment_thread(restricted, user)) == 1


def test_chapter_thread_only_that_chapter(author, user):
    """A chapter's thread holds that chapter's comments; the work's holds all."""
    work = make_work(author, chapters=["One.", "Two."])
    ch1, ch2 = work.chapters.order_by("position")
    services.comment_create(actor=user, work=work, body="on one", chapter=ch1)
    services.comment_create(actor=user, work=work, body="on two", chapter=ch2)
    assert [n.comment.body for n in selectors.comment_thread(work, user, chapter=ch2)] == [
        "<p>on two</p>"
    ]
    assert len(selectors.comment_thread(work, user)) == 2


def test_bookmarks_for_user_privacy(author, user):
    """Private bookmarks only for their owner; restricted works only for logged-in viewers."""
    public = make_work(author, title="P")
    restricted = make_work(author, title="R", restricted=True)
    services.bookmark_save(actor=user, work=public, private=True)
    services.bookmark_save(actor=user, work=restricted)
    guest = AnonymousUser()
    assert [b.work.title for b in selectors.bookmarks_for_user(user, guest)] == []
    assert [b.work.title for b in selectors.bookmarks_for_user(user, author)] == ["R"]
    assert sorted(b.work.title for b in selectors.bookmarks_for_user(user, user)) == ["P", "R"]
