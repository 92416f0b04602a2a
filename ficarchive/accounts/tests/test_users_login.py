"""AO3's log-in address ``/users/login`` (new-user trial: it answered 404, taken for the
profile of a user named "login") leads to the log-in page, keeping ``?next=``; and no one
may sign up as "login", whose profile that address could never show."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ficarchive.accounts.models import User
from ficarchive.testing import PASSWORD, make_user

pytestmark = pytest.mark.django_db
GOOD = "a long passphrase 42"


def test_users_login_redirects_to_the_login_page(client):
    response = client.get("/users/login")
    assert response.status_code == 301
    assert response["Location"] == reverse("accounts:login")
    assert client.get("/users/login", follow=True).status_code == 200


def test_users_login_keeps_next_and_signing_in_goes_there(client):
    """The redirect keeps ``?next=``, and the log-in form then sends the reader there."""
    user = make_user("nextreader")
    response = client.get("/users/login?next=/works%3Fsort%3Dtitle")
    assert response["Location"] == reverse("accounts:login") + "?next=/works%3Fsort%3Dtitle"
    page = client.get(response["Location"])
    assert page.status_code == 200 and 'value="/works?sort=title"' in page.content.decode()
    done = client.post(
        response["Location"],
        {"username": user.username, "password": PASSWORD, "next": "/works?sort=title"},
    )
    assert done.status_code == 302 and done["Location"] == "/works?sort=title"


def test_other_profiles_still_answer(client):
    """Only "login" is taken: a user's profile under /users/NAME is unchanged."""
    make_user("loginfan")
    assert client.get("/users/loginfan").status_code == 200


@pytest.mark.parametrize("name", ["login", "Login", "LOGIN"])
def test_signup_refuses_login_as_a_user_name(client, name):
    response = client.post(
        reverse("site:signup"),
        {"username": name, "email": "x@example.org", "password1": GOOD, "password2": GOOD},
    )
    assert response.status_code == 200 and "is reserved" in response.content.decode()
    assert not User.objects.filter(username__iexact=name).exists()
