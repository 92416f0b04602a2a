"""The work page's feedback block costs a fixed number of queries, however long the thread."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ficarchive.feedback import services
from ficarchive.feedback.selectors import inbox_count_forget
from ficarchive.testing import make_user

pytestmark = pytest.mark.django_db


def _page_queries(client, work) -> int:
    with CaptureQueriesContext(connection) as ctx:
        r = client.get(work.get_absolute_url())
    assert r.status_code == 200
    return len(ctx.captured_queries)


def test_work_page_queries_do_not_grow_with_comments(client, work, author, user):
    """10 more comments, replies and kudos add no queries to the work page."""
    client.force_login(user)
    c = services.comment_create(actor=user, work=work, body="first")
    services.kudos_give(actor=user, work=work)
    # Warm the per-process caches of the site app (terms version, banner, warnings), then
    # drop the inbox count, which the replies below make the second load count again.
    _page_queries(client, work)
    inbox_count_forget([user.pk])
    before = _page_queries(client, work)
    for i in range(10):
        reader = make_user(f"r{i}")
        services.kudos_give(actor=reader, work=work)
        services.comment_create(actor=reader, work=work, body=f"c{i}", parent=c if i % 2 else None)
    after = _page_queries(client, work)
    print(f"work page queries: {before} with 1 comment, {after} with 11")
    assert after == before
