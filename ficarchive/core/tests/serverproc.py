"""Helpers for tests that run `ficarchive serve` (gunicorn) as a real process on loopback."""

from __future__ import annotations

import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
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
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("FICARCHIVE_") and k not in {"DATABASE_URL", "REDIS_URL"}
    }
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
            cwd=REPO,
            env=env or server_env(home),
            stdout=self.log,
            stderr=subprocess.STDOUT,
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

    def request(
        self, method: str, path: str, body: str | None = None, headers: dict[str, str] | None = None
    ) -> tuple[int, dict[str, str], bytes]:
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


class Session:
    """A minimal browser: keeps cookies, fetches CSRF tokens, logs in, posts forms."""

    TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.cookies: dict[str, str] = {}

    def request(
        self, method: str, path: str, form: dict[str, str] | None = None, timeout: float = 30
    ) -> tuple[int, dict[str, str], bytes]:
        conn = http.client.HTTPConnection(self.host, self.port, timeout=timeout)
        headers = (
            {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
            if self.cookies
            else {}
        )
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            if "csrftoken" in self.cookies:
                headers["X-CSRFToken"] = self.cookies["csrftoken"]
        try:
            conn.request(method, path, body=body, headers=headers)
            resp = conn.getresponse()
            data = resp.read()
            for name, value in resp.getheaders():
                if name.lower() == "set-cookie":
                    key, _, rest = value.partition("=")
                    self.cookies[key.strip()] = rest.split(";", 1)[0]
            return resp.status, {k.lower(): v for k, v in resp.getheaders()}, data
        finally:
            conn.close()

    def csrf(self, path: str) -> str:
        status, _, body = self.request("GET", path)
        match = self.TOKEN.search(body.decode(errors="replace"))
        return match.group(1) if match else self.cookies.get("csrftoken", "")

    def post(
        self, path: str, form: dict[str, str], token_from: str | None = None
    ) -> tuple[int, dict[str, str], bytes]:
        if "csrftoken" not in self.cookies:
            self.csrf(token_from or path)
        return self.request(
            "POST", path, {"csrfmiddlewaretoken": self.cookies.get("csrftoken", ""), **form}
        )

    def login(self, username: str, password: str) -> bool:
        self.csrf("/login")
        status, headers, _ = self.request(
            "POST",
            "/login",
            {
                "csrfmiddlewaretoken": self.cookies.get("csrftoken", ""),
                "username": username,
                "password": password,
            },
        )
        return status == 302 and "sessionid" in self.cookies
