"""Bookmarks in collections: the owner adds their bookmark (held for approval in a
moderated collection), the collection page lists them with filters, and a bookmark of a
work the viewer may not see never appears."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from ficarchive.collections.models import CollectionBookmark
from ficarchive.collections.services import (
    bookmark_item_add,
    bookmark_item_remove,
    bookmark_item_review,
    collection_create,
    item_add,
)
from ficarchive.core.errors import PermissionDenied
from ficarchive.core.viewers import OPERATOR
from ficarchive.feedback.services import bookmark_save
from ficarchive.testing import make_user, make_work
from ficarchive.works.services import work_hide

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    return {n: make_user(n) for n in ("owner", "writer", "reader", "other")}


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_add_listed_and_moderated_held(people):
    """An open collection lists the bookmark at once; a moderated one holds it until a
    maintainer approves it, and a rejected one never shows."""
    work = make_work(people["writer"], title="Marker-Open-Work")
    bm = bookmark_save(actor=people["reader"], work=work, notes="Lovely.", rec=True)
    open_c = collection_create(actor=OPERATOR, owner=people["owner"], name="Open_Recs", title="O")
    mod_c = collection_create(
        actor=OPERATOR, owner=people["owner"], name="Mod_Recs", title="M", moderated=True
    )
    item = bookmark_item_add(actor=people["reader"], collection=open_c, bookmark=bm)
    assert item.collection_approval == "approved"
    page = _client().get("/collections/Open_Recs/bookmarks").content.decode()
    assert "Marker-Open-Work" in page and "Lovely." in page

    held = bookmark_item_add(actor=people["reader"], collection=mod_c, bookmark=bm)
    assert held.collection_approval == "pending"
    assert (
        "Marker-Open-Work" not in _client().get("/collections/Mod_Recs/bookmarks").content.decode()
    )
    review = _client(people["owner"]).get("/collections/Mod_Recs/items").content.decode()
    assert "Marker-Open-Work" in review
    with pytest.raises(PermissionDenied):
        bookmark_item_review(actor=people["other"], item=held, approve=True)
    _client(people["owner"]).post(
        "/collections/Mod_Recs/bookmarks/review", {"item": held.pk, "action": "approve"}
    )
    assert "Marker-Open-Work" in _client().get("/collections/Mod_Recs/bookmarks").content.decode()
    bookmark_item_review(actor=people["owner"], item=held, approve=False)
    assert (
        "Marker-Open-Work" not in _client().get("/collections/Mod_Recs/bookmarks").content.decode()
    )


def test_bad_input_changes_nothing(people):
    """Someone else's bookmark, a private one, a closed collection, twice: refused."""
    work = make_work(people["writer"])
    bm = bookmark_save(actor=people["reader"], work=work)
    private = bookmark_save(actor=people["other"], work=work, private=True)
    c = collection_create(actor=OPERATOR, owner=people["owner"], name="Recs", title="Recs")
    closed = collection_create(
        actor=OPERATOR, owner=people["owner"], name="Shut", title="Shut", closed=True
    )
    with pytest.raises(PermissionDenied):
        bookmark_item_add(actor=people["other"], collection=c, bookmark=bm)
    with pytest.raises(ValidationError):
        bookmark_item_add(actor=people["other"], collection=c, bookmark=private)
    with pytest.raises(ValidationError):
        bookmark_item_add(actor=people["reader"], collection=closed, bookmark=bm)
    bookmark_item_add(actor=people["reader"], collection=c, bookmark=bm)
    with pytest.raises(ValidationError):
        bookmark_item_add(actor=people["reader"], collection=c, bookmark=bm)
    assert CollectionBookmark.objects.count() == 1
    # Through the page: a clear message, nothing added.
    response = _client(people["other"]).post(
        "/collections/Recs/bookmarks/new", {"bookmark": bm.pk}, follow=True
    )
    assert "Pick one of your bookmarks." in response.content.decode()
    assert CollectionBookmark.objects.count() == 1
    with pytest.raises(PermissionDenied):
        bookmark_item_remove(actor=people["other"], item=CollectionBookmark.objects.get())
    bookmark_item_remove(actor=people["reader"], item=CollectionBookmark.objects.get())
    assert CollectionBookmark.objects.count() == 0


