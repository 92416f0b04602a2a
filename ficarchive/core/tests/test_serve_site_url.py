"""`ficarchive serve --port P`: the links the archive writes (API `url`, mail, feeds) carry
the address it serves on, unless FICARCHIVE_SITE_URL says otherwise."""

from __future__ import annotations

import os
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from config.settings.env import SERVED_URL_FILE, site_url
from ficarchive.core.management.commands import serve


@pytest.fixture
def exec_env(monkeypatch, settings, tmp_path) -> dict[str, Any]:
    """Run `serve` up to the hand-over to gunicorn and keep the environment it hands over."""
    seen: dict[str, Any] = {}
    settings.SERVED_URL_PATH = tmp_path / "served_url"

    def fake_execve(path: str, argv: list[str], env: dict[str, str]) -> None:
        seen.update(argv=argv, env=env)

    monkeypatch.setattr(serve.os, "execve", fake_execve)
    monkeypatch.setattr(serve.shutil, "which", lambda *a, **k: "/usr/bin/gunicorn")
    monkeypatch.setattr(serve, "static_stale", lambda: False)
    monkeypatch.delenv("FICARCHIVE_SITE_URL", raising=False)
    return seen


def test_site_url_follows_the_port_served_on(exec_env):
    """Without FICARCHIVE_SITE_URL, `serve --port 18999` makes links to port 18999, not 8000
    (a `make run PORT=18999` archive mailed confirmation links to port 8000)."""
    call_command("serve", "--port", "18999", "--no-migrate")
    assert exec_env["env"]["FICARCHIVE_SITE_URL"] == "http://127.0.0.1:18999"


def test_site_url_for_every_interface_names_this_machine(exec_env):
    """Serving on every interface (0.0.0.0, ::) links to this machine's loopback address at
    the port served on: a wildcard address is no place to send a reader."""
    call_command("serve", "--host", "0.0.0.0", "--port", "9001", "--no-migrate")  # noqa: S104
    assert exec_env["env"]["FICARCHIVE_SITE_URL"] == "http://127.0.0.1:9001"
    call_command("serve", "--host", "::", "--port", "9002", "--no-migrate")
    assert exec_env["env"]["FICARCHIVE_SITE_URL"] == "http://127.0.0.1:9002"


def test_site_url_set_by_the_operator_is_kept(exec_env, monkeypatch):
    """An operator's FICARCHIVE_SITE_URL (the public address behind a proxy) wins."""
    monkeypatch.setenv("FICARCHIVE_SITE_URL", "https://archive.example.org")
    call_command("serve", "--port", "18999", "--no-migrate")
    assert exec_env["env"]["FICARCHIVE_SITE_URL"] == "https://archive.example.org"


def test_serve_notes_its_address_for_the_worker(exec_env, settings):
    """`serve --port P` notes http://127.0.0.1:P in FICARCHIVE_HOME, so a `ficarchive worker`
    run beside it (its own process, no FICARCHIVE_SITE_URL) mails links to P, not 8000;
    an operator's FICARCHIVE_SITE_URL is not noted (every process reads it already)."""
    call_command("serve", "--port", "18392", "--no-migrate")
    assert settings.SERVED_URL_PATH.read_text().strip() == "http://127.0.0.1:18392"
    settings.SERVED_URL_PATH.unlink()
    os.environ["FICARCHIVE_SITE_URL"] = "https://archive.example.org"
    try:
        call_command("serve", "--port", "18393", "--no-migrate")
    finally:
        del os.environ["FICARCHIVE_SITE_URL"]
    assert not settings.SERVED_URL_PATH.exists()


def test_site_url_reads_the_noted_address(tmp_path, monkeypatch):
    """FICARCHIVE_SITE_URL first, then the address `serve` noted, then port 8000."""
    monkeypatch.delenv("FICARCHIVE_SITE_URL", raising=False)
    assert site_url(tmp_path) == "http://127.0.0.1:8000"
    (tmp_path / SERVED_URL_FILE).write_text("http://127.0.0.1:18392\n")
    assert site_url(tmp_path) == "http://127.0.0.1:18392"
    monkeypatch.setenv("FICARCHIVE_SITE_URL", "https://archive.example.org/")
    assert site_url(tmp_path) == "https://archive.example.org"


def test_a_port_in_use_is_one_line_and_notes_nothing(exec_env, settings):
    """`serve --port P` with P taken fails at once with one line, before it migrates or
    notes its address (gunicorn would retry for five seconds, logging each try, and the
    note would point `import --json`'s links at a server that never started)."""
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(CommandError, match=f"cannot serve on 127.0.0.1:{port}: "):
            call_command("serve", "--port", str(port))
    assert "argv" not in exec_env
    assert not settings.SERVED_URL_PATH.exists()
