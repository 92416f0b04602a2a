"""Reads of the reading app: history, Marked for Later, the reading list, read state for
blurbs and the search plan's reader sets. Every list keeps only works the viewer may open
now (``works.access.visible_q``): a work that became restricted, hidden or a draft since it
was read drops out of the list rather than showing what the reader may no longer see."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import connections, router
from django.db.models import F, QuerySet

from ficarchive.core.viewers import Viewer, user_or_none
from ficarchive.feedback.models import Bookmark, Kudos
from ficarchive.works.access import visible_q
from ficarchive.works.models import Chapter, Work

from .models import ReaderSettings, Reading, ReadingListEntry


def _visible_ids(viewer: Viewer) -> QuerySet[Work, Any]:
    return Work.objects.filter(visible_q(viewer)).values("pk")


def later_flag(user: Any, work_id: int) -> bool:
    """Is this work on the user's Marked for Later list?"""
    if not getattr(user, "is_authenticated", False):
        return False
    return Reading.objects.filter(user_id=user.pk, work_id=work_id, marked_for_later=True).exists()


def reader_settings(user: Any) -> ReaderSettings:
    """The user's reading settings (the defaults, unsaved, when they never changed them)."""
    return ReaderSettings.objects.filter(user_id=user.pk).first() or ReaderSettings(user_id=user.pk)


def history_for(user: Any) -> QuerySet[Reading]:
    """The user's history, last visited first: works they may still open, with the work's
    blurb data and the last chapter read."""
    return (
        Reading.objects.filter(user_id=user.pk, views__gt=0, work_id__in=_visible_ids(user))
        .select_related("work", "last_chapter")
        .order_by("-visited_at", "-id")
    )


def later_for(user: Any) -> QuerySet[Reading]:
    """The user's Marked for Later list, last marked first (works they may still open)."""
    return (
        Reading.objects.filter(
            user_id=user.pk, marked_for_later=True, work_id__in=_visible_ids(user)
        )
        .select_related("work", "last_chapter")
        .order_by("-marked_at", "-id")
    )


def reading_list_for(owner: Any, viewer: Viewer, status: str = "") -> QuerySet[ReadingListEntry]:
    """``owner``'s reading list as ``viewer`` sees it (works the viewer may open), newest
    change first, optionally of one status. Private lists are for their owner only: the
    caller checks ``reading_list_visible`` first."""
    entries = ReadingListEntry.objects.filter(
        user_id=owner.pk, work_id__in=_visible_ids(viewer)
    ).select_related("work")
    if status:
        entries = entries.filter(status=status)
    return entries.order_by("-updated_at", "-id")


def reading_list_visible(owner: Any, viewer: Viewer) -> bool:
    """May ``viewer`` see ``owner``'s reading list? The owner always; others only when the
    owner made it public (lists are private by default)."""
    user = user_or_none(viewer)
    if user is not None and user.pk == owner.pk:
        return True
    return reader_settings(owner).reading_list_public


def reading_list_status(user: Any, work_id: int) -> str:
    """The work's status on the user's reading list ("" when not on it)."""
    if not getattr(user, "is_authenticated", False):
        return ""
    return (
        ReadingListEntry.objects.filter(user_id=user.pk, work_id=work_id)
        .values_list("status", flat=True)
        .first()
        or ""
    )


# --- read state: blurbs and the search plan ----------------------------------------------


@dataclass(frozen=True)
class ReadState:
    """What a blurb says about the reader and a work: read before, how many chapters were
    posted since the last visit, and whether it is marked for later."""

    read: bool = False
    new_chapters: int = 0
    later: bool = False


def blurb_states(viewer: Viewer, works: list[Work]) -> None:
    """Set ``work.read_state`` (a ``ReadState``) on each work for a signed-in viewer, in
    one query; guests get nothing (no attribute)."""
    user = user_or_none(viewer)
    if user is None or not works:
        return
    ids = [w.pk for w in works]
    # Plain SQL on every listing page of a signed-in reader: the ORM's compiling of this
    # small read was a sixth of the page (issue 17's profile).
    with connections[router.db_for_read(Reading)].cursor() as cursor:
        cursor.execute(
            f"SELECT work_id, views, chapters_seen, marked_for_later FROM {Reading._meta.db_table}"  # noqa: S608
            f" WHERE user_id = %s AND work_id IN ({', '.join(['%s'] * len(ids))})",
            [user.pk, *ids],
        )
        rows = cursor.fetchall()
    found = {work_id: (views, seen, bool(later)) for work_id, views, seen, later in rows}
    for work in works:
        views, seen, later = found.get(work.pk, (0, 0, False))
        new = max(0, work.chapter_count - seen) if views else 0
        work.read_state = ReadState(read=views > 0, new_chapters=new, later=later)  # type: ignore[attr-defined]


def read_work_ids(user_id: int) -> QuerySet[Reading, Any]:
    """The ids of the works this reader has opened, as a subquery (``values("work_id")``)
    for ``pk__in=``: the database reads the history, no list of ids travels."""
    return Reading.objects.filter(user_id=user_id, views__gt=0).values("work_id")


def updated_work_ids(user_id: int) -> QuerySet[Reading, Any]:
    """The ids of the works that had a chapter posted since this reader last opened them
    (the blurb's "N new chapters"), as a subquery for ``pk__in=``."""
    return Reading.objects.filter(
        user_id=user_id, views__gt=0, work__chapter_count__gt=F("chapters_seen")
    ).values("work_id")


def _kudosed_ids(user_id: int) -> QuerySet[Any, Any]:
    return Kudos.objects.filter(user_id=user_id, work_id__isnull=False).values("work_id")


def _bookmarked_ids(user_id: int) -> QuerySet[Any, Any]:
    # Not NULL: a NULL in a NOT IN subquery would hide every work.
    return Bookmark.objects.filter(user_id=user_id, work_id__isnull=False).values("work_id")


_SETS = {
    "read": read_work_ids,
    "updated_since_read": updated_work_ids,
    "kudosed": _kudosed_ids,
    "bookmarked": _bookmarked_ids,
}


def reader_subquery(user_id: int, name: str) -> QuerySet[Any, Any]:
    """For the SQL engine: the works of one of ``reader_sets``' names as a subquery of ids
    (``values("work_id")``, for ``pk__in=``). ``KeyError`` for an unknown name."""
    return _SETS[name](user_id)


def reader_sets(user_id: int, names: frozenset[str]) -> dict[str, frozenset[int]]:
    """For the bitmap engine: the ids of the works this reader has read ("read"), that had
    a chapter posted since they read them ("updated_since_read"), that they left kudos on
    ("kudosed") or bookmarked ("bookmarked"); one query per name asked for."""
    return {
        name: frozenset(_SETS[name](user_id).values_list("work_id", flat=True))
        for name in names
        if name in _SETS
    }


# --- e-reader shelves ------------------------------------------------------------------


def next_unread_chapter(reading: Reading, chapters: list[Chapter]) -> Chapter | None:
    """The chapter after the last one read, among the work's posted ``chapters`` in order
    (the first when the last read is gone); None when the reader has read to the end."""
    if not chapters:
        return None
    if reading.last_chapter_id is None:
        return chapters[0]
    for index, chapter in enumerate(chapters):
        if chapter.pk == reading.last_chapter_id:
            return chapters[index + 1] if index + 1 < len(chapters) else None
    return chapters[0]