def test_add_through_page(people):
    """The add page offers the user's public bookmarks and adds the one picked."""
    work = make_work(people["writer"], title="Marker-Paged-Work")
    bm = bookmark_save(actor=people["reader"], work=work)
    collection_create(actor=OPERATOR, owner=people["owner"], name="Paged", title="Paged")
    client = _client(people["reader"])
    assert "Marker-Paged-Work" in client.get("/collections/Paged/bookmarks/new").content.decode()
    response = client.post("/collections/Paged/bookmarks/new", {"bookmark": bm.pk}, follow=True)
    assert response.status_code == 200
    assert CollectionBookmark.objects.filter(bookmark=bm).exists()
    assert "Marker-Paged-Work" in response.content.decode()


def test_unseeable_works_never_appear(people):
    """Bookmarks of a restricted work (to guests), a hidden work and a work in an
    unrevealed collection are left out of the listing."""
    c = collection_create(actor=OPERATOR, owner=people["owner"], name="Recs", title="Recs")
    admin = make_user("boss", is_superuser=True, is_staff=True)
    restricted = make_work(people["writer"], title="Marker-Restricted", restricted=True)
    hidden = make_work(people["writer"], title="Marker-Hidden")
    mystery = make_work(people["writer"], title="Marker-Mystery")
    for work in (restricted, hidden, mystery):
        bm = bookmark_save(actor=people["reader"], work=work)
        bookmark_item_add(actor=people["reader"], collection=c, bookmark=bm)
    work_hide(actor=admin, work=hidden, hidden=True)
    secret = collection_create(
        actor=OPERATOR, owner=people["owner"], name="Secret", title="Secret", unrevealed=True
    )
    item_add(actor=people["writer"], collection=secret, work=mystery)

    guest = _client().get("/collections/Recs/bookmarks").content.decode()
    assert not any(m in guest for m in ("Marker-Restricted", "Marker-Hidden", "Marker-Mystery"))
    member = _client(people["other"]).get("/collections/Recs/bookmarks").content.decode()
    assert "Marker-Restricted" in member
    assert "Marker-Hidden" not in member and "Marker-Mystery" not in member


def test_filters(people):
    """Recs only, with notes, a tag (on the work, through its synonym closure, or the
    bookmarker's), one bookmarker."""
    c = collection_create(actor=OPERATOR, owner=people["owner"], name="Recs", title="Recs")
    one = make_work(people["writer"], title="Marker-One", freeforms=["Slow Burn"])
    two = make_work(people["writer"], title="Marker-Two")
    b1 = bookmark_save(actor=people["reader"], work=one, rec=True)
    b2 = bookmark_save(actor=people["other"], work=two, notes="Read this.", tags="Comfort")
    for actor, bm in ((people["reader"], b1), (people["other"], b2)):
        bookmark_item_add(actor=actor, collection=c, bookmark=bm)

    def shown(query: str) -> set[str]:
        text = _client().get(f"/collections/Recs/bookmarks?{query}").content.decode()
        return {m for m in ("Marker-One", "Marker-Two") if m in text}

    assert shown("") == {"Marker-One", "Marker-Two"}
    assert shown("rec=1") == {"Marker-One"}
    assert shown("with_notes=1") == {"Marker-Two"}
    assert shown("tag=Slow+Burn") == {"Marker-One"}
    assert shown("tag=Comfort") == {"Marker-Two"}
    assert shown("tag=No+Such+Tag") == set()
    assert shown("bookmarker=other") == {"Marker-Two"}
