"""Limits hold across processes: two `ficarchive serve` servers on one SQLite archive (no
Redis), so the lock-out and the rate limits are counted once for both (issue 19)."""

from __future__ import annotations

import json
import signal
import subprocess
from pathlib import Path

import pytest

from ficarchive.testing import start_of_fresh_window

from .serverproc import REPO, Server, Session, cli_argv, server_env

PASSWORD = "correct horse battery staple"


def _cli(env: dict[str, str], *args: str, stdin: str | None = None) -> str:
    done = subprocess.run(
        cli_argv(*args), cwd=REPO, env=env, input=stdin, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture(scope="module")
def two_servers(tmp_path_factory):
    home: Path = tmp_path_factory.mktemp("twoproc")
    env = server_env(
        home,
        FICARCHIVE_RATE_LIMITS="comment=3/h",
        FICARCHIVE_MODERATE_GUEST_COMMENTS="0",
    )
    _cli(env, "migrate", "-v0")
    for name in ("victim", "bystander", "chatty"):
        _cli(env, "user", "create", name, "--password-stdin", stdin=PASSWORD + "\n")
    story = home / "story.txt"
    story.write_text("A story to comment on.\n\nIt has two paragraphs.\n")
    work = json.loads(
        _cli(env, "import", str(story), "--owner", "victim", "--json", "--title", "Target")
    )
    token = json.loads(_cli(env, "user", "token", "chatty", "--write", "--json"))["token"]
    servers = [Server(home, workers=1, env=env), Server(home, workers=1, env=env)]
    try:
        for server in servers:
            server.wait_ready()
        yield servers, work["id"], token
    finally:
        for server in servers:
            server.kill(signal.SIGTERM)


@pytest.mark.slow
def test_lockout_on_one_process_refuses_the_right_password_on_the_other(two_servers):
    """Five wrong passwords sent to server A lock the account; the right password sent to
    server B then fails, while another account still logs in through B."""
    (a, b), _, _ = two_servers
    for _ in range(5):
        assert not Session("127.0.0.1", a.port).login("victim", "wrong password")
    assert not Session("127.0.0.1", b.port).login("victim", PASSWORD)
    assert Session("127.0.0.1", b.port).login("bystander", PASSWORD)


@pytest.mark.slow
def test_comment_limit_is_shared_by_both_processes_and_both_doors(two_servers):
    """comment=3/h: API comments alternating between A and B stop after the third with a
    JSON 429 and Retry-After; the same account's web comment form is refused too. The
    limit counts in fixed windows: the test starts with a minute or more of its hour left
    (it once straddled a minute's boundary and saw five 201s)."""
    (a, b), work_id, token = two_servers
    start_of_fresh_window(3600, 60)
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    statuses = []
    for i in range(5):
        server = (a, b)[i % 2]
        status, got, body = server.request(
            "POST",
            f"/api/v1/works/{work_id}/comments",
            json.dumps({"body": f"Comment number {i}."}),
            headers,
        )
        statuses.append(status)
    assert statuses == [201, 201, 201, 429, 429]
    assert json.loads(body)["error"]["code"] == "rate_limited"
    assert int(got["retry-after"]) >= 1
    web = Session("127.0.0.1", b.port)
    assert web.login("chatty", PASSWORD)
    web.csrf(f"/works/{work_id}")
    status, _, _ = web.request(
        "POST",
        f"/works/{work_id}/comments",
        {"csrfmiddlewaretoken": web.cookies.get("csrftoken", ""), "body": "From the web form."},
    )
    assert status == 429
