"""A blocked user cannot edit the comments they left on the blocker's works before the
block (AO3: blocking stops every interaction with the blocker's works, old comments'
edits included); deleting them stays open, as does editing comments elsewhere
(red-team round)."""

from __future__ import annotations

import pytest
from django.test import Client

from ficarchive.core.errors import PermissionDenied
from ficarchive.feedback import services as feedback
from ficarchive.feedback.models import Comment
from ficarchive.moderation import services
from ficarchive.testing import make_user, make_work

pytestmark = pytest.mark.django_db


def test_blocked_user_cannot_edit_an_old_comment_on_the_blockers_work():
    blocker, blocked = make_user("blocker"), make_user("blocked")
    mine = make_work(blocker, title="Blocker's Work")
    elsewhere = make_work(make_user("carol"), title="Carol's Work")
    old = feedback.comment_create(actor=blocked, work=mine, body="Before the block.")
    other = feedback.comment_create(actor=blocked, work=elsewhere, body="Elsewhere.")
    services.block_add(actor=blocker, username="blocked")
    with pytest.raises(PermissionDenied):
        feedback.comment_edit(actor=blocked, comment=old, body="Edited after the block.")
    assert Comment.objects.get(pk=old.pk).body.count("Before the block.") == 1
    client = Client()
    client.force_login(blocked)
    client.post(f"/comments/{old.pk}/edit", {"body": "Edited through the page."})
    assert "Edited" not in Comment.objects.get(pk=old.pk).body
    feedback.comment_edit(actor=blocked, comment=other, body="Still editable elsewhere.")
    assert "Still editable" in Comment.objects.get(pk=other.pk).body
    feedback.comment_delete(actor=blocked, comment=old)  # deleting one's words stays open
