"""What search and filters do when a service changes what they see.

Services say what changed through ``ficarchive.core.changes`` (never through signals),
inside their transaction; ``DiscoveryConfig.ready`` makes these functions its listeners. The
index lives in the same database, so it is written right there, in the same transaction:
a rolled-back write indexes nothing, and a committed one is searchable at once (the
freshness the filter promises), with no queue to fall behind."""

from __future__ import annotations

from collections.abc import Iterable


def works_changed(work_ids: Iterable[int]) -> None:
    """Reindex these works now (inside the caller's transaction)."""
    ids = sorted(set(work_ids))
    if ids:
        reindex_works(ids)
        _log(ids)


def work_changed(work_id: int) -> None:
    works_changed([work_id])


def works_removed(work_ids: Iterable[int]) -> None:
    """Drop these works from the index (after the caller deleted them)."""
    ids = sorted(set(work_ids))
    if ids:
        unindex_works(ids)
        _log(ids)


def counters_changed(work_ids: Iterable[int]) -> None:
    """Kudos, comment or bookmark counts changed: the text index holds no counters, so
    only the filters' sort orders need to hear of it (at once, in every process)."""
    ids = sorted(set(work_ids))
    if ids:
        _log(ids)


def _log(work_ids: list[int]) -> None:
    """Tell every process's bitmap index (bitmaps.py) these works changed."""
    from .bitmaps import log_changes

    log_changes(work_ids)


def tags_changed(tag_ids: Iterable[int]) -> None:
    """After a rename or a synonym change: reindex, now and in the caller's transaction,
    the works carrying these tags or their synonyms. Their text documents hold tag and
    canonical names and their search entries the distinct fandoms (crossovers); filters
    read the closure live, so meta tags and fandom links need no reindex."""
    ids = sorted(set(tag_ids))
    if ids:
        from ficarchive.tags.models import Tag

        from . import engine

        synonyms = Tag.objects.filter(synonym_of_id__in=ids).values_list("pk", flat=True)
        works_changed(engine.works_of_tags([*ids, *synonyms]))


def reindex_works(work_ids: list[int]) -> None:
    """Bring the search index up to date for these works (the engine lives in discovery)."""
    from . import engine

    engine.index_works(work_ids)


def unindex_works(work_ids: list[int]) -> None:
    from . import engine

    engine.unindex_works(work_ids)
