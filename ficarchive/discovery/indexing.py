"""The hook services call after changing what search and filters see.

Services call these explicitly (never through signals), inside their transaction; the
work is queued with transaction.on_commit so a rolled-back write indexes nothing."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction


def works_changed(work_ids: Iterable[int]) -> None:
    """Ask for these works to be reindexed once the current transaction commits."""
    ids = sorted(set(work_ids))
    if not ids:
        return
    transaction.on_commit(lambda: reindex_works(ids))


def work_changed(work_id: int) -> None:
    works_changed([work_id])


def tags_changed(tag_ids: Iterable[int]) -> None:
    """After wrangling (synonym, rename, parent): reindex the text of the works carrying
    these tags. Filters read wrangling live; only the full-text document holds names."""
    ids = sorted(set(tag_ids))
    if ids:
        transaction.on_commit(lambda: _reindex_tag_works(ids))


def _reindex_tag_works(tag_ids: list[int]) -> None:
    from . import engine

    engine.index_works(engine.works_of_tags(tag_ids))


def works_removed(work_ids: Iterable[int]) -> None:
    ids = sorted(set(work_ids))
    if ids:
        transaction.on_commit(lambda: unindex_works(ids))


def reindex_works(work_ids: list[int]) -> None:
    """Bring the search index up to date for these works (the engine lives in discovery)."""
    from . import engine

    engine.index_works(work_ids)


def unindex_works(work_ids: list[int]) -> None:
    from . import engine

    engine.unindex_works(work_ids)
