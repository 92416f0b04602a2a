"""The unread inbox count in the header (the inbox_unread context processor)."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import reverse

from ficarchive.feedback import services
from ficarchive.feedback.models import InboxItem

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


def test_header_shows_unread_count(client, author, user, work):
    """A creator sees Inbox (N) with N unread notifications, and the count drops when read."""
    services.comment_create(actor=user, work=work, body="First.")
    services.comment_create(actor=user, work=work, body="Second.")
    client.force_login(author)
    inbox_url = reverse("feedback:inbox", args=["author"])
    assert (
        f'<a href="{inbox_url}">Inbox (2)</a>' in client.get(reverse("core:home")).content.decode()
    )
    services.inbox_mark_read(
        actor=author, item_ids=[InboxItem.objects.filter(user=author).first().pk]
    )
    assert (
        f'<a href="{inbox_url}">Inbox (1)</a>' in client.get(reverse("core:home")).content.decode()
    )


def test_count_is_per_user(client, author, user, work):
    """The commenter's own header shows none of the creator's notifications."""
    services.comment_create(actor=user, work=work, body="Hello.")
    client.force_login(user)
    assert "Inbox (0)" in client.get(reverse("core:home")).content.decode()


def test_guest_pages_cost_no_inbox_query(client, work):
    """For guests the count is never computed (the processor is lazy)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        client.get(reverse("core:home"))
    assert not any("feedback_inboxitem" in q["sql"] for q in ctx.captured_queries)


def _inbox_queries(client) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        client.get(reverse("core:home"))
    return sum("feedback_inboxitem" in q["sql"] for q in ctx.captured_queries)


def test_count_is_cached_between_pages(client, author, user, work):
    """The count is queried once, then served from the cache until the inbox changes."""
    client.force_login(author)
    assert _inbox_queries(client) == 1
    assert _inbox_queries(client) == 0
    services.comment_create(actor=user, work=work, body="New.")
    page = client.get(reverse("core:home")).content.decode()
    assert "Inbox (1)" in page


def test_deleting_a_comment_updates_the_count(client, author, user, work):
    """When the commenter deletes their comment, the creator's count drops at once."""
    comment = services.comment_create(actor=user, work=work, body="Oops.")
    client.force_login(author)
    assert "Inbox (1)" in client.get(reverse("core:home")).content.decode()
    services.comment_delete(actor=user, comment=comment)
    assert "Inbox (0)" in client.get(reverse("core:home")).content.decode()
