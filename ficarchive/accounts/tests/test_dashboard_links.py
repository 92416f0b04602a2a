"""The dashboard links to a user's Gifts (for everyone, as AO3's) and, for its owner, to
the co-creator and collection invitations page (hsocial: neither page was linked from
anywhere, so an invited co-creator could not find where to accept)."""

from __future__ import annotations

import pytest
from django.test import Client

from ficarchive.testing import make_user

pytestmark = pytest.mark.django_db


def test_owner_sees_gifts_and_invitations_links():
    owner = make_user("dash_owner")
    client = Client()
    client.force_login(owner)
    page = client.get("/users/dash_owner").content.decode()
    assert 'href="/users/dash_owner/gifts"' in page
    assert 'href="/users/dash_owner/invitations"' in page


def test_others_see_gifts_only():
    make_user("dash_other")
    page = Client().get("/users/dash_other").content.decode()
    assert 'href="/users/dash_other/gifts"' in page
    assert 'href="/users/dash_other/invitations"' not in page


def test_links_are_translated():
    owner = make_user("dash_ar")
    client = Client(HTTP_ACCEPT_LANGUAGE="ar")
    client.force_login(owner)
    page = client.get("/users/dash_ar").content.decode()
    assert ">الهدايا</a>" in page and ">دعوات الأعمال</a>" in page
