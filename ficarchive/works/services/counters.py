"""Writes to a work's feedback counters (kudos, comments, bookmarks): the works app owns
the ``Work`` table, so the feedback app changes them through these, never by its own
``UPDATE``. Each write tells ``core.changes`` so the filters' sort orders follow."""

from __future__ import annotations

from django.db.models import F

from ficarchive.core import changes

from ..models import Work

COUNTERS = frozenset({"kudos_count", "comment_count", "bookmark_count"})


def _check(counter: str) -> None:
    if counter not in COUNTERS:
        raise ValueError(f"{counter!r} is not a work counter; one of {sorted(COUNTERS)}.")


def work_counter_add(*, work_id: int, counter: str, delta: int) -> None:
    """Add ``delta`` (may be negative) to one counter of the work, atomically in SQL; a
    decrease never takes it below zero. Raises ValueError for an unknown counter."""
    _check(counter)
    if not delta:
        return
    rows = Work.objects.filter(pk=work_id)
    if delta < 0:
        rows = rows.filter(**{f"{counter}__gte": -delta})
    rows.update(**{counter: F(counter) + delta})
    changes.counters_changed([work_id])


def work_counter_set(*, work_ids: dict[int, int], counter: str) -> None:
    """Set one counter of several works to the values given ({work id: value}), e.g. after a
    bulk import recounted them. Raises ValueError for an unknown counter or a negative value."""
    _check(counter)
    if any(value < 0 for value in work_ids.values()):
        raise ValueError("A counter cannot be negative.")
    for work_id, value in work_ids.items():
        Work.objects.filter(pk=work_id).update(**{counter: value})
    changes.counters_changed(list(work_ids))
