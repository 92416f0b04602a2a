"""Account pages: sign-up, log in and out, passwords, profile, pseuds, preferences."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from ficarchive.accounts.models import User
from ficarchive.tags.vocabulary import Rating
from ficarchive.testing import PASSWORD, make_user, make_work

pytestmark = pytest.mark.django_db

GOOD = "quiet-river-lantern-88"


def test_signup_creates_logged_in_account(client):
    """Sign-up with matching passwords creates the account and its pseud, and logs in."""
    r = client.post(
        reverse("site:signup"),
        {"username": "new_writer", "email": "nw@example.org", "password1": GOOD, "password2": GOOD},
    )
    assert r.status_code == 302
    user = User.objects.get(username="new_writer")
    assert user.email == "nw@example.org" and user.pseuds.get().is_default
    assert client.get(reverse("core:home")).context["user"] == user


@pytest.mark.parametrize(
    ("data", "error"),
    [
        (
            {"username": "x", "email": "a@example.org", "password1": GOOD, "password2": GOOD},
            "3 to 40",
        ),
        (
            {
                "username": "okname",
                "email": "a@example.org",
                "password1": GOOD,
                "password2": GOOD + "x",
            },
            "do not match",
        ),
        (
            {
                "username": "okname",
                "email": "a@example.org",
                "password1": "12345678",
                "password2": "12345678",
            },
            "too common",
        ),
        ({"username": "okname", "email": "", "password1": GOOD, "password2": GOOD}, "required"),
        (
            {"username": "Reader", "email": "a@example.org", "password1": GOOD, "password2": GOOD},
            "already taken",
        ),
    ],
)
def test_signup_errors(client, user, data, error):
    """Sign-up explains what is wrong and creates nothing."""
    before = User.objects.count()
    r = client.post(reverse("site:signup"), data)
    assert r.status_code == 200 and error in r.content.decode()
    assert User.objects.count() == before


def test_login_and_logout(client, user):
    """Logging in takes name and password; logging out is a POST."""
    r = client.post(reverse("accounts:login"), {"username": "reader", "password": PASSWORD})
    assert r.status_code == 302
    assert client.get(reverse("core:home")).context["user"].is_authenticated
    assert client.get(reverse("accounts:logout")).status_code == 405
    client.post(reverse("accounts:logout"))
    assert not client.get(reverse("core:home")).context["user"].is_authenticated


def test_password_change(client, user):
    """A logged-in user changes their password with the old one."""
    client.force_login(user)
    r = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": GOOD, "new_password2": GOOD},
    )
    assert r.status_code == 302
    user.refresh_from_db()
    assert user.check_password(GOOD)


def test_password_reset_email_and_link(client, user, settings):
    """A reset sends an email naming the site with a link that sets a new password."""
    settings.SITE_NAME = "Fic Test Archive"
    r = client.post(reverse("accounts:password_reset"), {"email": "reader@example.org"})
    assert r.status_code == 302 and len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["reader@example.org"]
    assert "Fic Test Archive" in message.subject and "Fic Test Archive" in message.body
    assert "reader" in message.body
    link = re.search(r"https?://[^/\s]+(/password/reset/\S+)", message.body).group(1)
    r = client.get(link, follow=True)
    assert r.status_code == 200 and r.context["validlink"]
    r = client.post(r.redirect_chain[-1][0], {"new_password1": GOOD, "new_password2": GOOD})
    assert r.status_code == 302
    user.refresh_from_db()
    assert user.check_password(GOOD)
    assert client.get(link, follow=True).context["validlink"] is False  # used once


def test_password_reset_unknown_email_sends_nothing(client, user):
    """An unknown address gets the same answer and no email (no account leak)."""
    r = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.org"})
    assert r.status_code == 302 and mail.outbox == []


def test_profile_hides_anonymous_works_from_others(client, author):
    """The profile lists the user's works; anonymous ones only for the user."""
    make_work(author, title="Signed Work")
    make_work(author, title="Secret Work", anonymous=True)
    page = client.get(reverse("accounts:profile", args=["author"])).content.decode()
    assert "Signed Work" in page and "Secret Work" not in page
    client.force_login(author)
    assert (
        "Secret Work" in client.get(reverse("accounts:profile", args=["author"])).content.decode()
    )
    assert client.get(reverse("accounts:profile", args=["nobody_here"])).status_code == 404


def test_pseud_page_lists_its_works(client, author):
    """/users/NAME/pseuds/PSEUD lists that pseud's works only."""
    from ficarchive.accounts.services import pseud_create
    from ficarchive.works.services import ChapterInput, WorkMeta, work_create

    side = pseud_create(actor=author, user=author, name="Side Name")
    work_create(
        actor=author,
        pseuds=[side],
        meta=WorkMeta(
            title="Under Side",
            rating=Rating.GENERAL,
            warnings=["No Archive Warnings Apply"],
            fandoms=["F"],
        ),
        chapters=[ChapterInput(body="Text.")],
    )
    make_work(author, title="Under Main")
    page = client.get(side.get_absolute_url()).content.decode()
    assert "Under Side" in page and "Under Main" not in page and "Side Name (author)" in page
    assert client.get("/users/author/pseuds/Nope").status_code == 404


def test_pseud_pages_manage(client, user):
    """The owner creates, edits and deletes pseuds through the pages; others get 404."""
    client.force_login(user)
    r = client.post(
        reverse("accounts:pseud_new", args=["reader"]), {"name": "Moth", "description": "Night"}
    )
    assert r.status_code == 302 and user.pseuds.filter(name="Moth").exists()
    r = client.post(
        reverse("accounts:pseud_edit", args=["reader", "Moth"]),
        {"name": "Moth Two", "is_default": "on"},
    )
    assert r.status_code == 302 and user.default_pseud().name == "Moth Two"
    client.post(reverse("accounts:pseud_delete", args=["reader", "reader"]))
    assert list(user.pseuds.values_list("name", flat=True)) == ["Moth Two"]
    listing = client.get(reverse("accounts:pseuds", args=["reader"])).content.decode()
    assert "Moth Two" in listing and "(Default)" in listing
    other = Client()
    other.force_login(make_user("other"))
    assert other.get(reverse("accounts:pseud_new", args=["reader"])).status_code == 404
    assert (
        other.post(
            reverse("accounts:pseud_edit", args=["reader", "Moth Two"]), {"name": "X"}
        ).status_code
        == 404
    )
    assert (
        other.get(reverse("accounts:pseud_delete", args=["reader", "Moth Two"])).status_code == 405
    )


def test_preferences_page(client, user):
    """Preferences are the owner's page; saving them changes how works are shown."""
    url = reverse("accounts:preferences", args=["reader"])
    assert client.get(url).status_code == 302  # guest: log in first
    other = Client()
    other.force_login(make_user("other"))
    assert other.get(url).status_code == 404
    client.force_login(user)
    page = client.get(url).content.decode()
    assert "Show me adult content without checking" in page
    client.post(url, {"view_adult": "on", "hide_warnings": "on"})
    user.refresh_from_db()
    assert user.view_adult and user.hide_warnings and not user.hide_freeform


def test_view_adult_preference_skips_notice(client, author, user):
    """With view_adult set, an Explicit work opens without the adult notice."""
    work = make_work(author, rating=Rating.EXPLICIT, chapters=["Grown-up words here."])
    client.force_login(user)
    assert b"Grown-up words here." not in client.get(work.get_absolute_url()).content
    client.post(reverse("accounts:preferences", args=["reader"]), {"view_adult": "on"})
    assert b"Grown-up words here." in client.get(work.get_absolute_url()).content
