"""FICARCHIVE_EMAIL_HOST, _PORT and _USE_TLS pick where mail goes (contract)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
SHOW = (
    "import json, config.settings.base as b; print(json.dumps({k: getattr(b, k, None) for k in "
    "['EMAIL_BACKEND', 'EMAIL_HOST', 'EMAIL_PORT', 'EMAIL_USE_TLS', 'EMAIL_FILE_PATH', 'FICARCHIVE_HOME']}, default=str))"
)


def _settings(tmp_path, **env_vars: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FICARCHIVE_EMAIL")}
    env.update(FICARCHIVE_HOME=str(tmp_path), PYTHONPATH=str(ROOT), **env_vars)
    out = subprocess.run(
        [sys.executable, "-c", SHOW], env=env, capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout)


def test_smtp_host_port_and_no_tls(tmp_path):
    got = _settings(
        tmp_path,
        FICARCHIVE_EMAIL_HOST="mail.example.org",
        FICARCHIVE_EMAIL_PORT="2525",
        FICARCHIVE_EMAIL_USE_TLS="0",
    )
    assert got["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert (got["EMAIL_HOST"], got["EMAIL_PORT"], got["EMAIL_USE_TLS"]) == (
        "mail.example.org",
        2525,
        False,
    )


def test_tls_by_default(tmp_path):
    assert _settings(tmp_path, FICARCHIVE_EMAIL_HOST="mail.example.org")["EMAIL_USE_TLS"] is True


def test_without_host_mail_goes_to_files_in_home(tmp_path):
    got = _settings(tmp_path)
    assert got["EMAIL_BACKEND"] == "django.core.mail.backends.filebased.EmailBackend"
    assert got["EMAIL_FILE_PATH"] == str(tmp_path / "mail")


def test_sendtestemail_from_the_command_line(tmp_path):
    """`ficarchive sendtestemail ADDRESS` with FICARCHIVE_EMAIL_HOST, _PORT and USE_TLS=0
    reaches that server; with the server gone it fails with one line and exit status 1."""
    from ficarchive.notify.loopback import SmtpServer, free_port

    server = SmtpServer(free_port())
    server.start()
    env = {
        k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    env.update(
        FICARCHIVE_HOME=str(tmp_path),
        PYTHONPATH=str(ROOT),
        FICARCHIVE_EMAIL_HOST="127.0.0.1",
        FICARCHIVE_EMAIL_PORT=str(server.port),
        FICARCHIVE_EMAIL_USE_TLS="0",
    )
    argv = [sys.executable, "-m", "ficarchive", "sendtestemail", "ops@example.org"]
    try:
        done = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        assert "no TLS" in done.stdout
        assert [m["To"] for m in server.messages] == ["ops@example.org"]
    finally:
        server.stop()
    failed = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=120)
    assert failed.returncode == 1
    assert failed.stdout == "" and len(failed.stderr.strip().splitlines()) == 1
