"""Collection pages and the privacy rule (red-team round): a collection's maintainers manage
its items but are not its works' creators or the archive's admins, so its items page does
not name a draft or a work an admin hid; the collection index's work counts and the
"Mystery Works" count reveal no work the viewer could not list once revealed."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from ficarchive.collections.services import collection_create, item_add, maintainer_set
from ficarchive.testing import make_user, make_work
from ficarchive.works.services import work_hide

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    return {
        "owner": make_user("boxowner"),
        "mod": make_user("boxmod"),
        "alice": make_user("alice"),
        "admin": make_user("root", is_staff=True, is_superuser=True),
    }


def _box(people, **flags):
    box = collection_create(
        actor=people["owner"], owner=people["owner"], name="Orchard_Box", title="Orchard Box",
        **flags,
    )  # fmt: skip
    maintainer_set(actor=people["owner"], collection=box, user=people["mod"], role="moderator")
    return box


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_items_page_names_no_draft_or_hidden_work(people):
    """The maintainers see every item to approve or remove it, but a draft's or a hidden
    work's title only as a placeholder; works they may read keep their title and link."""
    box = _box(people)
    alice = people["alice"]
    draft = make_work(alice, title="Secret Draft Title", draft=True)
    hidden = make_work(alice, title="Secret Hidden Title")
    shown = make_work(alice, title="Plain Public Title")
    for work in (draft, hidden, shown):
        item_add(actor=alice, collection=box, work=work)
    work_hide(actor=people["admin"], work=hidden, hidden=True)
    for who in ("owner", "mod"):
        page = _client(people[who]).get("/collections/Orchard_Box/items")
        assert page.status_code == 200
        text = page.content.decode()
        assert "Plain Public Title" in text
        assert "Secret Draft Title" not in text, who
        assert "Secret Hidden Title" not in text, who
        # Still three rows to act on.
        assert len(re.findall(r'name="item" value="\d+"', text)) == 3
    # Admins manage every collection: they see the hidden work, not someone's draft.
    admin_page = _client(people["admin"]).get("/collections/Orchard_Box/items").content.decode()
    assert "Secret Hidden Title" in admin_page
    assert "Secret Draft Title" not in admin_page


def test_items_page_names_no_bookmarked_work_hidden_since(people):
    """A bookmark put in the collection before its work was hidden: the maintainers still
    review it, without the hidden work's title."""
    from ficarchive.collections.services import bookmark_item_add
    from ficarchive.feedback.services import bookmark_save

    box = _box(people)
    work = make_work(people["alice"], title="Secret Hidden Title")
    reader = make_user("reader")
    bookmark = bookmark_save(actor=reader, work=work, notes="Lovely.")
    bookmark_item_add(actor=reader, collection=box, bookmark=bookmark)
    work_hide(actor=people["admin"], work=work, hidden=True)
    text = _client(people["mod"]).get("/collections/Orchard_Box/items").content.decode()
    assert "Secret Hidden Title" not in text
    assert len(re.findall(r'name="item" value="\d+"', text)) == 1


def _index_count(client: Client) -> int:
    text = client.get("/collections").content.decode()
    found = re.search(r"Orchard Box</a>.*?Works: (\d+)", text, re.S)
    assert found, text
    return int(found.group(1))


def test_index_counts_only_works_the_viewer_may_list(people):
    """The index's "Works: N" counts what the viewer may list: no draft, no hidden work,
    and no restricted work for guests."""
    box = _box(people)
    alice = people["alice"]
    for title, extra in (
        ("Public", {}),
        ("Draft", {"draft": True}),
        ("Restricted", {"restricted": True}),
        ("Hidden", {}),
    ):
        work = make_work(alice, title=title, **extra)
        item_add(actor=alice, collection=box, work=work)
        if title == "Hidden":
            work_hide(actor=people["admin"], work=work, hidden=True)
    assert _index_count(_client()) == 1
    assert _index_count(_client(people["mod"])) == 2
    assert _index_count(_client(people["admin"])) == 3


def test_mystery_count_counts_no_hidden_or_draft_work(people):
    """An unrevealed collection's "Mystery Works" count is of works the viewer could list
    once revealed: a hidden work is no mystery, it is hidden."""
    box = _box(people, unrevealed=True)
    alice = people["alice"]
    plain = make_work(alice, title="Plain")
    hidden = make_work(alice, title="Hidden")
    for work in (plain, hidden):
        item_add(actor=alice, collection=box, work=work)
    work_hide(actor=people["admin"], work=hidden, hidden=True)
    text = _client().get("/collections/Orchard_Box").content.decode()
    assert "1 Mystery Work: to be revealed." in text
    api = _client().get("/api/v1/collections/Orchard_Box").json()
    assert api["mystery_works"] == 1
