"""User pages answer any capitalisation of a name by redirecting to its spelling."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ficarchive.accounts.services import pseud_create
from ficarchive.testing import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def reader_cap(db):
    return make_user("Reader")


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("accounts:profile", []),
        ("accounts:pseuds", []),
        ("accounts:pseud", ["Reader"]),
        ("feedback:user_bookmarks", []),
    ],
)
def test_other_case_redirects_to_canonical(client, reader_cap, name, args):
    """/users/reader/... sends a permanent redirect to /users/Reader/..."""
    r = client.get(reverse(name, args=["reader", *args]))
    assert r.status_code == 301
    assert r["Location"] == reverse(name, args=["Reader", *args])
    assert client.get(r["Location"]).status_code == 200


def test_query_string_is_kept(client, reader_cap):
    """The page number survives the redirect."""
    r = client.get(reverse("accounts:profile", args=["READER"]) + "?page=2")
    assert r["Location"] == reverse("accounts:profile", args=["Reader"]) + "?page=2"


def test_unknown_user_is_404(client, reader_cap):
    """No account in any case: 404, no redirect."""
    assert client.get(reverse("accounts:profile", args=["nobody"])).status_code == 404


def test_missing_pseud_of_canonical_user_is_404(client, reader_cap):
    """A right-cased user with a pseud that does not exist is a plain 404 (no redirect loop)."""
    assert client.get(reverse("accounts:pseud", args=["Reader", "Nope"])).status_code == 404


def test_pseud_page_redirect_keeps_pseud(client, reader_cap):
    """A pseud page under the wrong case of the user name redirects to the same pseud."""
    pseud_create(actor=reader_cap, user=reader_cap, name="Night Owl")
    r = client.get(reverse("accounts:pseud", args=["reader", "Night Owl"]))
    assert r.status_code == 301 and r["Location"] == reverse(
        "accounts:pseud", args=["Reader", "Night Owl"]
    )


def test_inactive_user_is_not_redirected(client, reader_cap):
    """A deactivated account is not found in any case."""
    reader_cap.is_active = False
    reader_cap.save(update_fields=["is_active"])
    assert client.get(reverse("accounts:profile", args=["reader"])).status_code == 404
