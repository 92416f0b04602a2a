"""A gift exchange never assigns a giver to a recipient across a block, either way, nor
lets a blocked user pinch hit for their blocker (hsocial: the matcher paired them, and the
giver learnt of the block only when the gift was refused with "this user has blocked you")."""

from __future__ import annotations

import pytest
from django.test import Client

from ficarchive.collections.models import Assignment, PotentialMatch
from ficarchive.collections.services import (
    assignment_default,
    assignment_regenerate,
    challenge_match,
    collection_create,
    pinch_hit_claim,
    signups_import,
)
from ficarchive.core.errors import PermissionDenied
from ficarchive.core.viewers import OPERATOR
from ficarchive.moderation.services import block_add
from ficarchive.testing import make_user

pytestmark = pytest.mark.django_db


def _exchange(names):
    c = collection_create(actor=OPERATOR, owner=make_user("blk_mod"), name="Blk_Ex",
                          title="Blk Ex", challenge="gift_exchange")  # fmt: skip
    users = {n: make_user(n) for n in names}
    signups_import(collection=c, rows=[
        {"user": n, "requests": [{"fandoms": ["Bf"]}], "offers": [{"fandoms": ["Bf"]}]}
        for n in names
    ])  # fmt: skip
    return c, users


def _pairs(model):
    return {
        (row.giver.pseud.user.username, row.recipient.pseud.user.username)
        for row in model.objects.select_related("giver__pseud__user", "recipient__pseud__user")
        if row.giver_id
    }


def test_matching_leaves_out_pairs_across_a_block():
    c, users = _exchange(["blocker", "blocked", "third"])
    block_add(actor=users["blocker"], username="blocked")
    result = challenge_match(actor=OPERATOR, collection=c)
    forbidden = {("blocked", "blocker"), ("blocker", "blocked")}
    assert not _pairs(PotentialMatch) & forbidden
    assert not _pairs(Assignment) & forbidden
    assert _pairs(PotentialMatch)  # the others still match
    assert result["signups"] == 3
    signup = c.challenge.signups.get(pseud__user=users["blocked"])
    assignment_regenerate(actor=OPERATOR, signup=signup)
    assert not _pairs(Assignment) & forbidden


def test_a_blocked_user_cannot_pinch_hit_for_the_blocker():
    c, users = _exchange(["pblocker", "pblocked", "pthird"])
    challenge_match(actor=OPERATOR, collection=c)
    block_add(actor=users["pblocker"], username="pblocked")
    recipient = c.challenge.signups.get(pseud__user=users["pblocker"])
    giver = Assignment.objects.get(recipient=recipient)
    assignment_default(actor=OPERATOR, assignment=giver)
    with pytest.raises(PermissionDenied):
        pinch_hit_claim(
            actor=users["pblocked"], recipient=recipient, pseud=users["pblocked"].default_pseud()
        )


def test_a_giver_who_defaulted_is_told_they_have_no_assignment():
    """After defaulting, the giver's assignments page says so rather than showing nothing."""
    c, users = _exchange(["dgiver", "drecipient"])
    challenge_match(actor=OPERATOR, collection=c)
    mine = Assignment.objects.get(giver__pseud__user=users["dgiver"])
    client = Client()
    client.force_login(users["dgiver"])
    page = client.get("/collections/Blk_Ex/assignments").content.decode()
    assert "You have no assignment in this exchange." not in page
    assignment_default(actor=users["dgiver"], assignment=mine)
    page = client.get("/collections/Blk_Ex/assignments").content.decode()
    assert "You have no assignment in this exchange." in page
