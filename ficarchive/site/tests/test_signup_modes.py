"""Sign-up under each mode, as a new member meets it: confirmation by email, invitations,
the invite queue, banned addresses, and links that are expired or used already."""

from __future__ import annotations

import io
import re
import time

import pytest
from django.core import mail, signing
from django.core.management import call_command
from django.urls import reverse

from ficarchive.accounts.models import User
from ficarchive.core.jobs import jobs_run_pending
from ficarchive.core.viewers import OPERATOR
from ficarchive.moderation.services import banned_address_add
from ficarchive.site import services
from ficarchive.site.models import Invitation, SignupMode
from ficarchive.testing import make_user

pytestmark = pytest.mark.django_db(transaction=False)

GOOD = "quiet-river-lantern-88"


def form(username: str = "newbie", email: str = "newbie@example.org", **extra: str) -> dict:
    return {"username": username, "email": email, "password1": GOOD, "password2": GOOD, **extra}


def set_mode(mode: str) -> None:
    services.signup_mode_set(actor=OPERATOR, mode=mode)


def link_in(message) -> str:
    return re.search(r"https?://\S+", message.body).group(0)


def path_of(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


def test_confirm_mode_reads_at_once_posts_once_confirmed(client):
    """In the default mode the new account is logged in and may read, but posting waits
    for the emailed link; opening it lets the account post."""
    r = client.post(reverse("site:signup"), form())
    assert r.status_code == 302
    jobs_run_pending()
    user = User.objects.get(username="newbie")
    assert not user.email_confirmed
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["newbie@example.org"]
    assert client.get("/works").status_code == 200
    refused = client.post(reverse("works:new"), {})
    assert refused.status_code == 403 and "confirm your email" in refused.content.decode()
    ok = client.get(path_of(link_in(mail.outbox[0])))
    assert ok.status_code == 200 and "is confirmed" in ok.content.decode()
    user.refresh_from_db()
    assert user.email_confirmed
    assert client.post(reverse("works:new"), {}).status_code == 400  # the form's own errors


def test_confirmation_link_used_twice_or_expired_or_damaged(client, monkeypatch):
    """A used, expired or damaged link: a clear message (400) and nothing changes."""
    user = make_user("late")
    user.email_confirmed = False
    user.save(update_fields=["email_confirmed"])
    token = services.confirmation_token(user)
    assert client.get(f"/confirm/{token}").status_code == 200
    again = client.get(f"/confirm/{token}")
    assert again.status_code == 400 and "already confirmed" in again.content.decode()
    damaged = client.get(f"/confirm/{token[:-3]}abc")
    assert damaged.status_code == 400 and "not valid" in damaged.content.decode()
    other = make_user("later")
    other.email_confirmed = False
    other.save(update_fields=["email_confirmed"])
    real_time = time.time
    monkeypatch.setattr(signing.time, "time", lambda: real_time() - 60 * 86400)
    old = services.confirmation_token(other)
    monkeypatch.setattr(signing.time, "time", real_time)
    expired = client.get(f"/confirm/{old}")
    assert expired.status_code == 400 and "expired" in expired.content.decode()
    other.refresh_from_db()
    assert not other.email_confirmed


def test_open_mode_needs_no_confirmation(client):
    set_mode(SignupMode.OPEN)
    client.post(reverse("site:signup"), form())
    assert User.objects.get(username="newbie").email_confirmed
    assert not mail.outbox


@pytest.mark.parametrize("mode", [SignupMode.INVITE, SignupMode.QUEUE])
def test_invitation_modes_refuse_missing_unknown_used_and_expired_codes(client, mode):
    """Without a valid code nothing is created, and the form says why."""
    set_mode(mode)
    r = client.post(reverse("site:signup"), form())
    assert "needs an invitation code" in r.content.decode()
    r = client.post(reverse("site:signup"), form(invitation="NOPE"))
    assert "not one we gave out" in r.content.decode()
    (used,) = services.invitations_create(actor=OPERATOR)
    used.used_by = make_user("first")
    used.save()
    r = client.post(reverse("site:signup"), form(invitation=used.code))
    assert "already been used" in r.content.decode()
    (old,) = services.invitations_create(actor=OPERATOR)
    Invitation.objects.filter(pk=old.pk).update(expires_at="2000-01-01T00:00:00Z")
    r = client.post(reverse("site:signup"), form(invitation=old.code))
    assert "expired" in r.content.decode()
    assert not User.objects.filter(username="newbie").exists()


def test_invite_queue_sends_in_order_and_the_invited_address_is_confirmed(client):
    """People queue; `site queue-send --count 2` mails the two oldest; signing up through
    the mailed link needs no second confirmation (the invitation came to that address)."""
    set_mode(SignupMode.QUEUE)
    for name in ("a", "b", "c"):
        services.invite_request_create(email=f"{name}@example.org")
    call_command("site", "queue-send", "--count", "2", stdout=io.StringIO())
    jobs_run_pending()
    assert [m.to for m in mail.outbox] == [["a@example.org"], ["b@example.org"]]
    page = client.get("/invite_requests?email=c@example.org").content.decode()
    assert "number 1 in the queue" in page
    signup_url = path_of(link_in(mail.outbox[0]))
    code = signup_url.rsplit("=", 1)[1]
    assert f'value="{code}"' in client.get(signup_url).content.decode()
    client.post(reverse("site:signup"), form(email="a@example.org", invitation=code))
    assert User.objects.get(username="newbie").email_confirmed


def test_banned_address_and_domain_cannot_sign_up_or_queue(client):
    """A banned domain (and its subdomains) or address: refused with a clear message."""
    set_mode(SignupMode.OPEN)
    banned_address_add(actor=OPERATOR, value="spam.example")
    r = client.post(reverse("site:signup"), form(email="x@mail.spam.example"))
    assert "be used on this archive" in r.content.decode()
    with pytest.raises(Exception, match="can't be used"):
        services.invite_request_create(email="y@spam.example")
    assert not User.objects.filter(username="newbie").exists()


def test_users_earn_a_set_number_of_invitations(client):
    """With 2 invitations per user, a user makes 2 and the third is refused."""
    from ficarchive.site.selectors import site_settings

    row = site_settings()
    row.user_invitations = 2
    row.save()
    user = make_user("giver")
    services.invitations_create(actor=user, count=2)
    with pytest.raises(Exception, match="0 invitations left"):
        services.invitations_create(actor=user, count=1)
    client.force_login(user)
    assert "0 invitations left" in client.get("/invitations").content.decode()


def test_unconfirmed_accounts_are_purged_after_the_set_time():
    """`site purge-unconfirmed` deletes accounts unconfirmed past the set days, and keeps
    confirmed and recent ones."""
    import datetime as dt

    from django.utils import timezone

    stale = make_user("stale")
    fresh = make_user("fresh")
    for u in (stale, fresh):
        u.email_confirmed = False
    stale.date_joined = timezone.now() - dt.timedelta(days=30)
    stale.save()
    fresh.save()
    make_user("confirmed_old")
    out = io.StringIO()
    call_command("site", "purge-unconfirmed", "--json", stdout=out)
    assert '"stale"' in out.getvalue()
    assert set(User.objects.values_list("username", flat=True)) == {"fresh", "confirmed_old"}


@pytest.mark.parametrize("mode", [SignupMode.INVITE, SignupMode.QUEUE])
def test_invitation_field_is_required_where_codes_are(client, mode):
    """Where members come by invitation, the code's field is marked required (for
    assistive technology and the browser) and a form without one is refused beside it."""
    set_mode(mode)
    page = client.get(reverse("site:signup")).content.decode()
    field = re.search(r"<input[^>]*name=\"invitation\"[^>]*>", page).group(0)
    assert " required" in field
    r = client.post(reverse("site:signup"), form())
    assert "Signing up here needs an invitation code." in r.content.decode()
    assert not User.objects.filter(username="newbie").exists()


def test_invitation_field_is_optional_in_open_mode(client):
    set_mode(SignupMode.OPEN)
    page = client.get(reverse("site:signup")).content.decode()
    field = re.search(r"<input[^>]*name=\"invitation\"[^>]*>", page).group(0)
    assert " required" not in field


def test_a_refused_sign_up_focuses_its_error_summary(client):
    """The keyboard lands on a summary of what to fix (``autofocus``, no script), each item
    a link to its field, as on the posting forms."""
    set_mode(SignupMode.OPEN)
    r = client.post(reverse("site:signup"), form(password2="something-else-entirely"))
    page = r.content.decode()
    summary = re.search(r"<div class=\"error-summary\"[^>]*>", page).group(0)
    assert "autofocus" in summary and 'tabindex="-1"' in summary
    assert '<a href="#id_password2">' in page
    assert 'id="id_password2"' in page
    assert not User.objects.filter(username="newbie").exists()
    assert "error-summary" not in client.get(reverse("site:signup")).content.decode()
