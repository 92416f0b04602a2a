"""Settings with a fixed set of values refuse anything else when the program starts."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


def _cli(tmp_path, *args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    environment.update(
        PYTHONPATH=str(ROOT),
        FICARCHIVE_HOME=str(tmp_path),
        DJANGO_SETTINGS_MODULE="config.settings.base",
        **env,
    )
    return subprocess.run(
        [sys.executable, "-m", "ficarchive.cli", *(args or ("check",))],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("name", "value", "allowed"),
    [
        ("FICARCHIVE_TASK_MODE", "threads", "thread, worker"),
        ("FICARCHIVE_LOG_LEVEL", "verbose", "DEBUG, INFO, WARNING, ERROR, CRITICAL"),
    ],
)
def test_misspelt_choice_stops_the_program_naming_setting_and_values(
    tmp_path, name, value, allowed
):
    """`FICARCHIVE_TASK_MODE=threads` ends `ficarchive` at start with one line naming the setting and its values."""
    result = _cli(tmp_path, **{name: value})
    assert result.returncode != 0
    assert result.stderr.strip() == f"ficarchive: {name} must be one of {allowed}, not {value!r}"


def test_choices_are_read_in_any_case(tmp_path):
    """`FICARCHIVE_TASK_MODE=Worker` is the worker mode: the program starts."""
    result = _cli(tmp_path, FICARCHIVE_TASK_MODE="Worker", FICARCHIVE_LOG_LEVEL="info")
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("url", "said"),
    [
        ("mysql://u:secret@db/archive", "not a mysql:// URL"),
        ("nonsense", "not a malformed URL"),
        ("postgres://", "names no database"),
    ],
)
def test_database_url_other_than_the_contracts_two_is_one_line(tmp_path, url, said):
    """CONTRACT.md's DATABASE_URL is sqlite:///PATH or postgres://...: anything else stops
    the program at start with one line naming the variable (never the password)."""
    result = _cli(tmp_path, DATABASE_URL=url)
    assert result.returncode != 0
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("ficarchive: DATABASE_URL ") and said in line
    assert "secret" not in line


def test_a_database_that_cannot_be_reached_is_one_line(tmp_path):
    """A PostgreSQL server that refuses the connection (nothing listens on port 1) ends a
    command with one line saying so, not a traceback."""
    result = _cli(tmp_path, "search", "--json", DATABASE_URL="postgres://u:p@127.0.0.1:1/archive")
    assert result.returncode != 0
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("ficarchive: database error: "), result.stderr


def test_trusted_proxies_that_are_not_addresses_stop_the_program(tmp_path):
    """FICARCHIVE_TRUSTED_PROXIES=nginx (not an address) is one line at start; it used to
    pass and then fail every rate-limited request (log-in, comments) with a 500."""
    result = _cli(tmp_path, FICARCHIVE_TRUSTED_PROXIES="10.0.0.0/8, nginx")
    assert result.returncode != 0
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("ficarchive: FICARCHIVE_TRUSTED_PROXIES ") and "'nginx'" in line
    assert _cli(tmp_path, FICARCHIVE_TRUSTED_PROXIES="10.0.0.0/8, ::1").returncode == 0
