"""Collection mails carry absolute addresses a mail client can open: the assignment mail
links to the exchange's assignments page, the co-creator invitation and the related-work
notice to the invitations page where they are answered (hsocial: the assignment mail said
"See /collections/NAME/assignments", the invitation named no page at all)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core import mail

from ficarchive.collections.services import (
    assignments_send,
    challenge_match,
    cocreator_invite,
    collection_create,
    related_work_add,
    signups_import,
)
from ficarchive.core.viewers import OPERATOR
from ficarchive.testing import make_user, make_work

pytestmark = pytest.mark.django_db(transaction=True)  # mail goes out on commit


def test_assignment_mail_links_to_the_assignments_page_absolutely():
    """The giver's mail names the full address of the exchange's assignments page."""
    c = collection_create(actor=OPERATOR, owner=make_user("xmod"), name="Abs_Ex",
                          title="Abs Ex", challenge="gift_exchange")  # fmt: skip
    make_user("giver_a"), make_user("giver_b")
    signups_import(collection=c, rows=[
        {"user": u, "requests": [{"fandoms": ["Af"]}], "offers": [{"fandoms": ["Af"]}]}
        for u in ("giver_a", "giver_b")
    ])  # fmt: skip
    challenge_match(actor=OPERATOR, collection=c)
    mail.outbox.clear()
    assert assignments_send(actor=OPERATOR, collection=c) == 2
    for sent in mail.outbox:
        assert f"{settings.SITE_URL}/collections/Abs_Ex/assignments" in sent.body
        assert "See /collections" not in sent.body


def test_cocreator_invitation_mail_says_where_to_answer():
    """The invitee's mail links to the work and to their invitations page."""
    author, friend = make_user("mail_lead"), make_user("mail_friend")
    work = make_work(author, title="Joint Mail Work")
    mail.outbox.clear()
    cocreator_invite(actor=author, work=work, pseud=friend.default_pseud())
    [sent] = mail.outbox
    assert sent.to == [friend.email]
    assert f"{settings.SITE_URL}/users/mail_friend/invitations" in sent.body
    assert f"{settings.SITE_URL}/works/{work.pk}" in sent.body


def test_related_work_mail_links_each_owner_to_their_invitations_page():
    """Each creator of the original gets a mail naming their own page to approve the link."""
    one, two, fan = make_user("orig_one"), make_user("orig_two"), make_user("remixer")
    original = make_work(one, title="Original Mail Work")
    from ficarchive.works.services import work_creators_set

    work_creators_set(actor=one, work=original, pseuds=[one.default_pseud(), two.default_pseud()])
    remix = make_work(fan, title="Remix Mail Work")
    mail.outbox.clear()
    related_work_add(actor=fan, work=remix, relation="remix_of", parent=original)
    bodies = {m.to[0]: m.body for m in mail.outbox}
    assert set(bodies) == {one.email, two.email}
    assert f"{settings.SITE_URL}/users/orig_one/invitations" in bodies[one.email]
    assert f"{settings.SITE_URL}/users/orig_two/invitations" in bodies[two.email]
