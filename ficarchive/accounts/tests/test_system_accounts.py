"""The archive's own accounts (orphan, archivist) are reserved names no one can sign up
with, and the archive finds them by role, never by name."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from ficarchive.accounts.models import SystemRole, User
from ficarchive.accounts.services import system_account
from ficarchive.testing import make_user, make_work
from ficarchive.works.services import work_orphan

pytestmark = pytest.mark.django_db
GOOD = "a long passphrase 42"


@pytest.mark.parametrize(
    "name",
    ["archivist", "Archivist", "ORPHAN_ACCOUNT", "Operator", "ficarchive", "admin", "Anonymous"],
)
def test_signup_refuses_reserved_names_in_any_case(client, name):
    """The sign-up form refuses system and reserved names whatever their case, saying so."""
    response = client.post(
        reverse("site:signup"),
        {"username": name, "email": "x@example.org", "password1": GOOD, "password2": GOOD},
    )
    assert response.status_code == 200 and "is reserved" in response.content.decode()
    assert not User.objects.filter(username__iexact=name).exists()


@pytest.mark.parametrize("name", ["archivist", "Orphan_Account"])
def test_cli_user_create_refuses_system_names(name):
    """Even the operator's `ficarchive user create` cannot take a system account's name."""
    with pytest.raises(CommandError, match="reserved"):
        call_command("user", "create", name, stdout=io.StringIO(), stderr=io.StringIO())
    assert not User.objects.filter(username__iexact=name).exists()


def test_an_old_account_named_archivist_does_not_capture_imports(client, tmp_path):
    """A person who signed up as "archivist" before the name was reserved neither owns nor
    sees the drafts `ficarchive import` makes without --owner: the system account found
    by its role owns them."""
    squatter = make_user("archivist")
    path = tmp_path / "ledger.txt"
    path.write_text("The ledger was balanced at last.", encoding="utf-8")
    out = io.StringIO()
    call_command(
        "import", str(path), "--draft", "--json", "--no-progress", stdout=out, stderr=io.StringIO()
    )
    work_id = json.loads(out.getvalue())["id"]
    client.force_login(squatter)
    assert client.get(f"/works/{work_id}").status_code == 404
    assert client.get(f"/works/{work_id}/edit").status_code in (403, 404)
    owner = system_account(SystemRole.ARCHIVIST)
    assert owner.pk != squatter.pk and not owner.has_usable_password()
    client.force_login(owner)
    assert client.get(f"/works/{work_id}").status_code == 200


def test_orphaning_uses_the_orphan_role_not_the_name(client, author):
    """An account that merely has the name orphan_account does not receive orphaned works."""
    squatter = make_user("orphan_account")
    work = make_work(author, title="Left Behind")
    work_orphan(actor=author, work=work)
    orphan = system_account("orphan")
    assert orphan.pk != squatter.pk and not orphan.is_active
    body = client.get(f"/api/v1/works/{work.pk}").json()
    assert [c["user"] for c in body["creators"]] == [orphan.username]
    assert squatter.username not in {c["user"] for c in body["creators"]}
