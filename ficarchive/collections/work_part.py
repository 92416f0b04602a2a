"""The collections' part of a work page (``works.pages.work_page_part_register``): the
collections it is approved in, its gift recipients and its related works. Most works are
in none of these, so one query first asks which of the three exist (a UNION of three
indexed lookups) and only those are loaded: one query for such a work, at most four.
Runs after the page's access check; a related work is named only when the viewer may read
it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Exists, IntegerField, OuterRef, Q, Value
from django.http import HttpRequest

from ficarchive.works.models import Chapter, Work

from .models import Approval, CollectionItem, Gift, LinkStatus, RelatedWork


def _present(work: Work) -> set[int]:
    """Which of collections (0), gifts (1) and related works (2) the work has, in one query."""

    def kind(qs: Any, n: int) -> Any:
        return (
            qs.order_by().annotate(kind=Value(n, output_field=IntegerField())).values_list("kind")
        )

    items = kind(CollectionItem.objects.filter(work=work), 0)
    gifts = kind(Gift.objects.filter(work=work), 1)
    links = kind(RelatedWork.objects.filter(Q(work=work) | Q(parent=work)), 2)
    return {n for (n,) in items.union(gifts, links)}


# The same three questions as ``_present``, as ``Exists`` on ``Work`` read with the work
# page's row (works.pages): for a work read so, the UNION is not asked.
PRESENT_FLAGS: dict[str, Callable[[], Exists]] = {
    "collections_has_items": lambda: Exists(CollectionItem.objects.filter(work=OuterRef("pk"))),
    "collections_has_gifts": lambda: Exists(Gift.objects.filter(work=OuterRef("pk"))),
    "collections_has_links": lambda: Exists(
        RelatedWork.objects.filter(Q(work=OuterRef("pk")) | Q(parent=OuterRef("pk")))
    ),
}


def _present_flags(work: Work) -> set[int] | None:
    """``_present`` from the flags read with the work's row, or None when it was not."""
    flags = [getattr(work, name, None) for name in PRESENT_FLAGS]
    if None in flags:
        return None
    return {n for n, flag in enumerate(flags) if flag}


def work_page_part(request: HttpRequest, work: Work, chapter: Chapter | None) -> dict[str, Any]:
    present = _present_flags(work)
    if present is None:
        present = _present(work)
    empty: dict[str, Any] = {"collections": [], "gifts": [], "sources": [], "derived": []}
    if not present:
        return empty
    collections = (
        [
            item.collection
            for item in CollectionItem.objects.filter(
                work=work,
                collection_approval=Approval.APPROVED,
                creator_approval=Approval.APPROVED,
            ).select_related("collection")
        ]
        if 0 in present
        else []
    )
    gifts = (
        [g.recipient for g in Gift.objects.filter(work=work, refused=False).select_related("pseud")]
        if 1 in present
        else []
    )
    if 2 not in present:
        return {**empty, "collections": collections, "gifts": gifts}
    readable = Work.objects.visible_to(request.user).values("pk")
    links = RelatedWork.objects.filter(
        Q(work=work, parent__isnull=True)
        | Q(work=work, parent__in=readable)
        | Q(parent=work, work__in=readable, status=LinkStatus.APPROVED)
    ).select_related("parent", "work")
    return {
        "collections": collections,
        "gifts": gifts,
        "sources": [link for link in links if link.work_id == work.pk],
        "derived": [link for link in links if link.parent_id == work.pk],
    }
