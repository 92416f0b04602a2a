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


def test_creator_subscribers_hear_of_new_chapters_once(author, user, work, drain):
    """AO3: following a creator means a mail for each new work *and* new chapter; a reader
    following both the work and its creator gets one notification and one mail."""
    reader2 = User.objects.create(username="second", email="second@example.org")
    drain()
    outbox.outbox.clear()
    Subscription.objects.create(user=user, kind="user", creator=author)
    Subscription.objects.create(user=user, kind="work", work=work)
    Subscription.objects.create(user=reader2, kind="user", creator=author)
    chapter = chapter_add(actor=author, work=work, chapter=ChapterInput(body="Two."))
    drain()
    assert sorted(m.to[0] for m in outbox.outbox) == sorted([user.email, reader2.email])
    assert Notification.objects.filter(key=f"chapter:{chapter.pk}").count() == 2


def test_a_new_work_in_a_followed_series_by_a_followed_creator_is_one_mail(author, user, drain):
    """Following a creator and their series: their new part is one mail, not two."""
    from ficarchive.testing import make_work
    from ficarchive.works.services import series_add_work

    first = make_work(author, title="Part One")
    series = series_add_work(actor=author, work=first, series_title="Saga")
    drain()
    Subscription.objects.create(user=user, kind="user", creator=author)
    Subscription.objects.create(user=user, kind="series", series=series)
    outbox.outbox.clear()
    second = make_work(author, title="Part Two")
    series_add_work(actor=author, work=second, series_title="Saga")
    drain()
    assert [m.to[0] for m in outbox.outbox] == [user.email]
    assert "Part Two" in outbox.outbox[0].subject


def test_anonymous_work_chapters_never_reach_creator_subscribers(author, user, drain):
    """A new chapter of an anonymous work: the creator's subscribers hear nothing."""
    from ficarchive.testing import make_work

    secret = make_work(author, title="Secret", anonymous=True)
    drain()
    Subscription.objects.create(user=user, kind="user", creator=author)
    outbox.outbox.clear()
    chapter_add(actor=author, work=secret, chapter=ChapterInput(body="Two."))
    drain()
    assert outbox.outbox == [] and not Notification.objects.filter(user=user).exists()
