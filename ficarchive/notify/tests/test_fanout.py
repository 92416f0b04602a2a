"""Fan-out to many subscribers: batched jobs, bounded queries, nothing twice."""

from __future__ import annotations

import pytest
from django.core import mail as outbox
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ficarchive.accounts.models import User
from ficarchive.core.jobs import job_run
from ficarchive.core.models import Job
from ficarchive.notify import tasks
from ficarchive.notify.models import Notification, OutgoingMail, Subscription
from ficarchive.works.services import ChapterInput, chapter_add

pytestmark = pytest.mark.django_db


def _readers(n: int) -> list[User]:
    User.objects.bulk_create([User(username=f"r{i}", email=f"r{i}@example.org") for i in range(n)])
    return list(User.objects.filter(username__startswith="r").exclude(username="reader"))


def test_batches_and_bounded_queries(monkeypatch, author, work, drain):
    """Each fan-out job handles one batch in the same number of queries, whatever the batch
    size, and queues the next; every subscriber gets one notification and one mail."""
    drain()  # the work's own "new work" fan-out
    readers = _readers(25)
    Subscription.objects.bulk_create(
        [Subscription(user=r, kind="work", work=work) for r in readers]
    )
    chapter_add(actor=author, work=work, chapter=ChapterInput(body="Two."))
    counts = []
    for batch in (5, 10):
        monkeypatch.setattr(tasks, "BATCH", batch)
        job = Job.objects.filter(kind="notify.fanout", status="queued").first()
        with CaptureQueriesContext(connection) as queries:
            job_run(job.pk)
        counts.append(len(queries))
    assert counts[0] == counts[1]  # constant per batch, not per subscriber
    drain()
    assert Job.objects.filter(kind="notify.fanout", payload__event="chapter").count() == 4
    assert Notification.objects.filter(kind="subscription").count() == 25
    assert OutgoingMail.objects.count() == 25 and len(outbox.outbox) == 25
    assert len({m.to[0] for m in outbox.outbox}) == 25


def test_fanout_run_twice_makes_nothing_twice(author, work, drain):
    drain()
    readers = _readers(3)
    Subscription.objects.bulk_create(
        [Subscription(user=r, kind="work", work=work) for r in readers]
    )
    chapter = chapter_add(actor=author, work=work, chapter=ChapterInput(body="Two."))
    tasks.fanout_run({"event": "chapter", "id": chapter.pk})
    tasks.fanout_run({"event": "chapter", "id": chapter.pk})  # a crash made the job run again
    drain()
    assert Notification.objects.count() == 3 and len(outbox.outbox) == 3
