"""Every door that sets a password revokes the account's tokens and ends its other
sessions, as the password change page does: the admin's change-password form and
`changepassword` too (issue 19)."""

from __future__ import annotations

import pytest
from django.contrib.auth.management.commands.changepassword import Command as ChangePassword
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from ficarchive.accounts.models import ApiToken
from ficarchive.accounts.tokens import token_create
from ficarchive.testing import make_user

pytestmark = pytest.mark.django_db

NEW = "brand-new-lantern-river-77"


def _signed_in(user) -> Client:
    other = Client()
    other.force_login(user)
    assert other.get("/account/email").status_code == 200
    return other


def test_admin_change_password_form_revokes_tokens_and_sessions(client, admin_user):
    target = make_user("target")
    token_create(actor=target, name="e-reader")
    elsewhere = _signed_in(target)
    client.force_login(admin_user)
    r = client.post(
        reverse("admin:auth_user_password_change", args=[target.pk]),
        {"password1": NEW, "password2": NEW, "usable_password": "true"},
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    assert not ApiToken.objects.filter(user=target).exists()
    assert elsewhere.get("/account/email").status_code == 302  # back to the log-in page
    assert client.get(reverse("admin:index")).status_code == 200  # the admin stays in


def test_changepassword_command_revokes_tokens_and_sessions(monkeypatch):
    target = make_user("target")
    token_create(actor=target, name="script")
    elsewhere = _signed_in(target)
    monkeypatch.setattr(ChangePassword, "_get_pass", lambda self, prompt="": NEW)
    call_command("changepassword", "target")
    assert not ApiToken.objects.filter(user=target).exists()
    assert elsewhere.get("/account/email").status_code == 302


def test_other_saves_keep_the_tokens():
    """Saving the account without a new password (a profile edit) revokes nothing."""
    target = make_user("target")
    token_create(actor=target, name="keep")
    target.profile = "Hello"
    target.save(update_fields=["profile"])
    assert ApiToken.objects.filter(user=target).count() == 1
