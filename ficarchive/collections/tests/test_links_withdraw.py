"""/works/ID/links lists the work's pending co-creator invitations to its creators, each
with a Withdraw button; withdrawing deletes the invitation (the invitee can no longer
accept it, and the pseud may be invited again). Answered invitations are not listed."""

from __future__ import annotations

import lxml.html
import pytest
from django.urls import reverse

from ficarchive.collections import services
from ficarchive.collections.models import CoCreatorInvitation
from ficarchive.testing import make_user, make_work

pytestmark = pytest.mark.django_db


def test_creator_sees_and_withdraws_a_pending_invitation(client, author, user, work):
    invitation = services.cocreator_invite(actor=author, work=work, pseud=user.default_pseud())
    url = reverse("collections:work_links", args=[work.pk])
    client.force_login(author)
    page = lxml.html.fromstring(client.get(url).content)
    pending = page.xpath('//ul[@class="pending-invitations"]/li')
    assert len(pending) == 1 and "reader" in pending[0].text_content()
    assert pending[0].xpath('.//form//button[@name="action"][@value="withdraw"]')
    assert pending[0].xpath('.//input[@name="id"]/@value') == [str(invitation.pk)]
    r = client.post(url, {"action": "withdraw", "id": invitation.pk})
    assert r.status_code == 302
    assert not CoCreatorInvitation.objects.filter(pk=invitation.pk).exists()
    # The pseud may be invited again.
    services.cocreator_invite(actor=author, work=work, pseud=user.default_pseud())


def test_withdraw_refuses_another_works_invitation_and_answered_ones(client, author, user, work):
    other_author = make_user("other")
    other = make_work(other_author, title="Other")
    theirs = services.cocreator_invite(actor=other_author, work=other, pseud=user.default_pseud())
    client.force_login(author)
    url = reverse("collections:work_links", args=[work.pk])
    client.post(url, {"action": "withdraw", "id": theirs.pk})
    assert CoCreatorInvitation.objects.filter(pk=theirs.pk).exists()
    mine = services.cocreator_invite(actor=author, work=work, pseud=user.default_pseud())
    services.invitation_respond(actor=user, invitation=mine, accept=False)
    page = lxml.html.fromstring(client.get(url).content)
    assert not page.xpath('//ul[@class="pending-invitations"]/li')
    client.post(url, {"action": "withdraw", "id": mine.pk})
    assert CoCreatorInvitation.objects.filter(pk=mine.pk, status="declined").exists()
