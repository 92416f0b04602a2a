"""Terms of service: accepted at sign-up when the archive has them, and again (a prompt
on the next page) when a new major version is published."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ficarchive.accounts.models import User
from ficarchive.core.viewers import OPERATOR
from ficarchive.site import pages
from ficarchive.testing import make_user

pytestmark = pytest.mark.django_db
GOOD = "quiet-river-lantern-88"


def test_signup_requires_accepting_the_terms_once_written(client):
    pages.page_save(actor=OPERATOR, slug="tos", title="Terms", body="<p>Rules.</p>")
    data = {"username": "n", "email": "n@example.org", "password1": GOOD, "password2": GOOD}
    data["username"] = "newbie"
    r = client.post(reverse("site:signup"), data)
    assert "accept the Terms of Service" in r.content.decode()
    assert not User.objects.filter(username="newbie").exists()
    client.post(reverse("site:signup"), {**data, "tos": "on"})
    assert User.objects.get(username="newbie").tos_version == 1


def test_changed_terms_prompt_on_next_visit_until_accepted(client):
    """A major change sends a signed-in user to /tos/accept; a minor one does not."""
    pages.page_save(actor=OPERATOR, slug="tos", title="Terms", body="<p>v1</p>")
    user = make_user("old_member")
    client.force_login(user)
    r = client.get("/works")
    assert r.status_code == 302 and r["Location"].startswith("/tos/accept?next=/works")
    r = client.post("/tos/accept", {"accept": "1", "next": "/works"})
    assert r.status_code == 302 and r["Location"] == "/works"
    assert client.get("/works").status_code == 200
    pages.page_save(actor=OPERATOR, slug="tos", title="Terms", body="<p>v1.</p>", major=False)
    assert client.get("/works").status_code == 200
    pages.page_save(actor=OPERATOR, slug="tos", title="Terms", body="<p>v3</p>")
    assert client.get("/works").status_code == 302
    assert client.get("/api/v1/works").status_code == 200  # the API is never redirected
