"""Settings with a fixed set of values refuse anything else when the program starts."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


def _cli(tmp_path, **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    environment.update(
        PYTHONPATH=str(ROOT),
        FICARCHIVE_HOME=str(tmp_path),
        DJANGO_SETTINGS_MODULE="config.settings.base",
        **env,
    )
    return subprocess.run(
        [sys.executable, "-m", "ficarchive.cli", "check"],
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
