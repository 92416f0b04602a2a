"""Listeners on ``core.changes``: each event the writers announce becomes one fan-out job,
queued in the writer's own transaction (so the job exists exactly when the write was
committed) and keyed so that hearing an event twice queues it once. Nothing is read or
decided here: the job does that, off the request."""

from __future__ import annotations

from ficarchive.core.jobs import jobs_enqueue

from .tasks import FANOUT


def _queue(event: str, ids: list[int]) -> None:
    jobs_enqueue((FANOUT, {"event": event, "id": i}, f"fanout:{event}:{i}", None) for i in ids)


def chapters_posted(chapter_ids: list[int]) -> None:
    """New chapters: tell the works' subscribers."""
    _queue("chapter", chapter_ids)


def works_posted(work_ids: list[int]) -> None:
    """New works: tell their creators' subscribers (and their series' subscribers)."""
    _queue("work", work_ids)


def series_parts_added(serial_work_ids: list[int]) -> None:
    """A work joined a series: tell the series' subscribers (once the work is posted)."""
    _queue("series_part", serial_work_ids)


def comments_published(comment_ids: list[int]) -> None:
    """Comments and replies, to those feedback put them in the inbox of."""
    _queue("comment", comment_ids)


def kudos_given(kudos_ids: list[int]) -> None:
    """Kudos, to the work's creators."""
    _queue("kudos", kudos_ids)
