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


def test_a_reader_that_closes_the_pipe_gets_no_traceback(tmp_path):
    """`ficarchive user list --json | head` must end quietly when `head` stops reading: the
    command's BrokenPipeError becomes exit status 1 with nothing on stderr. The child
    writes far more than a pipe holds (64 KiB), and the parent closes its end early."""
    child = (
        "import sys, django.core.management as m\n"
        "from ficarchive import cli\n"
        "def flood(argv):\n"
        "    for _ in range(100000):\n"
        "        print('x' * 79)\n"
        "m.execute_from_command_line = flood\n"
        "cli.main(['ficarchive', 'version'])\n"
    )
    env = {**os.environ, "FICARCHIVE_HOME": str(tmp_path)}
    env.pop("DATABASE_URL", None)
    proc = subprocess.Popen(
        [sys.executable, "-c", child],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    assert proc.stdout.read(80) == b"x" * 79 + b"\n"
    proc.stdout.close()
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 1
    assert "Traceback" not in err and "BrokenPipeError" not in err, err


@pytest.mark.parametrize(
    "args",
    [
        ("search", "--limit", "abc"),  # a bad value
        ("tag", "show"),  # a missing argument of a sub-command
        ("site", "signup", "everyone"),  # a choice not offered
        ("import",),  # no PATH
    ],
)
def test_a_mistyped_command_line_is_one_line_on_stderr(tmp_path, args):
    """CONTRACT.md: errors go to stderr as a one-line reason with a non-zero status, and
    nothing on stdout; argparse would print its usage block first."""
    done = _ficarchive(tmp_path, *args)
    assert done.returncode == 2
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and ": error: " in lines[0], done.stderr


def test_an_unknown_command_is_one_line_with_a_hint(tmp_path):
    """A misspelt command names the nearest one, on one line, status 1."""
    done = _ficarchive(tmp_path, "tga", "list")
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr.strip().splitlines() == [
        "ficarchive: unknown command 'tga'; did you mean tag? (see ficarchive help)"
    ]
