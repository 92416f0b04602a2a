"""The maintainers of an unrevealed collection read its works before the reveal (AO3);
everyone else gets the answer for a missing work, and listings still leave them out."""

from __future__ import annotations

import pytest
from django.test import Client

from ficarchive.collections.services import (
    collection_create,
    item_add,
    item_review,
    maintainer_set,
)
from ficarchive.core.viewers import OPERATOR
from ficarchive.testing import make_user, make_work
from ficarchive.works import access

pytestmark = pytest.mark.django_db


def _get(user, url: str):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client.get(url)


def test_maintainers_read_mystery_works():
    owner, mod, reader, writer = (make_user(n) for n in ("owner", "mod", "reader", "writer"))
    c = collection_create(
        actor=OPERATOR, owner=owner, name="Mystery", title="Mystery", unrevealed=True
    )
    sub = collection_create(
        actor=owner, owner=owner, name="Mystery_Sub", title="S", parent=c, unrevealed=True
    )
    maintainer_set(actor=owner, collection=c, user=mod, role="moderator")
    work = make_work(writer, title="Marker-Mystery-Read")
    item_add(actor=writer, collection=sub, work=work)
    url = f"/works/{work.pk}"

    assert _get(owner, url).status_code == 200  # an owner of the parent collection
    assert _get(mod, url).status_code == 200
    assert "Marker-Mystery-Read" in _get(mod, url).content.decode()
    assert _get(reader, url).status_code == 404
    assert _get(None, url).status_code == 404
    work.refresh_from_db()
    assert access.may_read(mod, work) and not access.may_read(reader, work)
    # Listings still leave the mystery out, for maintainers too.
    assert "Marker-Mystery-Read" not in _get(mod, "/works").content.decode()

    # A rejected item no longer opens it to that collection's maintainers; stepping down
    # closes it too.
    maintainer_set(actor=owner, collection=c, user=mod, role=None)
    assert _get(mod, url).status_code == 404


def test_rejected_item_closes_it():
    owner, writer = make_user("owner"), make_user("writer")
    c = collection_create(actor=OPERATOR, owner=owner, name="Shut", title="S", unrevealed=True)
    other = collection_create(
        actor=OPERATOR, owner=writer, name="Other", title="O", unrevealed=True
    )
    work = make_work(writer, title="Marker-Rejected")
    item = item_add(actor=writer, collection=c, work=work)
    item_add(actor=writer, collection=other, work=work)  # still a mystery through this one
    item_review(actor=owner, item=item, approve=False)
    assert _get(owner, f"/works/{work.pk}").status_code == 404
