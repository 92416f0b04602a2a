"""A user someone has blocked can neither gift them a work nor invite them as a co-creator
(AO3's blocking; the rule lives in moderation, collections asks it through its guard)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied

from ficarchive.collections.models import CoCreatorInvitation, Gift
from ficarchive.collections.services.gifts import gift_add
from ficarchive.collections.services.links import cocreator_invite
from ficarchive.core.errors import PermissionDenied
from ficarchive.moderation.services import block_add
from ficarchive.testing import make_user, make_work

pytestmark = pytest.mark.django_db


def test_blocked_user_cannot_gift_or_invite_the_blocker():
    blocker, blocked, other = make_user("blocker"), make_user("blockedone"), make_user("other")
    block_add(actor=blocker, username="blockedone")
    work = make_work(blocked, title="Unwanted")
    with pytest.raises((PermissionDenied, DjangoPermissionDenied), match="blocked you"):
        gift_add(actor=blocked, work=work, name="blocker")
    with pytest.raises((PermissionDenied, DjangoPermissionDenied), match="blocked you"):
        cocreator_invite(actor=blocked, work=work, pseud=blocker.pseuds.get())
    assert not Gift.objects.filter(work=work).exists()
    assert not CoCreatorInvitation.objects.filter(work=work).exists()
    # Anyone else still can: the block is between these two accounts only.
    gift_add(actor=blocked, work=work, name="other")
    cocreator_invite(actor=blocked, work=work, pseud=other.pseuds.get())
    assert Gift.objects.filter(work=work).count() == 1
