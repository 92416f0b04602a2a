"""Reads of a reader's own discovery settings (mutes, saved filters), and ``filter_works``,
the listing pages' older name for ``search.search_works``.

Listing and searching works lives in ``search`` (the entry point), ``plan`` (the request
resolved once) and ``engines`` (the SQL and bitmap executors)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from ficarchive.core.viewers import OPERATOR, Viewer, user_or_none
from ficarchive.works.models import Work

from .fastreads import saved_filters
from .models import Mute, SavedFilter
from .plan import WithinTags, WithinWorks
from .search import Result, search_works

__all__ = ["OPERATOR", "filter_works", "mutes_for", "saved_filters_for"]


def filter_works(
    viewer: Viewer,
    params: Any,
    base: QuerySet[Work] | WithinTags | None = None,
    *,
    base_visible: bool = False,
    **options: Any,
) -> Result:
    """``search.search_works`` with the older ``base`` argument: a tag's closure
    (``plan.within_tag``) or a queryset of works to stay within; ``base_visible``: that
    queryset already is the viewer's privacy rule for the page. ``options``: as
    ``search_works`` (page_size, facets, snippets, default_sort, page, cursor, engine)."""
    within = WithinWorks(base, is_gate=base_visible) if isinstance(base, QuerySet) else base
    return search_works(viewer, params, within=within, **options)


def mutes_for(user: Viewer) -> list[Mute]:
    """The reader's mutes, for the mutes page (none for guests)."""
    account = user_or_none(user)
    if account is None:
        return []
    return list(
        Mute.objects.filter(user_id=account.pk).select_related("tag", "creator", "fandom", "work")
    )


def saved_filters_for(user: Viewer) -> list[SavedFilter]:
    """The reader's saved filters, by name (none for guests)."""
    account = user_or_none(user)
    if account is None:
        return []
    return saved_filters(int(account.pk))
