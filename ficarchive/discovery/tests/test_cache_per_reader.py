"""A cached blurb never carries one reader's own part to another: read state, "Mark for
Later" and its form's CSRF token are drawn for each request (issue 13's read state meets
issue 17's blurb cache). Commits, as the cache stores only what was read outside a
transaction."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from ficarchive.reading.services import history_record, later_mark
from ficarchive.testing import PASSWORD, make_user, make_work

pytestmark = [pytest.mark.django_db(transaction=True)]


def _blurb(client: Client, work_id: int) -> str:
    page = client.get("/works").content.decode()
    start = page.index(f'<li class="work blurb group" id="work_{work_id}"')
    return page[start : page.index("</ol>", start)]  # the only work listed


def test_read_state_and_forms_are_each_readers_own():
    author = make_user("cacheauthor")
    work = make_work(author, title="Shared Blurb")
    keen, other = make_user("keenreader"), make_user("otherreader")
    history_record(user=keen, work=work, chapter=None)
    later_mark(actor=keen, work=work)
    guest = Client()
    first = _blurb(guest, work.pk)  # fills the cache for the reader class
    assert "Mark for Later" not in first and "csrfmiddlewaretoken" not in first
    clients = {}
    for user in (keen, other):
        clients[user.username] = Client()
        assert clients[user.username].login(username=user.username, password=PASSWORD)
    keen_blurb = _blurb(clients["keenreader"], work.pk)
    other_blurb = _blurb(clients["otherreader"], work.pk)
    assert "Marked for later" in keen_blurb and "Mark as Read" in keen_blurb
    assert "Marked for later" not in other_blurb and "Mark for Later" in other_blurb
    tokens = [
        re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', b).group(1)
        for b in (keen_blurb, other_blurb)
    ]
    assert tokens[0] != tokens[1]
    # And the guest, after both readers, still sees no one's part.
    again = _blurb(guest, work.pk)
    assert "Marked for later" not in again and "csrfmiddlewaretoken" not in again
