"""Forms that post a row id (assignments, pinch hits, items, gifts, links) answer a
tampered or stale id with their "No such ..." message, not a server error, and change
nothing."""

from __future__ import annotations

import pytest
from django.test import Client

from ficarchive.collections.forms import posted_id
from ficarchive.collections.models import Assignment
from ficarchive.collections.services import collection_create
from ficarchive.core.viewers import OPERATOR
from ficarchive.testing import make_user

pytestmark = pytest.mark.django_db

BAD_IDS = ("abc", "1x", "-1", "1.5", "٣", "9" * 40)


def test_posted_id_reads_only_whole_numbers():
    assert posted_id({"id": " 12 "}, "id") == 12
    assert posted_id({}, "id") == 0
    for bad in BAD_IDS:
        assert posted_id({"id": bad}, "id") == 0, bad


@pytest.mark.parametrize("bad", BAD_IDS)
@pytest.mark.parametrize(
    "action,field",
    [
        ("swap", "first"),
        ("regenerate", "signup"),
        ("default", "assignment"),
        ("pinch_hit", "signup"),
        ("fill", "assignment"),
    ],
)
def test_assignments_page_refuses_a_bad_id_with_a_message(action, field, bad):
    owner = make_user("tamper_mod")
    collection_create(
        actor=OPERATOR, owner=owner, name="Tamper_Swap", title="Tamper Swap",
        challenge="gift_exchange",
    )  # fmt: skip
    client = Client(raise_request_exception=False)
    client.force_login(owner)
    data = {"action": action, field: bad, "second": "1", "work": bad}
    response = client.post("/collections/Tamper_Swap/assignments", data, follow=True)
    assert response.status_code == 200
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert not Assignment.objects.exists()


def test_collection_item_and_gift_forms_refuse_a_bad_id():
    owner = make_user("tamper_owner")
    collection_create(actor=OPERATOR, owner=owner, name="Tamper_Coll", title="Tamper Coll")
    client = Client(raise_request_exception=False)
    client.force_login(owner)
    for url, data in [
        ("/collections/Tamper_Coll/items", {"item": "abc", "action": "approve"}),
        ("/users/tamper_owner/gifts", {"gift": "abc", "action": "refuse"}),
        ("/users/tamper_owner/invitations", {"id": "abc", "action": "accept"}),
    ]:
        response = client.post(url, data)
        assert response.status_code < 500, (url, response.status_code)
