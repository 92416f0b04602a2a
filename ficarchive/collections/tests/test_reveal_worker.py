"""A collection's reveal date is honoured by the worker, with nobody running a command."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from ficarchive.collections.models import Collection
from ficarchive.collections.services import collection_create
from ficarchive.core.jobs import worker_run
from ficarchive.core.viewers import OPERATOR
from ficarchive.testing import make_user

pytestmark = pytest.mark.django_db


def test_worker_reveals_collections_whose_date_has_come():
    owner = make_user("revealowner")
    due = collection_create(actor=OPERATOR, owner=owner, name="Due", title="Due",
                            anonymous=True, unrevealed=True)  # fmt: skip
    later = collection_create(actor=OPERATOR, owner=owner, name="Later", title="Later",
                              anonymous=True, unrevealed=True)  # fmt: skip
    now = timezone.now()
    Collection.objects.filter(pk=due.pk).update(reveal_at=now - dt.timedelta(minutes=1))
    Collection.objects.filter(pk=later.pk).update(reveal_at=now + dt.timedelta(days=1))
    worker_run(until_idle=True)
    due.refresh_from_db()
    later.refresh_from_db()
    assert (due.anonymous, due.unrevealed) == (False, False)
    assert (later.anonymous, later.unrevealed) == (True, True)
