"""The reader actions under a work: what a reader is offered on someone else's work and on
their own."""

from __future__ import annotations

import pytest
from django.test import Client

from ficarchive.testing import make_work

pytestmark = pytest.mark.django_db


def _page(viewer, work) -> str:
    client = Client()
    client.force_login(viewer)
    response = client.get(f"/works/{work.pk}?view_adult=true")
    assert response.status_code == 200
    return response.content.decode()


def test_mute_this_work_is_offered_to_readers_but_not_to_its_creator(user, author):
    """Muting your own work would only hide it from your own listings: AO3 offers no such
    button to a work's creators, and neither do we. Mark for Later stays for both."""
    work = make_work(author)
    assert "Mute This Work" in _page(user, work)
    own = _page(author, work)
    assert "Mute This Work" not in own
    assert "Mark for Later" in own
