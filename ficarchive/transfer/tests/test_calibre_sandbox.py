"""Calibre runs with a scrubbed environment, a temporary HOME, and CPU and memory limits
(issue 19). A stand-in ebook-convert reports what it was given."""

from __future__ import annotations

import os
import time

import pytest

from ficarchive.transfer.downloads.calibre import ConversionError, convert_epub

REPORT = """#!/bin/sh
# Stand-in for ebook-convert: writes its environment and limits to the target file.
{ env; echo ---; cat /proc/self/limits; } > "$2"
"""

SLEEPER = """#!/bin/sh
sleep 30 >/dev/null 2>&1 &
echo $! > {pidfile}
sleep 30
"""


def _script(tmp_path, text):
    path = tmp_path / "ebook-convert"
    path.write_text(text)
    path.chmod(0o755)
    return str(path)


def test_calibre_gets_no_secrets_and_a_temporary_home(tmp_path, settings, monkeypatch):
    """Secret key and database URL stay out of Calibre's environment; HOME is a fresh
    folder; CPU time and writable memory are limited."""
    monkeypatch.setenv("FICARCHIVE_SECRET_KEY", "s3cret-key-value")
    monkeypatch.setenv("DATABASE_URL", "postgres://app:db-password@db/ficarchive")
    settings.FICARCHIVE_EBOOK_CONVERT = _script(tmp_path, REPORT)
    settings.FICARCHIVE_CONVERT_MEMORY_MB = 1024
    out = convert_epub(b"PK epub", "azw3", title="T", timeout=77).decode()
    env, _, limits = out.partition("---")
    assert "s3cret-key-value" not in out and "db-password" not in out
    assert "FICARCHIVE_" not in env and "DATABASE_URL" not in env
    home = next(line.split("=", 1)[1] for line in env.splitlines() if line.startswith("HOME="))
    assert home != os.environ.get("HOME") and "ficarchive-convert-" in home
    assert not os.path.exists(home)  # removed with the conversion
    cpu = next(line for line in limits.splitlines() if line.startswith("Max cpu time"))
    assert cpu.split()[3] == "77"
    data = next(line for line in limits.splitlines() if line.startswith("Max data size"))
    assert int(data.split()[3]) == 1024 * 1024 * 1024


def test_timeout_stops_calibre_and_its_children(tmp_path, settings):
    """Past the timeout the conversion fails with a clear message, and the children Calibre
    started are killed with it (its whole process group)."""
    pidfile = tmp_path / "child.pid"
    settings.FICARCHIVE_EBOOK_CONVERT = _script(tmp_path, SLEEPER.format(pidfile=pidfile))
    with pytest.raises(ConversionError, match="longer than 1 seconds"):
        convert_epub(b"PK epub", "azw3", title="T", timeout=1)
    child = int(pidfile.read_text())
    # SIGKILL is delivered asynchronously: give the kernel a moment (not a timing claim).
    for _ in range(100):
        if _dead(child):
            break
        time.sleep(0.05)
    assert _dead(child)


def _dead(pid: int) -> bool:
    """Gone, or a zombie waiting for init to reap it."""
    try:
        stat = open(f"/proc/{pid}/stat").read()  # noqa: SIM115
    except FileNotFoundError:
        return True
    return stat.rsplit(")", 1)[1].split()[0] in {"Z", "X"}
