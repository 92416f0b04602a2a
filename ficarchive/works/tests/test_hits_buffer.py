"""Hits are buffered (works.hits) and flushed in batches: N visits become +N after the
flush, a visitor counts once per work and day, nothing is lost when the spool is taken
while visits arrive, and a failing buffer (Redis down) still counts, at once."""

from __future__ import annotations

import socket
import threading
import time

import pytest
from django.test import Client, override_settings

from ficarchive.testing import make_user, make_work
from ficarchive.works import hits
from ficarchive.works.models import Work, WorkHit

pytestmark = pytest.mark.django_db
BROWSER = {"HTTP_USER_AGENT": "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0"}


@pytest.fixture
def work():
    return make_work(make_user("hit_author"))


def _count(work: Work) -> int:
    return Work.objects.get(pk=work.pk).hit_count


def test_n_visits_become_n_hits_after_flush(client, work):
    """Twelve visitors: nothing written per view, +12 at the flush, and a reload (same
    visitor, same day) adds nothing."""
    for n in range(12):
        Client().get(f"/works/{work.pk}", REMOTE_ADDR=f"10.2.0.{n}", **BROWSER)
    Client().get(f"/works/{work.pk}", REMOTE_ADDR="10.2.0.0", **BROWSER)  # a reload
    assert _count(work) == 0 and not WorkHit.objects.exists()
    assert hits.hits_flush() == 12
    assert _count(work) == 12 and WorkHit.objects.filter(work=work).count() == 12
    assert hits.hits_flush() == 0


def test_flush_twice_counts_once(work):
    """A visit buffered again after it was flushed (or recorded at once) is one hit."""
    hits.hit_buffer(work_id=work.pk, visitor_key="user:1")
    hits.hits_flush()
    hits.hit_buffer(work_id=work.pk, visitor_key="user:1")
    assert hits.hits_flush() == 0
    assert _count(work) == 1


def test_deleted_work_visits_are_dropped(work):
    """Visits of a work deleted before the flush count nothing and do not stop the flush."""
    other = make_work(make_user("other_author"), title="Other")
    hits.hit_buffer(work_id=work.pk, visitor_key="user:1")
    hits.hit_buffer(work_id=other.pk, visitor_key="user:1")
    Work.objects.filter(pk=other.pk).delete()
    assert hits.hits_flush() == 1 and _count(work) == 1


def test_spool_taken_while_written_loses_nothing(settings, tmp_path):
    """Writers appending while a flusher takes the spool again and again: every line is
    taken exactly once."""
    settings.FICARCHIVE_HOME = tmp_path
    lines = [f"{n} v{n} 2026-01-01" for n in range(2000)]
    taken: list[str] = []
    done = threading.Event()

    def write(part: list[str]) -> None:
        for line in part:
            hits._spool_append(line)

    def take() -> None:
        while True:
            finished = done.is_set()
            for path in hits._spool_take():
                taken.extend(path.read_text().splitlines())
                path.unlink()
            if finished:
                return
            time.sleep(0.001)

    writers = [threading.Thread(target=write, args=(lines[i::4],)) for i in range(4)]
    flusher = threading.Thread(target=take)
    flusher.start()
    for w in writers:
        w.start()
    for w in writers:
        w.join()
    done.set()
    flusher.join()
    assert sorted(taken) == sorted(lines)


def test_buffer_failure_counts_at_once(settings, work):
    """When the buffer fails (Redis configured but down) the hit is written at once."""
    port = _free_port()
    with override_settings(
        REDIS_URL=f"redis://127.0.0.1:{port}/0",
        CACHES={
            "default": {
                "BACKEND": "ficarchive.core.cache_backend.FailSoftRedisCache",
                "LOCATION": f"redis://127.0.0.1:{port}/0",
            }
        },
    ):
        response = Client().get(f"/works/{work.pk}", REMOTE_ADDR="10.3.0.1", **BROWSER)
        assert response.status_code == 200
        assert _count(work) == 1
        hits.hit_buffer(work_id=work.pk, visitor_key="guest:x")
        assert _count(work) == 2


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_redis_buffer_counts_after_flush(redis_url, work):
    """With REDIS_URL the visits wait in Redis: +N only at the flush, reloads once."""
    caches = {
        "default": {
            "BACKEND": "ficarchive.core.cache_backend.FailSoftRedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": "test",
        }
    }
    with override_settings(REDIS_URL=redis_url, CACHES=caches):
        for n in range(5):
            hits.hit_buffer(work_id=work.pk, visitor_key=f"guest:{n}")
        hits.hit_buffer(work_id=work.pk, visitor_key="guest:0")
        assert _count(work) == 0
        assert hits.hits_flush() == 5
        assert _count(work) == 5
        assert hits.hits_flush() == 0
