"""Search engine entry points. The embedded and PostgreSQL backends sit behind these."""

from __future__ import annotations


def index_works(work_ids: list[int]) -> None:
    """Reindex these works. Filters read the database directly for now."""


def unindex_works(work_ids: list[int]) -> None:
    """Drop these works from the index."""
