"""The job queue: registry, once-only keys, retries with back-off, stale recovery, and
`ficarchive worker --until-idle`."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from ficarchive.core import jobs
from ficarchive.core.models import Job

pytestmark = pytest.mark.django_db

CALLS: list[dict] = []


def _ok(payload: dict) -> None:
    CALLS.append(payload)


def _flaky(payload: dict) -> None:
    CALLS.append(payload)
    if len(CALLS) < 3:
        raise ConnectionError("down")


@pytest.fixture(autouse=True)
def kinds(settings):
    settings.FICARCHIVE_TASK_MODE = "worker"
    CALLS.clear()
    jobs.job_register("test.ok", _ok)
    jobs.job_register("test.flaky", _flaky, max_attempts=3)
    yield
    jobs._KINDS.pop("test.ok", None)
    jobs._KINDS.pop("test.flaky", None)


def test_runs_and_keys_make_once_only():
    jobs.job_enqueue("test.ok", {"n": 1}, key="k1")
    jobs.job_enqueue("test.ok", {"n": 2}, key="k1")
    jobs.job_enqueue("test.ok", {"n": 3})
    assert jobs.jobs_run_pending() == 2
    assert CALLS == [{"n": 1}, {"n": 3}]
    assert jobs.jobs_run_pending() == 0


def test_unknown_kind_refused():
    with pytest.raises(ValueError):
        jobs.job_enqueue("test.nothing", {})


def test_retry_with_backoff_then_fail():
    jobs.job_enqueue("test.flaky", {})
    jobs.jobs_run_pending()
    job = Job.objects.get()
    assert job.status == "queued" and job.attempts == 1 and "down" in job.error
    assert job.run_after - timezone.now() > dt.timedelta(seconds=25)
    Job.objects.update(run_after=timezone.now())
    jobs.jobs_run_pending()
    job.refresh_from_db()
    assert job.attempts == 2 and job.run_after - timezone.now() > dt.timedelta(seconds=55)
    Job.objects.update(run_after=timezone.now())
    jobs.jobs_run_pending()
    job.refresh_from_db()
    assert job.status == "done" and len(CALLS) == 3


def test_gives_up_after_max_attempts():
    jobs.job_register("test.flaky", lambda p: (_ for _ in ()).throw(OSError("no")), max_attempts=2)
    jobs.job_enqueue("test.flaky", {})
    for _ in range(3):
        Job.objects.filter(status="queued").update(run_after=timezone.now())
        jobs.jobs_run_pending()
    job = Job.objects.get()
    assert job.status == "failed" and job.attempts == 2


def test_atomic_handler_rolls_back_its_writes():
    from ficarchive.testing import make_user

    def boom(payload):
        make_user("halfway")
        raise RuntimeError("crash")

    jobs.job_register("test.ok", boom)
    jobs.job_enqueue("test.ok", {})
    jobs.jobs_run_pending()
    from ficarchive.accounts.models import User

    assert not User.objects.filter(username="halfway").exists()


def test_stale_running_job_is_run_again():
    jobs.job_enqueue("test.ok", {"n": 1})
    Job.objects.update(status="running", claimed_at=timezone.now() - dt.timedelta(hours=1))
    assert jobs.jobs_run_pending() == 1
    assert CALLS == [{"n": 1}]


def test_later_jobs_do_not_keep_until_idle_waiting():
    jobs.job_enqueue("test.ok", {"n": 1}, run_after=timezone.now() + dt.timedelta(hours=1))
    jobs.job_enqueue("test.ok", {"n": 2})
    call_command("worker", "--until-idle")
    assert CALLS == [{"n": 2}]


def test_worker_command_until_idle_exits_zero(tmp_path):
    """`ficarchive worker --until-idle` on a fresh data folder: migrates, drains, exits 0."""
    root = Path(__file__).resolve().parents[3]
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(FICARCHIVE_HOME=str(tmp_path), PYTHONPATH=str(root))
    env.pop("DJANGO_SETTINGS_MODULE", None)
    done = subprocess.run(
        [sys.executable, "-m", "ficarchive", "worker", "--until-idle"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr


def test_worker_runs_download_builds_too(client, author, monkeypatch):
    """One worker drains every queue: a download build queued by a reader is built by
    `ficarchive worker --until-idle`."""
    from ficarchive.testing import make_work
    from ficarchive.transfer.models import DownloadJob

    monkeypatch.setattr(
        "ficarchive.transfer.downloads.convert_epub", lambda epub, fmt, **kw: b"%PDF-1.4 fake"
    )
    work = make_work(author)
    assert client.get(f"/downloads/{work.pk}/{work.slug}.pdf").status_code == 202
    call_command("worker", "--until-idle")
    assert DownloadJob.objects.get(work=work).status == "done"
    assert client.get(f"/downloads/{work.pk}/{work.slug}.pdf").status_code == 200


SETUP = """
import django
django.setup()
from ficarchive.core.schema import migrate_if_needed
migrate_if_needed()
from ficarchive.notify.services import subscription_create
from ficarchive.testing import make_user, make_work
from ficarchive.works.services import ChapterInput, chapter_add
author, reader = make_user("cli_author"), make_user("cli_reader")
work = make_work(author)
subscription_create(actor=reader, work=work.pk)
chapter_add(actor=author, work=work, chapter=ChapterInput(body="Two."))
"""


def test_worker_until_idle_sends_queued_mail(tmp_path):
    """Jobs queued by one process (a new chapter, FICARCHIVE_TASK_MODE=worker) are run by
    `ficarchive worker --until-idle`, which then exits 0: the mail reaches the server."""
    from ficarchive.notify.loopback import SmtpServer, free_port

    root = Path(__file__).resolve().parents[3]
    server = SmtpServer(free_port())
    server.start()
    env = {
        k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    env.update(
        FICARCHIVE_HOME=str(tmp_path),
        PYTHONPATH=str(root),
        DJANGO_SETTINGS_MODULE="config.settings.base",
        FICARCHIVE_TASK_MODE="worker",
        FICARCHIVE_EMAIL_HOST="127.0.0.1",
        FICARCHIVE_EMAIL_PORT=str(server.port),
        FICARCHIVE_EMAIL_USE_TLS="0",
    )
    try:
        made = subprocess.run(
            [sys.executable, "-c", SETUP], env=env, capture_output=True, text=True, timeout=300
        )
        assert made.returncode == 0, made.stderr
        assert server.messages == []
        done = subprocess.run(
            [sys.executable, "-m", "ficarchive", "worker", "--until-idle"],
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, done.stderr
        assert [m["To"] for m in server.messages] == ["cli_reader@example.org"]
    finally:
        server.stop()
