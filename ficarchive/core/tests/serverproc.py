"""Helpers for tests that run `ficarchive serve` (gunicorn) as a real process on loopback."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def cli_argv(*args: str) -> list[str]:
    """The `ficarchive` console script, or the module it runs when the venv has no script."""
    script = Path(sys.executable).parent / "ficarchive"
    if script.exists():
        return [str(script), *args]
    return [sys.executable, "-m", "ficarchive.cli", *args]


def server_env(home: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FICARCHIVE_") and k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update({"FICARCHIVE_HOME": str(home), "DJANGO_SETTINGS_MODULE": "config.settings.base"})
    env.update(extra)
    return env


class Server:
    """A gunicorn started by `ficarchive serve`, in its own process group."""

    def __init__(self, home: Path, *, workers: int = 2, env: dict[str, str] | None = None) -> None:
        self.home = home
        self.port = free_port()
        self.log = open(home / f"serve-{self.port}.log", "wb")  # noqa: SIM115
        self.proc = subprocess.Popen(
            cli_argv("serve", "--port", str(self.port), "--workers", str(workers)),
            cwd=REPO, env=env or server_env(home), stdout=self.log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited: {self.read_log()}")
            try:
                if self.request("GET", "/healthz")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"server not ready: {self.read_log()}")

    def request(self, method: str, path: str, body: str | None = None, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            resp = conn.getresponse()
            return resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read()
        finally:
            conn.close()

    def kill(self, sig: int = signal.SIGKILL) -> None:
        """Signal the whole process group (master and workers), as a crash would."""
        try:
            os.killpg(self.proc.pid, sig)
        except ProcessLookupError:
            pass
        self.proc.wait(timeout=30)
        self.log.close()

    def read_log(self) -> str:
        self.log.flush()
        return (self.home / f"serve-{self.port}.log").read_text(errors="replace")[-3000:]
