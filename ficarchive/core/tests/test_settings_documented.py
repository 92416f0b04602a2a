"""Every environment variable the settings read is documented, and production settings pass
Django's deployment checklist."""

from __future__ import annotations

import re
import secrets
import subprocess
import sys

from .serverproc import REPO

READERS = re.compile(
    r"""(?:env_(?:str|bool|int|list)|os\.environ\.get|os\.getenv|os\.environ\[)\(?\s*["']([A-Z][A-Z0-9_]*)["']"""
)
WATCHED = re.compile(r"^(FICARCHIVE_[A-Z0-9_]+|DATABASE_URL|REDIS_URL)$")


def variables_read() -> set[str]:
    files = [
        *(REPO / "config").rglob("*.py"),
        *(REPO / "ficarchive" / "core" / "management").rglob("*.py"),
    ]
    found = set()
    for path in files:
        found |= {name for name in READERS.findall(path.read_text()) if WATCHED.match(name)}
    return found


def test_every_environment_variable_is_in_docs_settings_md():
    """A FICARCHIVE_*, DATABASE_URL or REDIS_URL variable read in config/settings (or by
    `serve`) must have its own row in docs/settings.md."""
    found = variables_read()
    assert {
        "FICARCHIVE_HOME",
        "FICARCHIVE_SECRET_KEY",
        "DATABASE_URL",
        "REDIS_URL",
        "FICARCHIVE_HTTPS",
    } <= found
    documented = set(
        re.findall(
            r"^\|\s*`([A-Z][A-Z0-9_]*)`\s*\|", (REPO / "docs" / "settings.md").read_text(), re.M
        )
    )
    missing = sorted(found - documented)
    assert not missing, f"not documented in docs/settings.md: {missing}"


def test_check_deploy_is_clean_with_production_environment(tmp_path):
    """`manage.py check --deploy` reports nothing with HTTPS on, a long secret key and
    allowed hosts set (warnings count as failures)."""
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "FICARCHIVE_HOME": str(tmp_path),
        "FICARCHIVE_HTTPS": "1",
        "FICARCHIVE_SECRET_KEY": secrets.token_urlsafe(64),
        "FICARCHIVE_ALLOWED_HOSTS": "archive.example.org",
    }
    done = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout


def test_check_deploy_complains_without_https(tmp_path):
    """The same check fails on a development-like configuration, so the clean run means something."""
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "FICARCHIVE_HOME": str(tmp_path),
    }
    done = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode != 0
    assert "SECURE_SSL_REDIRECT" in done.stdout + done.stderr or "W008" in done.stdout + done.stderr
