"""Reads of the bookmarks in a collection. A bookmark shows only when its work is one the
viewer may list (``Work.objects.listed_for``, i.e. ``works.access.listed_q``): a bookmark
never reveals a draft, a hidden, a restricted (to guests) or an unrevealed work."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from ficarchive.core.viewers import Viewer
from ficarchive.feedback import hooks
from ficarchive.feedback.models import Bookmark
from ficarchive.tags.models import Tag, Tagging
from ficarchive.tags.selectors import tag_closure_ids
from ficarchive.works.models import Work
from ficarchive.works.muting import muted_works_q

from .models import Approval, Collection, CollectionBookmark

SORTS = {"created": ("-created_at", "-id"), "bookmarkable": ("-work__revised_at", "-id")}


@dataclass(frozen=True)
class BookmarkFilters:
    """The collection bookmark page's filters (AO3's bookmark filter sidebar, in part):
    ``tag``: a tag name on the work (its synonyms and subtags included) or among the
    bookmarker's tags; ``rec``: recommendations only; ``with_notes``: bookmarks with notes
    only; ``bookmarker``: one account's bookmarks; ``sort``: ``created`` (date bookmarked,
    newest first) or ``bookmarkable`` (the work's last update)."""

    tag: str = ""
    rec: bool = False
    with_notes: bool = False
    bookmarker: str = ""
    sort: str = "created"

    @classmethod
    def from_query(cls, params) -> BookmarkFilters:
        """From a query string (unknown sorts fall back to ``created``)."""
        sort = params.get("sort", "created")
        return cls(
            tag=" ".join(str(params.get("tag", "")).split())[:150],
            rec=params.get("rec") in ("1", "true", "on"),
            with_notes=params.get("with_notes") in ("1", "true", "on"),
            bookmarker=str(params.get("bookmarker", "")).strip()[:150],
            sort=sort if sort in SORTS else "created",
        )


def _tag_q(name: str) -> Q:
    tag = Tag.objects.filter(name__iexact=name).first()
    if tag is None:
        return Q(pk__in=[])
    ids = tag_closure_ids(tag)
    on_work = Tagging.objects.filter(tag_id__in=ids).values("work_id")
    return Q(work_id__in=on_work) | Q(tags__in=ids)


def collection_bookmarks(
    collection: Collection, viewer: Viewer, filters: BookmarkFilters | None = None
) -> QuerySet[Bookmark]:
    """The approved, public bookmarks of the collection and its sub-collections, of works
    the viewer may list, none by an account the viewer blocked or muted nor of a named
    work by a creator they muted; filtered and
    sorted by ``filters``; ready for blurbs."""
    filters = filters or BookmarkFilters()
    in_collection = CollectionBookmark.objects.filter(
        Q(collection=collection) | Q(collection__parent=collection),
        collection_approval=Approval.APPROVED,
    ).values("bookmark_id")
    qs = Bookmark.objects.filter(
        pk__in=in_collection,
        private=False,
        work__in=Work.objects.listed_for(viewer).values("pk"),
    )
    for hidden in hooks.hidden_authors(viewer):
        qs = qs.exclude(user_id__in=hidden)
    muted = muted_works_q(viewer)  # AO3: bookmarks of a muted creator's works too
    if muted is not None:
        qs = qs.exclude(work__in=Work.objects.filter(muted).values("pk"))
    if filters.tag:
        qs = qs.filter(_tag_q(filters.tag))
    if filters.rec:
        qs = qs.filter(rec=True)
    if filters.with_notes:
        qs = qs.exclude(notes="")
    if filters.bookmarker:
        qs = qs.filter(user__username__iexact=filters.bookmarker)
    return (
        qs.distinct()
        .select_related("pseud__user")
        .prefetch_related("tags", Prefetch("work", queryset=Work.objects.with_blurb_data()))
        .order_by(*SORTS[filters.sort])
    )


def bookmarks_for_review(collection: Collection, viewer: Viewer) -> QuerySet[CollectionBookmark]:
    """Every bookmark put in the collection, for its maintainers' review page, each with
    ``readable``: may the viewer read the bookmarked work (``access.visible_q``)? The page
    names only those (a work hidden since it was bookmarked keeps its title)."""
    from ficarchive.works.access import visible_q

    readable = Work.objects.filter(visible_q(viewer), pk=OuterRef("bookmark__work_id"))
    return (
        collection.bookmark_items.select_related("bookmark__work", "bookmark__pseud")
        .annotate(readable=Exists(readable))
        .order_by("collection_approval", "-created_at")
    )


def own_bookmarks_to_add(collection: Collection, viewer: Viewer) -> QuerySet[Bookmark]:
    """The viewer's public bookmarks of works they may see, not yet in the collection."""
    if not getattr(viewer, "is_authenticated", False):
        return Bookmark.objects.none()
    already = CollectionBookmark.objects.filter(collection=collection).values("bookmark_id")
    return (
        Bookmark.objects.filter(user_id=int(getattr(viewer, "pk", 0) or 0), private=False)
        .filter(work__in=Work.objects.visible_to(viewer).values("pk"))
        .exclude(pk__in=already)
        .select_related("work")
        .order_by("-created_at")
    )
