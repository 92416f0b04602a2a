"""One bitmap index for all workers, kept fresh in the gunicorn master (``keeper``): a
process forked from it answers like a fresh build and sees the writes made after its
parent last looked; a fork never copies a refresh half done; the master warms itself."""

from __future__ import annotations

import json
import os
import threading
import time

import pytest
from django.contrib.auth.models import AnonymousUser

from ficarchive.discovery import bitmaps, keeper
from ficarchive.discovery.engines.bitmap import matches
from ficarchive.discovery.forms import FilterParams
from ficarchive.discovery.plan import build_plan
from ficarchive.testing import make_user, make_work

GUEST = AnonymousUser()


def _in_child(run) -> dict:
    """Fork; the child runs ``run()`` and sends back its JSON answer; never raises in the
    child (a failed child answers {"error": ...})."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: answer and leave without running pytest's teardown
        os.close(read)
        try:
            out = json.dumps(run())
        except BaseException as exc:  # noqa: BLE001 - reported to the parent
            out = json.dumps({"error": repr(exc)})
        os.write(write, out.encode())
        os._exit(0)
    os.close(write)
    with os.fdopen(read) as pipe:
        data = pipe.read()
    os.waitpid(pid, 0)
    return json.loads(data)


def _doctor_who(index: bitmaps.BitmapIndex) -> list[int]:
    return sorted(matches(index, build_plan(GUEST, FilterParams.from_data({"tag": "Doctor Who"}))))


@pytest.mark.django_db
def test_a_forked_worker_answers_like_a_fresh_build_and_sees_later_writes(archive, settings):
    """The parent builds its index, then a work is posted and one hidden; a process forked
    afterwards (a worker started after a crash) patches both in from the change log, with
    no rebuild, and answers as an index built from scratch does."""
    from ficarchive.works.services import work_hide

    settings.DISCOVERY_BITMAPS = True
    bitmaps.reset()
    master = bitmaps.get_index()
    before = _doctor_who(master)
    new = make_work(make_user("dana"), title="Fresh", fandoms=["Doctor Who"], chapters=["New."])
    work_hide(
        actor=make_user("mod", is_staff=True, is_superuser=True), work=archive.w3, hidden=True
    )

    def worker() -> dict:
        builds: list[int] = []
        real = bitmaps.BitmapIndex.build
        bitmaps.BitmapIndex.build = lambda self: (builds.append(1), real(self))[1]
        index = bitmaps.get_index()
        inherited = index is master
        seen = _doctor_who(index)
        fresh = bitmaps.BitmapIndex()
        real(fresh)
        return {
            "inherited": inherited,
            "rebuilt": bool(builds),
            "seen": seen,
            "fresh": _doctor_who(fresh),
        }

    child = _in_child(worker)
    assert "error" not in child, child
    assert child["inherited"] and not child["rebuilt"]
    assert child["seen"] == child["fresh"] == sorted({archive.w2.pk, new.pk})
    assert before == sorted({archive.w2.pk, archive.w3.pk})
    bitmaps.reset()


def test_a_fork_waits_for_the_round_in_progress(monkeypatch):
    """A fork that comes while the keeper's thread is patching waits for the round to end:
    the child finds the round done and the round lock free (never a lock held by a thread
    it does not have)."""
    inside, done = threading.Event(), threading.Event()

    def slow_refresh(**_options):
        inside.set()
        time.sleep(0.3)
        done.set()

    monkeypatch.setattr(keeper.bitmaps, "get_index", slow_refresh)
    monkeypatch.setattr(keeper.connections, "close_all", lambda: None)
    keeper.start(0.01)
    try:
        assert keeper.running()
        assert inside.wait(10)
        child = _in_child(
            lambda: {"done": done.is_set(), "free": keeper._ROUND.acquire(blocking=False)}
        )
    finally:
        keeper.stop()
    assert child == {"done": True, "free": True}
    assert not keeper.running()


@pytest.mark.django_db
def test_a_keeper_round_catches_up_the_index(archive, settings, monkeypatch):
    """One round brings this process's index up to date (a patch, not a rebuild)."""
    settings.DISCOVERY_BITMAPS = True
    monkeypatch.setattr(keeper.connections, "close_all", lambda: None)  # the test's own
    bitmaps.reset()
    index = bitmaps.get_index()
    new = make_work(make_user("erin"), title="Later", fandoms=["Doctor Who"], chapters=["X."])
    assert new.pk not in index.all
    keeper.refresh_once()
    assert bitmaps.get_index() is index and new.pk in index.all
    bitmaps.reset()


@pytest.mark.django_db
def test_warm_renders_a_guest_listing(archive, monkeypatch):
    monkeypatch.setattr(keeper.connections, "close_all", lambda: None)
    assert keeper.warm() == 200


def test_interval_setting(monkeypatch):
    monkeypatch.setenv("FICARCHIVE_INDEX_REFRESH_SECONDS", "0.5")
    assert keeper.interval() == 0.5
    for bad in ("soon", "-1", "0"):
        monkeypatch.setenv("FICARCHIVE_INDEX_REFRESH_SECONDS", bad)
        assert keeper.interval() == keeper.DEFAULT_INTERVAL
    monkeypatch.delenv("FICARCHIVE_INDEX_REFRESH_SECONDS")
    assert keeper.interval() == keeper.DEFAULT_INTERVAL


@pytest.mark.django_db
def test_counter_sorts_are_reread_outside_the_round(archive, settings, monkeypatch):
    """Stale counter sorts are read with the round lock free (a fork need not wait for the
    read) and swapped in after: the kudos order then matches the database."""
    from ficarchive.works.models import Work

    settings.DISCOVERY_BITMAPS = True
    monkeypatch.setattr(keeper.connections, "close_all", lambda: None)
    bitmaps.reset()
    index = bitmaps.get_index()
    Work.objects.filter(pk=archive.w4.pk).update(kudos_count=10_000)  # no change-log row
    for key in bitmaps.COUNTER_SORTS:
        index.sorts[key].built_at -= bitmaps.COUNTER_REFRESH_SECONDS + 1
    held_during_read = []
    real_read = bitmaps.BitmapIndex.read_counters

    def read(self, stale):
        held_during_read.append(keeper._ROUND.locked())
        return real_read(self, stale)

    monkeypatch.setattr(bitmaps.BitmapIndex, "read_counters", read)
    keeper.refresh_once()
    assert held_during_read == [False]
    assert index.sorts["kudos"].value[archive.w4.pk] == 10_000
    assert not index.stale_counters()
    bitmaps.reset()
