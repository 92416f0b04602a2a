"""A gift in an unrevealed collection is told to its recipient at the reveal, once, as on
AO3 (not before, when the recipient may not see it, and not lost after)."""

from __future__ import annotations

import pytest
from django.core import mail as outbox

from ficarchive.collections.services import collection_create, collection_reveal, gift_add, item_add
from ficarchive.core.viewers import OPERATOR
from ficarchive.notify.models import Notification
from ficarchive.testing import make_user, make_work

pytestmark = pytest.mark.django_db


def test_unrevealed_gift_is_mailed_at_the_reveal_once(drain):
    owner = make_user("giftrevealmod")
    giver = make_user("giftrevealgiver")
    friend = make_user("giftrevealfriend")
    secret = collection_create(
        actor=OPERATOR, owner=owner, name="Secret_Swap", title="Secret Swap",
        anonymous=True, unrevealed=True,
    )  # fmt: skip
    work = make_work(giver, title="Wrapped Present")
    item_add(actor=giver, collection=secret, work=work)
    gift_add(actor=giver, work=work, name=friend.username)
    drain()
    assert [m for m in outbox.outbox if friend.email in m.to] == []
    assert not Notification.objects.filter(user=friend, kind="gift").exists()
    collection_reveal(actor=owner, collection=secret)
    drain()
    mails = [m for m in outbox.outbox if friend.email in m.to]
    assert len(mails) == 1 and "Wrapped Present" in mails[0].subject
    assert Notification.objects.filter(user=friend, kind="gift").count() == 1
    drain()
    assert len([m for m in outbox.outbox if friend.email in m.to]) == 1


def test_a_revealed_gift_is_mailed_at_once(drain):
    giver = make_user("giftnowgiver")
    friend = make_user("giftnowfriend")
    work = make_work(giver, title="Open Present")
    gift_add(actor=giver, work=work, name=friend.username)
    drain()
    assert [m.subject for m in outbox.outbox if friend.email in m.to] == [
        "[Ficarchive] giftnowgiver gave you a gift: Open Present"
    ]


def test_creator_subscribers_hear_of_a_work_at_its_reveal(user, drain):
    """A work posted into an anonymous, unrevealed collection: its creator's subscribers
    hear nothing at posting, one mail at the reveal, and nothing more after."""
    from ficarchive.notify.models import Subscription

    owner = make_user("subrevealmod")
    writer = make_user("subrevealwriter")
    Subscription.objects.create(user=user, kind="user", creator=writer)
    secret = collection_create(
        actor=OPERATOR, owner=owner, name="Sub_Swap", title="Sub Swap",
        anonymous=True, unrevealed=True,
    )  # fmt: skip
    work = make_work(writer, title="Hidden Until Reveal")
    item_add(actor=writer, collection=secret, work=work)
    drain()
    outbox.outbox.clear()
    collection_reveal(actor=owner, collection=secret)
    drain()
    assert [m.subject for m in outbox.outbox if user.email in m.to] == [
        "[Ficarchive] subrevealwriter posted a new work: Hidden Until Reveal"
    ]
    drain()
    assert len([m for m in outbox.outbox if user.email in m.to]) == 1
