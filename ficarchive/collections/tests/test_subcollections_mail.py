"""Sub-collections list in their parent; gifts are announced through the notifications
app (inbox and mail, on the job queue) and sent assignments are mailed."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.test import Client

from ficarchive.collections.services import (
    assignments_send,
    challenge_match,
    collection_create,
    gift_add,
    item_add,
    signups_import,
)
from ficarchive.core.jobs import jobs_run_pending
from ficarchive.core.viewers import OPERATOR
from ficarchive.testing import make_user, make_work

pytestmark = pytest.mark.django_db(transaction=True)  # mail goes out on commit


def test_parent_lists_sub_collection_works():
    owner = make_user("parentowner")
    parent = collection_create(actor=OPERATOR, owner=owner, name="Parent", title="Parent")
    child = collection_create(actor=owner, owner=owner, name="Child", title="Child", parent=parent)
    with pytest.raises(PermissionDenied):
        collection_create(actor=make_user("stranger"), owner=owner, name="Intruder",
                          title="Intruder", parent=parent)  # fmt: skip
    writer = make_user("childwriter")
    item_add(actor=writer, collection=child, work=make_work(writer, title="In The Child"))
    assert "In The Child" in Client().get("/collections/Parent/works").content.decode()
    assert "Child" in Client().get("/collections/Parent").content.decode()


def test_gift_and_assignment_mail():
    giver, friend = make_user("mailgiver"), make_user("mailfriend")
    gift_add(actor=giver, work=make_work(giver), name="mailfriend")
    assert mail.outbox == []  # the gift's mail waits for the worker
    jobs_run_pending()
    assert [m.to for m in mail.outbox] == [[friend.email]]
    owner = make_user("mailmod")
    c = collection_create(actor=OPERATOR, owner=owner, name="Mail_Ex", title="Mail Ex",
                          challenge="gift_exchange")  # fmt: skip
    make_user("m1")
    make_user("m2")
    signups_import(collection=c, rows=[
        {"user": "m1", "requests": [{"fandoms": ["Mf"]}], "offers": [{"fandoms": ["Mf"]}]},
        {"user": "m2", "requests": [{"fandoms": ["Mf"]}], "offers": [{"fandoms": ["Mf"]}]},
    ])  # fmt: skip
    challenge_match(actor=OPERATOR, collection=c)
    mail.outbox.clear()
    assert assignments_send(actor=OPERATOR, collection=c) == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["m1@example.org", "m2@example.org"]
    assert all("Your assignment" in m.subject for m in mail.outbox)
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="already sent"):
        assignments_send(actor=OPERATOR, collection=c)
