"""POST and PATCH /api/v1/works take "collections", "gift_to" and "series"; bad ones
are a 400 and change nothing."""

from __future__ import annotations

import pytest

from ficarchive.api.tests.conftest import ApiClient, make_token
from ficarchive.collections.models import Collection, CollectionItem, Gift
from ficarchive.collections.services import collection_create
from ficarchive.core.viewers import OPERATOR
from ficarchive.testing import make_user, make_work
from ficarchive.works.models import Series, Work

pytestmark = pytest.mark.django_db

BODY = {
    "title": "Api Gift",
    "rating": "General Audiences",
    "warnings": ["No Archive Warnings Apply"],
    "fandoms": ["Api Fandom"],
    "chapters": [{"body": "Some words for the gift.", "text_format": "text"}],
}


@pytest.fixture
def writer():
    return make_user("apiwriter")


@pytest.fixture
def api(writer):
    return ApiClient(make_token(writer))


@pytest.fixture
def exchange(writer):
    owner = make_user("apiowner")
    return collection_create(
        actor=OPERATOR, owner=owner, name="Api_Exchange", title="Api Exchange",
        anonymous=True, unrevealed=True,
    )  # fmt: skip


def test_post_into_collection_with_gift_and_series(api, exchange, writer):
    """A new work joins the collection (anonymous and unrevealed), is a gift and starts a
    series at the position asked."""
    make_user("friend")
    response = api.post(
        "/works",
        {**BODY, "collections": ["Api_Exchange"], "gift_to": ["friend"],
         "series": [{"title": "Api Saga", "position": 2}]},
    )  # fmt: skip
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["collections"] == ["Api_Exchange"]
    assert body["gift_to"] == ["friend"]
    assert body["series"][0]["title"] == "Api Saga" and body["series"][0]["position"] == 2
    work = Work.objects.get(pk=body["id"])
    assert work.in_anonymous_collection and work.in_unrevealed_collection
    # A guest gets a 404 for the unrevealed work, as for a missing one.
    assert ApiClient().get(f"/works/{work.pk}").status_code == 404


def test_patch_adds_to_an_existing_series_by_id(api, writer):
    first = make_work(writer, title="First")
    second = make_work(writer, title="Second")
    from ficarchive.works.services import series_add_work

    series = series_add_work(actor=writer, work=first, series_title="Pair")
    response = api.patch(f"/works/{second.pk}", {"series": [{"id": series.pk}]})
    assert response.status_code == 200, response.content
    assert [s["id"] for s in response.json()["series"]] == [series.pk]
    other = make_user("stranger")
    theirs = series_add_work(actor=other, work=make_work(other), series_title="Theirs")
    refused = api.patch(f"/works/{second.pk}", {"series": [{"id": theirs.pk}]})
    assert refused.status_code == 403


def test_unknown_collection_changes_nothing(api, exchange):
    """An unknown collection name: 400 naming it, and no work is made."""
    before = Work.objects.count()
    response = api.post("/works", {**BODY, "collections": ["No_Such"]})
    assert response.status_code == 400
    assert "No collection named No_Such" in response.json()["error"]["message"]
    assert Work.objects.count() == before


def test_refused_gift_is_not_given_again(api, writer):
    """A gift the recipient refused cannot be given again: 400, the work unchanged."""
    from ficarchive.collections.services import gift_add, gift_refuse

    friend = make_user("picky")
    work = make_work(writer)
    gift = gift_add(actor=writer, work=work, name="picky")
    gift_refuse(actor=friend, gift=gift)
    response = api.patch(f"/works/{work.pk}", {"title": "Renamed", "gift_to": ["picky"]})
    assert response.status_code == 400
    assert "refused" in response.json()["error"]["message"]
    work.refresh_from_db()
    assert work.title != "Renamed"
    assert Gift.objects.filter(work=work).count() == 1


def test_bad_shapes_are_400(api):
    for bad in ({"collections": "x"}, {"gift_to": [1]}, {"series": [{"id": "x"}]}):
        assert api.post("/works", {**BODY, **bad}).status_code == 400
    assert not Series.objects.exists() and not CollectionItem.objects.exists()
    assert not Collection.objects.exists()


def test_unknown_names_and_ids_are_a_400_naming_the_field(api, writer, exchange):
    """An unknown collection name and an unknown series id in the body are both a 400 of
    the API's error shape naming their field, on POST and on PATCH, and nothing is made
    or changed (a missing thing in the body is bad input, not a missing address)."""
    before = Work.objects.count()
    for key, value in (("collections", ["No_Such"]), ("series", [{"id": 987654}])):
        response = api.post("/works", {**BODY, key: value})
        assert response.status_code == 400, response.content
        error = response.json()["error"]
        assert error["code"] == "invalid" and list(error["fields"]) == [key]
        assert "\n" not in error["message"]
    assert Work.objects.count() == before
    work = make_work(writer, title="Kept")
    for key, value in (("collections", ["No_Such"]), ("series", [{"id": 987654}])):
        response = api.patch(f"/works/{work.pk}", {"title": "Renamed", key: value})
        assert response.status_code == 400 and list(response.json()["error"]["fields"]) == [key]
    work.refresh_from_db()
    assert work.title == "Kept" and not Series.objects.exists()


def test_gift_to_a_name_without_an_account_is_a_free_text_gift(api, writer):
    """AO3 lets a work be given to someone without an account, by name: an unknown name in
    ``gift_to`` is such a gift (201), not an error; a refused gift or yourself is a 400
    naming ``gift_to``."""
    response = api.post("/works", {**BODY, "gift_to": ["Nobody Here"]})
    assert response.status_code == 201 and response.json()["gift_to"] == ["Nobody Here"]
    gift = Gift.objects.get(work_id=response.json()["id"])
    assert gift.pseud_id is None and gift.recipient_name == "Nobody Here"
    refused = api.post("/works", {**BODY, "gift_to": ["apiwriter"]})
    assert refused.status_code == 400 and list(refused.json()["error"]["fields"]) == ["gift_to"]
