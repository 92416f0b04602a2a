"""Defects found in a user walk of collections and exchanges (AO3 is the model): the
items page offers the actions that fit an item's state, a defaulted assignment stays in
the maintainers' table, pinch hits are shown to the exchange's people only, and a refused
gift can be seen and accepted again by its recipient."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from ficarchive.collections.models import Assignment, Gift
from ficarchive.collections.services import collection_create, item_add
from ficarchive.core.viewers import OPERATOR
from ficarchive.testing import make_user, make_work

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _row_buttons(page: str, item_pk: int) -> list[str]:
    """The action buttons of the items-table row whose form names ``item_pk``."""
    row = re.search(rf'name="item" value="{item_pk}">(.*?)</form>', page, flags=re.S)
    assert row, page
    return re.findall(r'name="action" value="(\w+)"', row[1])


def test_items_page_shows_the_actions_that_fit_each_state():
    """Pending: Approve, Reject, Remove; after Reject: Approve and Remove (no second
    Reject); after Approve: Reject and Remove."""
    mod = make_user("keeper")
    collection_create(actor=OPERATOR, owner=mod, name="Modded", title="Modded", moderated=True)
    from ficarchive.collections.models import Collection

    c = Collection.objects.get(name="Modded")
    writer = make_user("sender")
    item = item_add(actor=writer, collection=c, work=make_work(writer, title="Sent In"))
    client = _client(mod)
    page = client.get("/collections/Modded/items").content.decode()
    assert _row_buttons(page, item.pk) == ["approve", "reject", "remove"]
    client.post("/collections/Modded/items", {"item": item.pk, "action": "reject"})
    page = client.get("/collections/Modded/items").content.decode()
    assert _row_buttons(page, item.pk) == ["approve", "remove"]
    client.post("/collections/Modded/items", {"item": item.pk, "action": "approve"})
    page = client.get("/collections/Modded/items").content.decode()
    assert _row_buttons(page, item.pk) == ["reject", "remove"]
