"""GET /api/v1/collections, /collections/NAME, its works and its bookmarks: what the
site's collection pages show, under the same rules (unrevealed works are mysteries,
hidden works and unapproved items never show), every answer checked against openapi.json."""

from __future__ import annotations

import pytest

from ficarchive.api.tests.conftest import ApiClient
from ficarchive.collections.services import (
    bookmark_item_add,
    bookmark_item_review,
    collection_create,
    item_add,
)
from ficarchive.core.viewers import OPERATOR
from ficarchive.feedback.services import bookmark_save
from ficarchive.testing import make_user, make_work
from ficarchive.works.services import work_hide

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    return {n: make_user(n) for n in ("owner", "writer", "reader", "other")}


@pytest.fixture
def guest():
    return ApiClient()


def _titles(body: dict) -> set[str]:
    return {w["title"] for w in body["items"]}


def test_index_and_detail_name_the_collection_and_its_maintainers(people, guest):
    parent = collection_create(
        actor=OPERATOR, owner=people["owner"], name="Api_Fest", title="Api Fest", moderated=True
    )
    collection_create(
        actor=people["owner"],
        owner=people["owner"],
        name="Api_Fest_Two",
        title="Two",
        parent=parent,
    )
    body = guest.get("/collections").json()
    names = [c["name"] for c in body["items"]]
    assert {"Api_Fest", "Api_Fest_Two"} <= set(names)
    fest = guest.get("/collections/api_fest").json()  # names are case-insensitive
    assert fest["title"] == "Api Fest" and fest["moderated"] is True
    assert fest["maintainers"] == ["owner"]
    assert fest["children"] == ["Api_Fest_Two"]
    assert fest["works_url"].endswith("/api/v1/collections/Api_Fest/works")
    assert fest["url"].endswith("/collections/Api_Fest")
    missing = guest.get("/collections/No_Such_Thing")
    assert missing.status_code == 404 and "\n" not in missing.json()["error"]["message"]


def test_works_lists_what_the_viewer_may_list_and_counts_mysteries(people, guest):
    shown = make_work(people["writer"], title="Api-Shown-Work")
    hidden = make_work(people["writer"], title="Api-Hidden-Work")
    open_c = collection_create(actor=OPERATOR, owner=people["owner"], name="Api_Open", title="O")
    for work in (shown, hidden):
        item_add(actor=people["writer"], collection=open_c, work=work)
    make_work(people["writer"], title="Api-Elsewhere-Work")
    work_hide(actor=OPERATOR, work=hidden, hidden=True)
    assert _titles(guest.get("/collections/Api_Open/works").json()) == {"Api-Shown-Work"}

    secret = collection_create(
        actor=OPERATOR, owner=people["owner"], name="Api_Secret", title="S", unrevealed=True
    )
    mystery = make_work(people["writer"], title="Api-Mystery-Work")
    item_add(actor=people["writer"], collection=secret, work=mystery)
    assert _titles(guest.get("/collections/Api_Secret/works").json()) == set()
    assert guest.get("/collections/Api_Secret").json()["mystery_works"] == 1
    bad = guest.get("/collections/Api_Open/works", rating="Nonsense")
    assert bad.status_code == 400


def test_bookmarks_are_approved_public_and_filtered(people, guest):
    c = collection_create(
        actor=OPERATOR, owner=people["owner"], name="Api_Recs", title="Recs", moderated=True
    )
    one = make_work(people["writer"], title="Api-Rec-One")
    two = make_work(people["writer"], title="Api-Rec-Two")
    gone = make_work(people["writer"], title="Api-Rec-Gone")
    rec = bookmark_save(actor=people["reader"], work=one, notes="Read this.", rec=True)
    plain = bookmark_save(actor=people["other"], work=two)
    pending = bookmark_save(actor=people["other"], work=one)
    of_hidden = bookmark_save(actor=people["reader"], work=gone, rec=True)
    for bm in (rec, plain, of_hidden):
        item = bookmark_item_add(actor=bm.user, collection=c, bookmark=bm)
        bookmark_item_review(actor=people["owner"], item=item, approve=True)
    bookmark_item_add(actor=people["other"], collection=c, bookmark=pending)  # held
    work_hide(actor=OPERATOR, work=gone, hidden=True)

    def ids(**query) -> list[int]:
        response = guest.get("/collections/Api_Recs/bookmarks", **query)
        assert response.status_code == 200, response.content
        return [b["id"] for b in response.json()["items"]]

    assert ids() == [plain.pk, rec.pk]  # newest first; held and hidden-work ones left out
    assert ids(rec="true") == [rec.pk]
    assert ids(with_notes="true") == [rec.pk]
    assert ids(bookmarker="other") == [plain.pk]
    assert ids(limit=1)[0] == plain.pk

    for query, field in (({"sort": "title"}, "sort"), ({"rec": "maybe"}, "rec")):
        response = guest.get("/collections/Api_Recs/bookmarks", **query)
        assert response.status_code == 400
        assert field in response.json()["error"]["fields"]
