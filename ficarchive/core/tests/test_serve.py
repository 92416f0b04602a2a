"""`ficarchive serve` runs gunicorn after migrating, and stops gracefully."""

from __future__ import annotations

import signal

import pytest

from .serverproc import Server


@pytest.mark.slow
def test_serve_migrates_and_serves_pages_and_static(tmp_path):
    """A fresh home gets migrated, the home page and /static/ answer, SIGTERM stops cleanly."""
    server = Server(tmp_path, workers=2)
    try:
        server.wait_ready()
        status, headers, body = server.request("GET", "/")
        assert status == 200
        assert headers["server"].startswith("gunicorn")
        assert "content-security-policy" in headers
        status, headers, _ = server.request("GET", "/static/core/site.css")
        assert status == 200 and headers["content-type"].startswith("text/css")
        assert (tmp_path / "ficarchive.sqlite3").exists()
    finally:
        server.proc.send_signal(signal.SIGTERM)
        assert server.proc.wait(timeout=40) == 0
        server.log.close()
    assert "Booting worker" in (tmp_path / f"serve-{server.port}.log").read_text()


def test_serve_rejects_bad_options():
    """Nonsense worker counts are refused with a one-line reason."""
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="workers"):
        call_command("serve", "--workers", "0")
