"""`ficarchive user list --json` with each account's standing, `user suspend` and
`user unsuspend` (issue 14's contract)."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from ficarchive.accounts.models import User
from ficarchive.core.audit import AuditLog
from ficarchive.testing import make_user

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("user", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def rows() -> dict[str, dict]:
    return {r["name"]: r for r in map(json.loads, run("list", "--json").strip().splitlines())}


def test_list_json_gives_standing_keys():
    """Each line has name, email, confirmed, suspended_until (null) and banned."""
    make_user("plain")
    row = rows()["plain"]
    assert row["email"] == "plain@example.org"
    assert row["confirmed"] is True and row["suspended_until"] is None and row["banned"] is False


def test_suspend_then_unsuspend():
    """suspend sets the end date (shown as an ISO date) and the reason, in the audit log;
    unsuspend clears both."""
    make_user("troll")
    until = (dt.date.today() + dt.timedelta(days=10)).isoformat()
    run("suspend", "troll", "--until", until, "--reason", "Harassment in comments")
    assert rows()["troll"]["suspended_until"] == until
    assert User.objects.get(username="troll").suspension_reason == "Harassment in comments"
    assert AuditLog.objects.filter(action="user.suspend", target="troll").exists()
    run("unsuspend", "troll")
    assert rows()["troll"]["suspended_until"] is None


@pytest.mark.parametrize(
    "args",
    [
        ("suspend", "nobody", "--until", "2999-01-01", "--reason", "x"),
        ("suspend", "troll", "--until", "01/02/2999", "--reason", "x"),
        ("suspend", "troll", "--until", "2000-01-01", "--reason", "x"),
        ("suspend", "troll", "--until", "2999-01-01", "--reason", "  "),
    ],
)
def test_suspend_bad_input_changes_nothing(args):
    """Unknown user, unreadable or past date, empty reason: one clear error, no change."""
    make_user("troll")
    with pytest.raises(CommandError):
        run(*args)
    assert User.objects.get(username="troll").suspended_until is None


def test_suspend_and_unsuspend_take_json():
    """With --json, `suspend` and `unsuspend` print the account as `user list --json` does
    (CONTRACT.md: every command that reports data takes --json), one object, nothing else."""
    make_user("loud")
    until = (dt.date.today() + dt.timedelta(days=10)).isoformat()
    shown = json.loads(run("suspend", "loud", "--until", until, "--reason", "Spam", "--json"))
    assert shown["name"] == "loud" and shown["suspended_until"] == until
    assert shown == rows()["loud"]
    shown = json.loads(run("unsuspend", "loud", "--json"))
    assert shown["suspended_until"] is None and shown == rows()["loud"]
