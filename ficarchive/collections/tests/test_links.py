"""Co-creator invitations (accept, decline, blocked by preference) and related works
(approved or hidden by the original's creator; never naming a work the reader cannot see)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from ficarchive.collections.models import CoCreatorInvitation, RelatedWork
from ficarchive.collections.services import (
    cocreator_invite,
    invitation_preference_set,
    invitation_respond,
    related_work_add,
    related_work_review,
)
from ficarchive.core.errors import PermissionDenied
from ficarchive.testing import make_user, make_work

pytestmark = pytest.mark.django_db


def test_invitation_accepted_credits_the_cocreator():
    author, friend = make_user("lead_writer"), make_user("second_writer")
    work = make_work(author, title="Joint Work")
    client = Client()
    client.force_login(author)
    client.post(f"/works/{work.pk}/links", {"action": "invite", "pseud": "second_writer"})
    invitation = CoCreatorInvitation.objects.get()
    with pytest.raises(PermissionDenied):
        invitation_respond(actor=author, invitation=invitation, accept=True)
    friend_client = Client()
    friend_client.force_login(friend)
    friend_client.post(
        "/users/second_writer/invitations", {"action": "invite_accept", "id": invitation.pk}
    )
    page = Client().get(f"/works/{work.pk}").content.decode()
    assert "lead_writer" in page and "second_writer" in page
    with pytest.raises(ValidationError, match="already a creator"):
        cocreator_invite(actor=author, work=work, pseud=friend.default_pseud())


def test_declined_and_blocked_invitations_change_nothing():
    author, shy, closed = make_user("inviter"), make_user("shy"), make_user("closed_door")
    work = make_work(author)
    inv = cocreator_invite(actor=author, work=work, pseud=shy.default_pseud())
    invitation_respond(actor=shy, invitation=inv, accept=False)
    with pytest.raises(ValidationError, match="already answered"):
        invitation_respond(actor=shy, invitation=inv, accept=True)
    invitation_preference_set(actor=closed, allow=False)
    with pytest.raises(ValidationError, match="does not accept co-creator invitations"):
        cocreator_invite(actor=author, work=work, pseud=closed.default_pseud())
    assert [c.pseud.user for c in work.creatorships.all()] == [author]
    assert CoCreatorInvitation.objects.count() == 1


def test_related_work_approved_or_hidden_by_original_creator():
    original_author, translator = make_user("original"), make_user("translator")
    original = make_work(original_author, title="The Original")
    translation = make_work(translator, title="La Traduction")
    link = related_work_add(
        actor=translator, work=translation, relation="translation_of", parent=original
    )
    assert link.status == "pending"
    guest = Client()
    assert "The Original" in guest.get(f"/works/{translation.pk}").content.decode()
    assert "La Traduction" not in guest.get(f"/works/{original.pk}").content.decode()
    with pytest.raises(PermissionDenied):
        related_work_review(actor=translator, link=link, approve=True)
    related_work_review(actor=original_author, link=link, approve=True)
    assert "La Traduction" in guest.get(f"/works/{original.pk}").content.decode()
    related_work_review(actor=original_author, link=link, approve=False)
    assert "La Traduction" not in guest.get(f"/works/{original.pk}").content.decode()
    with pytest.raises(ValidationError):
        related_work_add(
            actor=translator, work=translation, relation="remix_of", url="javascript:alert(1)"
        )
    assert RelatedWork.objects.count() == 1


def test_related_work_to_a_draft_is_not_named():
    """A source the reader cannot see (a draft) is never named on the derived work."""
    author = make_user("drafter")
    draft = make_work(author, title="Secret Draft Source", draft=True)
    derived = make_work(author, title="Derived")
    related_work_add(actor=author, work=derived, relation="inspired_by", parent=draft)
    assert "Secret Draft Source" not in Client().get(f"/works/{derived.pk}").content.decode()
