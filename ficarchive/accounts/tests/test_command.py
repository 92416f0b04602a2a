"""`ficarchive user create` and `ficarchive user list`, as scripts call them."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from ficarchive.accounts.models import User

pytestmark = pytest.mark.django_db


def run(*args: str, stdin: str = "") -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    import sys

    old = sys.stdin
    sys.stdin = io.StringIO(stdin)
    try:
        call_command("user", *args, stdout=out, stderr=err)
    finally:
        sys.stdin = old
    return out.getvalue(), err.getvalue()


def test_create_admin_with_password_from_stdin_json():
    """--admin --password-stdin --json makes a superuser and prints one JSON object."""
    out, err = run(
        "create",
        "boss",
        "--admin",
        "--password-stdin",
        "--email",
        "b@example.org",
        "--json",
        stdin="s3cret pass\nignored\n",
    )
    lines = out.strip().splitlines()
    assert len(lines) == 1
    data = json.loads(lines[0])
    user = User.objects.get(username="boss")
    # Keys are only ever added (issue 14 added name, confirmed, suspended_until, banned).
    assert {k: data[k] for k in ("id", "username", "email", "admin")} == {
        "id": user.pk,
        "username": "boss",
        "email": "b@example.org",
        "admin": True,
    }
    assert user.is_superuser and user.is_staff and user.check_password("s3cret pass")
    assert user.pseuds.get().is_default and err == ""


def test_create_without_password_notes_on_stderr():
    """Without --password-stdin the account has an unusable password and a note goes to stderr."""
    out, err = run("create", "plain")
    user = User.objects.get(username="plain")
    assert not user.has_usable_password() and not user.is_staff
    assert "no password" in err and "plain" in out


def test_create_existing_name_fails_cleanly(user):
    """An existing name is refused with a one-line error and nothing changes."""
    with pytest.raises(CommandError, match="already taken"):
        run("create", "reader")
    assert User.objects.filter(username__iexact="reader").count() == 1


def test_create_admin_named_admin_allowed():
    """The operator may create an account named "admin" (reserved for sign-up only)."""
    run("create", "admin", "--admin")
    assert User.objects.get(username="admin").is_superuser


def test_list_json(user, admin_user):
    """user list --json prints one object per account."""
    out, _ = run("list", "--json")
    rows = [json.loads(line) for line in out.splitlines()]
    assert {r["username"]: r["admin"] for r in rows} == {"reader": False, "admin": True}


def test_console_script_exit_status(tmp_path):
    """Through the real console script, a duplicate name exits 1 with the reason on stderr."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[3]
    env = {
        **os.environ,
        "FICARCHIVE_HOME": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
    }
    env.pop("DATABASE_URL", None)
    script = Path(sys.executable).parent / "ficarchive"
    cli = [str(script)] if script.exists() else [sys.executable, "-m", "ficarchive.cli"]
    migrated = subprocess.run(
        [*cli, "migrate", "-v0"], env=env, cwd=root, capture_output=True, text=True
    )
    assert migrated.returncode == 0, migrated.stderr
    first = subprocess.run(
        [*cli, "user", "create", "cli_user", "--json", "--password-stdin"],
        input="pw-from-stdin\n",
        env=env,
        cwd=root,
        capture_output=True,
        text=True,
    )
    assert first.returncode == 0, first.stderr
    assert json.loads(first.stdout)["username"] == "cli_user"
    second = subprocess.run(
        [*cli, "user", "create", "cli_user"], env=env, cwd=root, capture_output=True, text=True
    )
    assert second.returncode == 1 and "already taken" in second.stderr and second.stdout == ""
