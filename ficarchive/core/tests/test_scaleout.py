"""The scale-out check (deploy/scaleout_check.py, run by `make scaleout`) fails loudly: any
failed check or error gives exit status 1 and `"ok": false` in its one JSON line."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from .serverproc import REPO, free_port, server_env


def run_check(env: dict[str, str], *extra: str) -> subprocess.CompletedProcess[str]:
    dead = [f"http://127.0.0.1:{free_port()}" for _ in range(3)]
    argv = [
        sys.executable,
        "deploy/scaleout_check.py",
        "--nginx",
        dead[0],
        "--app1",
        dead[1],
        "--app2",
        dead[2],
        *extra,
    ]
    return subprocess.run(argv, cwd=REPO, env=env, capture_output=True, text=True, timeout=120)


@pytest.mark.slow
def test_check_exits_non_zero_when_servers_are_unreachable(tmp_path):
    """Against ports nobody listens on (and SQLite, no Redis), the check prints ok=false and exits 1."""
    env = server_env(tmp_path)
    subprocess.run(
        [sys.executable, "-m", "ficarchive.cli", "migrate", "-v0"], cwd=REPO, env=env, check=True
    )
    done = run_check(
        env, "--app-log", str(tmp_path / "a.log"), "--app-log", str(tmp_path / "b.log")
    )
    assert done.returncode == 1, done.stderr
    lines = done.stdout.strip().splitlines()
    assert len(lines) == 1
    result = json.loads(lines[0])
    assert result["ok"] is False
    assert result["database"] == "sqlite3" and "error" in result


@pytest.mark.slow
@pytest.mark.skipif(
    os.environ.get("FICARCHIVE_TEST_SCALEOUT") != "1"
    or not (shutil.which("nginx") and shutil.which("redis-server")),
    reason="starts PostgreSQL, Redis, nginx and three servers: set FICARCHIVE_TEST_SCALEOUT=1",
)
def test_scaleout_starts_checks_and_stops():
    """`deploy/scaleout.sh` brings everything up, every check passes, and it all stops again."""
    # Not under pytest's tmp_path: that is private to this user, and PostgreSQL runs as postgres.
    run = Path(tempfile.mkdtemp(prefix="ficarchive-scaleout-test-"))
    if os.getuid() == 0:
        shutil.chown(run, "postgres")
    try:
        _run_scaleout(run)
    finally:
        shutil.rmtree(run, ignore_errors=True)


def _run_scaleout(run: Path) -> None:
    ports = {
        name: str(free_port())
        for name in ("PG_PORT", "REDIS_PORT", "APP1_PORT", "APP2_PORT", "NGINX_PORT")
    }
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("FICARCHIVE_") and k not in {"DATABASE_URL", "REDIS_URL"}
    }
    env.update(ports, SCALEOUT_DIR=str(run), PY=sys.executable)
    done = subprocess.run(
        ["bash", "deploy/scaleout.sh"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    result = json.loads(next(line for line in done.stdout.splitlines() if line.startswith("{")))
    assert (
        result["ok"] is True
        and result["nginx_spreads"] is True
        and result["download_built"] is True
    )
    assert not list(run.glob("app-*.pid")) and not (run / "worker.pid").exists()
