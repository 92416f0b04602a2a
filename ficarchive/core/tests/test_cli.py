"""The console script works on a fresh data folder and keeps stdout for JSON."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from .serverproc import REPO


def _ficarchive(home, *args: str, stdin: str = "") -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "FICARCHIVE_HOME": str(home),
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
    }
    env.pop("DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "ficarchive", *args],
        cwd=REPO,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.slow
def test_data_commands_work_on_a_fresh_data_folder(tmp_path):
    """On a folder nothing has migrated, `user create` and `search --json` just work: the
    tables are made first, and stdout carries one JSON object per line and nothing else."""
    made = _ficarchive(
        tmp_path,
        "user",
        "create",
        "reader1",
        "--password-stdin",
        "--json",
        stdin="a long enough password 42\n",
    )
    assert made.returncode == 0, made.stderr
    assert json.loads(made.stdout)["username"] == "reader1"
    found = _ficarchive(tmp_path, "search", "--json")
    assert found.returncode == 0, found.stderr
    assert found.stdout == ""
    refused = _ficarchive(tmp_path, "user", "create", "reader1")
    assert refused.returncode != 0
    assert "already taken" in refused.stderr and "Traceback" not in refused.stderr
