"""The mail benchmark of docs/benchmarks.md: a chapter posted to a work with N
subscribers, queued, then sent through a local SMTP server (aiosmtpd in this process)."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.test.utils import override_settings

from ficarchive.accounts.models import User
from ficarchive.core.jobs import job_run
from ficarchive.core.models import Job
from ficarchive.works.services import ChapterInput, chapter_add

from .models import OutgoingMail, Subscription
from .tasks import FANOUT


def _run_kind(kind: str | None) -> int:
    ran = 0
    while True:
        qs = Job.objects.filter(status="queued")
        if kind:
            qs = qs.filter(kind=kind)
        ids = list(qs.order_by("pk").values_list("pk", flat=True)[:200])
        if not ids:
            return ran
        for pk in ids:
            ran += job_run(pk)


def bench_mail(*, subscribers: int) -> dict[str, Any]:
    """Make a work with ``subscribers`` subscribers (bulk, not timed), post a chapter, and
    time: the posting request; the fan-out to queued mails; sending them all through an
    SMTP server on loopback, one worker. Returns the figures: wall-clock seconds, and the
    process's CPU seconds (``*_cpu_seconds``, the SMTP server's thread included), which a
    machine shared with other work does not inflate; counts."""
    from ficarchive.testing import make_user, make_work

    from .loopback import SmtpServer, free_port

    stamp = int(time.time())
    author = make_user(f"bench_author_{stamp}")
    work = make_work(author, title=f"Bench {stamp}")
    _run_kind(None)
    User.objects.bulk_create(
        [
            User(username=f"bench_{stamp}_{i}", email=f"b{i}@example.org")
            for i in range(subscribers)
        ],
        batch_size=1000,
    )
    readers = User.objects.filter(username__startswith=f"bench_{stamp}_").values_list(
        "pk", flat=True
    )
    Subscription.objects.bulk_create(
        [Subscription(user_id=uid, kind="work", work=work) for uid in readers], batch_size=1000
    )
    server = SmtpServer(free_port())
    server.start()
    smtp = {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": server.port,
        "EMAIL_USE_TLS": False,
        "FICARCHIVE_TASK_MODE": "worker",
    }
    try:
        with override_settings(**smtp):
            t0 = time.perf_counter()
            chapter_add(actor=author, work=work, chapter=ChapterInput(body="Onward.", title="Two"))
            t1 = time.perf_counter()
            c1 = time.process_time()
            fanout_jobs = _run_kind(FANOUT)
            t2, c2 = time.perf_counter(), time.process_time()
            queued = OutgoingMail.objects.filter(user_id__in=readers).count()
            _run_kind(None)
            t3, c3 = time.perf_counter(), time.process_time()
    finally:
        server.stop()
    return {
        "subscribers": subscribers,
        "database": settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1],
        "post_chapter_seconds": round(t1 - t0, 3),
        "fanout_jobs": fanout_jobs,
        "queue_seconds": round(t2 - t1, 3),
        "queue_cpu_seconds": round(c2 - c1, 3),
        "mails_queued": queued,
        "send_seconds": round(t3 - t2, 3),
        "send_cpu_seconds": round(c3 - c2, 3),
        "mails_received": len(server.messages),
        "mails_per_second": round(len(server.messages) / (t3 - t2), 1) if t3 > t2 else None,
    }
