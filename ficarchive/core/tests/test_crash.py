"""Crash safety: SIGKILL in the middle of a comment storm or a bulk import leaves a
consistent database (no half works, counters equal to rows), and the restarted server works."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import threading
import time

import pytest

from .serverproc import REPO, Server, Session, cli_argv, server_env

PASSWORD = "crash-test-password-9"


def _setup_archive(home):
    env = server_env(home, FICARCHIVE_RATELIMIT_ENABLED="0")
    subprocess.run(cli_argv("migrate", "-v0"), cwd=REPO, env=env, check=True, timeout=300)
    for name in ("crashauthor", "crashreader"):
        subprocess.run(
            cli_argv("user", "create", name, "--password-stdin"),
            cwd=REPO,
            env=env,
            input=PASSWORD + "\n",
            text=True,
            check=True,
            capture_output=True,
            timeout=120,
        )
    story = home / "story.txt"
    story.write_text("A story to comment on.\n\nIt has two paragraphs.\n")
    subprocess.run(
        cli_argv(
            "import",
            str(story),
            "--owner",
            "crashauthor",
            "--no-progress",
            "--fandom",
            "Original Work",
            "--rating",
            "General Audiences",
            "--warning",
            "No Archive Warnings Apply",
        ),
        cwd=REPO,
        env=env,
        check=True,
        capture_output=True,
        timeout=300,
    )
    return env


def _consistency_problems(db_path) -> list[str]:
    db = sqlite3.connect(db_path)
    try:
        found = []
        if db.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            found.append("integrity_check failed")
        if db.execute("PRAGMA foreign_key_check").fetchall():
            found.append("dangling foreign keys")
        checks = {
            "comment_count != rows": "SELECT COUNT(*) FROM works_work w WHERE w.comment_count != "
            "(SELECT COUNT(*) FROM feedback_comment c WHERE c.work_id = w.id AND c.deleted = 0)",
            "kudos_count != rows": "SELECT COUNT(*) FROM works_work w WHERE w.kudos_count != "
            "(SELECT COUNT(*) FROM feedback_kudos k WHERE k.work_id = w.id)",
            "chapter_count != posted chapters": "SELECT COUNT(*) FROM works_work w WHERE w.chapter_count != "
            "(SELECT COUNT(*) FROM works_chapter c WHERE c.work_id = w.id AND c.posted = 1)",
            "work without chapters": "SELECT COUNT(*) FROM works_work w WHERE NOT EXISTS "
            "(SELECT 1 FROM works_chapter c WHERE c.work_id = w.id)",
            "work without creator": "SELECT COUNT(*) FROM works_work w WHERE NOT EXISTS "
            "(SELECT 1 FROM works_creatorship c WHERE c.work_id = w.id)",
        }
        for label, sql in checks.items():
            if db.execute(sql).fetchone()[0]:
                found.append(label)
        return found
    finally:
        db.close()


@pytest.mark.slow
def test_sigkill_during_comment_storm_loses_nothing_accepted(tmp_path):
    """Eight clients post comments; the server is SIGKILLed mid-storm. After a restart every
    accepted comment is there exactly once, counters equal rows, and posting works again."""
    env = _setup_archive(tmp_path)
    db_path = tmp_path / "ficarchive.sqlite3"
    work_id = sqlite3.connect(db_path).execute("SELECT MAX(id) FROM works_work").fetchone()[0]
    server = Server(tmp_path, workers=2, env=env)
    server.wait_ready()
    accepted: list[str] = []
    errors: list[int] = []
    stop = threading.Event()

    def storm(n: int) -> None:
        session = Session("127.0.0.1", server.port)
        try:
            logged_in = session.login("crashreader", PASSWORD)
        except OSError:
            return  # the server was killed before this thread had logged in
        if not logged_in:
            errors.append(-1)
            return
        i = 0
        while not stop.is_set():
            i += 1
            body = f"storm comment {n}-{i}"
            try:
                status, _, _ = session.post(
                    f"/works/{work_id}/comments", {"body": body}, token_from=f"/works/{work_id}"
                )
            except OSError:
                return  # the server died under us
            if status == 302:
                accepted.append(body)
            elif status >= 500:
                errors.append(status)

    threads = [threading.Thread(target=storm, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    deadline = time.monotonic() + 20
    while len(accepted) < 40 and time.monotonic() < deadline:
        time.sleep(0.05)
    server.kill(signal.SIGKILL)
    stop.set()
    for t in threads:
        t.join(timeout=60)
    assert len(accepted) >= 40, server.read_log()
    assert not errors, errors

    assert _consistency_problems(db_path) == []
    rows = [
        r[0]
        for r in sqlite3.connect(db_path).execute(
            "SELECT body FROM feedback_comment WHERE work_id = ?", (work_id,)
        )
    ]
    stored = [b for b in rows if "storm comment" in b]
    assert len(stored) == len(set(stored)), "a comment was stored twice"
    missing = [b for b in accepted if not any(b in s for s in stored)]
    assert not missing, missing[:5]

    again = Server(tmp_path, workers=2, env=env)
    try:
        again.wait_ready()
        session = Session("127.0.0.1", again.port)
        assert session.login("crashreader", PASSWORD)
        status, _, _ = session.post(
            f"/works/{work_id}/comments",
            {"body": "after the crash"},
            token_from=f"/works/{work_id}",
        )
        assert status == 302
    finally:
        again.kill(signal.SIGTERM)
    assert _consistency_problems(db_path) == []


@pytest.mark.slow
def test_sigkill_during_bulk_import_leaves_no_half_works(tmp_path):
    """`ficarchive import` of many files is SIGKILLed part-way: every work that exists is whole
    (chapters, creator, counters), and importing again completes."""
    env = _setup_archive(tmp_path)
    db_path = tmp_path / "ficarchive.sqlite3"
    folder = tmp_path / "bulk"
    folder.mkdir()
    paragraph = "The fog lay thick upon the moor, and the lamps burned low. " * 40
    for i in range(150):
        (folder / f"story{i:03}.txt").write_text(
            f"Story number {i}\n\n" + "\n\n".join([paragraph] * 30)
        )
    before = sqlite3.connect(db_path).execute("SELECT COUNT(*) FROM works_work").fetchone()[0]
    proc = subprocess.Popen(
        cli_argv(
            "import",
            *sorted(str(p) for p in folder.iterdir()),
            "--owner",
            "crashauthor",
            "--no-progress",
            "--fandom",
            "Original Work",
            "--json",
        ),
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    first = proc.stdout.readline()  # at least one work is in
    assert first.strip().startswith(b"{")
    time.sleep(0.3)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    during = sqlite3.connect(db_path).execute("SELECT COUNT(*) FROM works_work").fetchone()[0]
    assert before < during < before + 150, "the kill should land part-way through"
    assert _consistency_problems(db_path) == []
    done = subprocess.run(
        cli_argv(
            "import",
            str(folder / "story149.txt"),
            "--owner",
            "crashauthor",
            "--no-progress",
            "--fandom",
            "Original Work",
        ),
        cwd=REPO,
        env=env,
        capture_output=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert _consistency_problems(db_path) == []
