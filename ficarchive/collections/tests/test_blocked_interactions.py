"""A user someone blocked cannot reach them (AO3: blocking refuses the blocked user's
interactions): besides comments, kudos, gifts and co-creator invitations, no related-work
link to the blocker's work (it would ask them to approve it, and tell them) and no
invitation of the blocker's work into the blocked user's collection (red-team round)."""

from __future__ import annotations

import pytest

from ficarchive.collections.models import CollectionItem, RelatedWork
from ficarchive.collections.services import collection_create, item_add, related_work_add
from ficarchive.core.errors import PermissionDenied
from ficarchive.moderation.services import block_add
from ficarchive.notify.models import Notification
from ficarchive.testing import make_user, make_work

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair():
    blocker, blocked = make_user("blocker"), make_user("blocked")
    block_add(actor=blocker, username="blocked")
    return blocker, blocked


def test_blocked_user_cannot_link_a_work_to_the_blockers(pair):
    blocker, blocked = pair
    original = make_work(blocker, title="Original")
    remix = make_work(blocked, title="Remix")
    told = Notification.objects.filter(user=blocker).count()
    with pytest.raises(PermissionDenied):
        related_work_add(actor=blocked, work=remix, relation="remix_of", parent=original)
    assert not RelatedWork.objects.exists()
    assert Notification.objects.filter(user=blocker).count() == told
    # A link to a work of someone who did not block them is made as before.
    other = make_work(make_user("carol"), title="Other")
    related_work_add(actor=blocked, work=remix, relation="remix_of", parent=other)
    assert RelatedWork.objects.count() == 1


def test_blocked_maintainer_cannot_invite_the_blockers_work(pair):
    blocker, blocked = pair
    box = collection_create(actor=blocked, owner=blocked, name="Box", title="Box")
    work = make_work(blocker, title="Original")
    with pytest.raises(PermissionDenied):
        item_add(actor=blocked, collection=box, work=work)
    assert not CollectionItem.objects.exists()
    # The blocker may still add their own work to a collection the blocked user runs.
    item_add(actor=blocker, collection=box, work=work)
    assert CollectionItem.objects.count() == 1
