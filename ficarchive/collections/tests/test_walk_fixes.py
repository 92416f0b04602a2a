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


@pytest.fixture
def exchange():
    from ficarchive.collections.services import challenge_set, tag_set_add
    from ficarchive.tags.services import tag_make_canonical

    mod = make_user("swapmod")
    tag_make_canonical(actor=OPERATOR, tag="Fandom Alpha", kind="fandom")
    c = collection_create(
        actor=OPERATOR, owner=mod, name="Swap_Walk", title="Swap Walk",
        anonymous=True, unrevealed=True, challenge="gift_exchange",
    )  # fmt: skip
    tag_set_add(actor=OPERATOR, collection=c, kind="fandom", names=["Fandom Alpha"])
    challenge_set(actor=OPERATOR, collection=c, requests_max=1, offers_max=1)
    return c


def _matched(exchange, names=("p1", "p2")):
    from ficarchive.collections.services import challenge_match, signups_import

    for n in names:
        make_user(n)
    alpha = [{"fandoms": ["Fandom Alpha"]}]
    signups_import(
        collection=exchange,
        rows=[{"user": n, "requests": alpha, "offers": alpha} for n in names],
    )
    challenge_match(actor=OPERATOR, collection=exchange)


def _status_of(page: str, assignment_pk: int) -> str:
    row = re.search(rf"<tr><td>{assignment_pk}</td>(.*?)</tr>", page, flags=re.S)
    assert row, page
    return re.findall(r"<td>(.*?)</td>", row[1], flags=re.S)[-1]


def test_defaulted_assignment_stays_listed_for_maintainers(exchange):
    """AO3 keeps a defaulted assignment in the maintainers' table, marked defaulted, with
    the pinch hitter beside it once someone takes it."""
    from ficarchive.collections.services import assignment_default

    _matched(exchange, names=("p1", "p2", "p3"))
    a = Assignment.objects.get(giver__pseud__user__username="p1")
    assignment_default(actor=a.giver.pseud.user, assignment=a)
    mod = _client(exchange.participants.get().user)
    page = mod.get("/collections/Swap_Walk/assignments").content.decode()
    assert _status_of(page, a.pk) == "defaulted"
    (hitter,) = [
        s.pseud.user for s in exchange.challenge.signups.all()
        if s.pk not in (a.giver_id, a.recipient_id)
    ]  # fmt: skip
    _client(hitter).post(
        "/collections/Swap_Walk/assignments", {"action": "pinch_hit", "signup": a.recipient_id}
    )
    page = mod.get("/collections/Swap_Walk/assignments").content.decode()
    assert _status_of(page, a.pk) == f"defaulted (pinch hit by {hitter.username})"


def test_pinch_hits_are_for_the_exchanges_people_only(exchange):
    """An account outside the exchange sees no pinch-hit list and cannot claim one; a
    participant and a maintainer see it, and a participant claims it."""
    from ficarchive.collections.services import assignment_default

    _matched(exchange, names=("p1", "p2", "p3"))
    a = Assignment.objects.get(giver__pseud__user__username="p1")
    assignment_default(actor=a.giver.pseud.user, assignment=a)
    stranger = _client(make_user("stranger"))
    page = stranger.get("/collections/Swap_Walk/assignments").content.decode()
    assert "Pinch hits needed" not in page
    stranger.post(
        "/collections/Swap_Walk/assignments", {"action": "pinch_hit", "signup": a.recipient_id}
    )
    assert not Assignment.objects.filter(recipient=a.recipient, defaulted_at=None).exists()
    mod = _client(exchange.participants.get().user)
    assert "Pinch hits needed" in mod.get("/collections/Swap_Walk/assignments").content.decode()
    (hitter,) = [
        s.pseud.user for s in exchange.challenge.signups.all()
        if s.pk not in (a.giver_id, a.recipient_id)
    ]  # fmt: skip
    page = _client(hitter).get("/collections/Swap_Walk/assignments").content.decode()
    assert "Pinch hits needed" in page
    _client(hitter).post(
        "/collections/Swap_Walk/assignments", {"action": "pinch_hit", "signup": a.recipient_id}
    )
    assert (
        Assignment.objects.get(recipient=a.recipient, defaulted_at=None).pinch_hitter.user == hitter
    )


def test_refused_gifts_view_for_its_owner_and_accept_again():
    """AO3's Refused Gifts (``?refused=true``): the owner sees the gifts they refused and
    may accept one again; anyone else gets the ordinary gifts page."""
    from ficarchive.collections.services import gift_add

    giver, friend = make_user("donor"), make_user("taker")
    gift = gift_add(actor=giver, work=make_work(giver, title="Unwanted Then Wanted"), name="taker")
    client = _client(friend)
    client.post("/users/taker/gifts", {"gift": gift.pk})
    assert Gift.objects.get(pk=gift.pk).refused
    own = client.get("/users/taker/gifts?refused=true").content.decode()
    assert "Refused gifts for taker" in own and "Unwanted Then Wanted" in own
    assert 'value="accept"' in own
    for other in (Client(), _client(giver)):
        page = other.get("/users/taker/gifts?refused=true").content.decode()
        assert "Unwanted Then Wanted" not in page and "Refused gifts for" not in page
    # Someone else cannot accept it for them.
    _client(giver).post("/users/taker/gifts", {"gift": gift.pk, "action": "accept"})
    assert Gift.objects.get(pk=gift.pk).refused
    client.post("/users/taker/gifts", {"gift": gift.pk, "action": "accept"})
    assert not Gift.objects.get(pk=gift.pk).refused
    assert "Unwanted Then Wanted" in Client().get("/users/taker/gifts").content.decode()
    assert (
        "Unwanted Then Wanted" not in client.get("/users/taker/gifts?refused=true").content.decode()
    )


def test_mystery_work_notice_and_works_count():
    """Before the reveal a reader gets AO3's "Mystery Work" notice (naming nothing of the
    work; a 404 status, the body says why), a guest too; the creator and the maintainer read the work itself; the
    collection's "Works (N)" counts the mystery work; a draft in the collection stays a
    missing work."""
    mod, writer = make_user("mysterymod"), make_user("mysterywriter")
    c = collection_create(
        actor=OPERATOR, owner=mod, name="Hidden_Fest", title="Hidden Fest", unrevealed=True
    )
    work = make_work(writer, title="Secret Title")
    item_add(actor=writer, collection=c, work=work)
    for reader in (Client(), _client(make_user("someone"))):
        response = reader.get(f"/works/{work.pk}")
        page = response.content.decode()
        assert response.status_code == 404  # not available yet (nothing to index)
        assert "Mystery Work" in page
        assert "part of an ongoing challenge and will be revealed soon" in page
        assert "Secret" not in page and "mysterywriter" not in page
    for insider in (writer, mod):
        assert "Secret Title" in _client(insider).get(f"/works/{work.pk}").content.decode()
    page = Client().get("/collections/Hidden_Fest").content.decode()
    assert "Works (1)" in page and "Secret Title" not in page
    draft = make_work(writer, title="Draft Secret", draft=True)
    item_add(actor=writer, collection=c, work=draft)
    assert _client(make_user("other")).get(f"/works/{draft.pk}").status_code == 404
    assert Client().get("/works/999999").status_code == 404
