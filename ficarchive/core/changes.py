"""Change notices: the one path from a write to everything derived from it.

The services that own works, tags and feedback call these after a write that changes what
search, filters or caches would return. The apps that keep derived data (the search
indexes in ``discovery``, the download cache in ``transfer``) register listeners from
their ``AppConfig.ready()``. So the lower layers never import the upper ones, and a
writer cannot forget an index: it only says what changed.

Listeners run synchronously, in the caller's transaction, in the order registered: an
index kept in the same database is written with the data and rolled back with it. A
listener that must wait for the commit (deleting files) defers itself with
``transaction.on_commit``. Nothing here is a Django signal: the calls are explicit, and
a listener that raises makes the write fail."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from enum import Enum


class Change(Enum):
    """What changed; each listener hears of one kind, with the ids concerned."""

    WORKS = "works"  # work ids: rows, chapters, creators or tags of these works changed
    WORKS_REMOVED = "works_removed"  # work ids, after the works were deleted
    # work ids, just before they are deleted (their rows and links still there): apps that
    # name these works on other works' pages move those pages on.
    WORKS_DELETING = "works_deleting"
    TAGS = "tags"  # tag ids: renamed or wrangled (synonym, merge, split), not retagged works
    COUNTERS = "counters"  # work ids: kudos, comment, bookmark or hit counts changed
    PSEUDS_CLAIMED = "pseuds_claimed"  # pseud ids: an unclaimed (imported) pseud joined an account
    PSEUDS_RENAMED = "pseuds_renamed"  # pseud ids: renamed (comment bylines show the name)
    # Events readers are told of (the notify app listens; see works_posted and below).
    WORKS_POSTED = "works_posted"  # work ids: posted for the first time (new or a draft posted)
    CHAPTERS_POSTED = "chapters_posted"  # chapter ids: a new chapter of a posted work
    SERIES_PARTS_ADDED = "series_parts_added"  # SerialWork ids: a work joined a series
    COMMENTS_PUBLISHED = "comments_published"  # comment ids: published, inbox items made
    KUDOS_GIVEN = "kudos_given"  # kudos ids
    # work ids: what their pages show beyond search and listings changed (a comment edited,
    # a thread frozen or hidden, the work's skin): cached work pages move to new keys.
    WORK_PAGES = "work_pages"


Listener = Callable[[list[int]], None]
MergeListener = Callable[[int, int], None]
_LISTENERS: dict[Change, list[Listener]] = {kind: [] for kind in Change}
_MERGE_LISTENERS: list[MergeListener] = []


def listen(kind: Change, listener: Listener) -> None:
    """Call ``listener(ids)`` on every notice of this kind (registered once, however many
    times ``ready()`` runs)."""
    if listener not in _LISTENERS[kind]:
        _LISTENERS[kind].append(listener)


def listen_pseud_merged(listener: MergeListener) -> None:
    """Call ``listener(pseud_id, into_id)`` when one pseud is merged into another."""
    if listener not in _MERGE_LISTENERS:
        _MERGE_LISTENERS.append(listener)


def _notify(kind: Change, ids: Iterable[int]) -> None:
    unique = sorted(set(ids))
    if not unique:
        return
    for listener in list(_LISTENERS[kind]):
        listener(unique)


def works_changed(work_ids: Iterable[int]) -> None:
    """These works' rows, chapters, creators or tags changed (inside the writer's transaction)."""
    _notify(Change.WORKS, work_ids)


def works_removed(work_ids: Iterable[int]) -> None:
    """These works were deleted (inside the writer's transaction, after the delete)."""
    _notify(Change.WORKS_REMOVED, work_ids)


def works_deleting(work_ids: Iterable[int]) -> None:
    """These works are about to be deleted, in the deleting transaction: what hangs on them
    (links from other works) can still be read."""
    _notify(Change.WORKS_DELETING, work_ids)


def tags_changed(tag_ids: Iterable[int]) -> None:
    """These tags were renamed or wrangled so that the works carrying them (or their
    synonyms) read differently: listeners re-index those works."""
    _notify(Change.TAGS, tag_ids)


def counters_changed(work_ids: Iterable[int]) -> None:
    """Kudos, comment, bookmark or hit counts of these works changed."""
    _notify(Change.COUNTERS, work_ids)


def pseuds_claimed(pseud_ids: Iterable[int]) -> None:
    """These unclaimed pseuds now belong to an account (an Open Doors claim): the apps that
    hold what they wrote attach it to the account, and their works are re-indexed."""
    _notify(Change.PSEUDS_CLAIMED, pseud_ids)


def pseud_merged(pseud_id: int, into_id: int) -> None:
    """Everything credited to or written under one pseud moves to another, which is about
    to replace it (a claim onto a pseud of the same name, a deleted pseud's bookmarks and
    comments going to the default pseud). Each app moves its own rows."""
    for listener in list(_MERGE_LISTENERS):
        listener(pseud_id, into_id)


def works_posted(work_ids: Iterable[int]) -> None:
    """These works were posted for the first time (created posted, or a draft posted):
    subscribers to their creators and series hear of them."""
    _notify(Change.WORKS_POSTED, work_ids)


def chapters_posted(chapter_ids: Iterable[int]) -> None:
    """These chapters were added, posted, to works already posted: subscribers to the
    works hear of them."""
    _notify(Change.CHAPTERS_POSTED, chapter_ids)


def series_parts_added(serial_work_ids: Iterable[int]) -> None:
    """These works (``SerialWork`` ids) joined a series."""
    _notify(Change.SERIES_PARTS_ADDED, serial_work_ids)


def comments_published(comment_ids: Iterable[int]) -> None:
    """These comments were published and their inbox items made (creators, replied-to)."""
    _notify(Change.COMMENTS_PUBLISHED, comment_ids)


def kudos_given(kudos_ids: Iterable[int]) -> None:
    """Kudos were left (one id per ``Kudos`` row)."""
    _notify(Change.KUDOS_GIVEN, kudos_ids)


def work_pages_changed(work_ids: Iterable[int]) -> None:
    """What these works' pages show changed, but nothing search or listings see (a comment
    edited, a comment thread frozen or hidden, the work's skin chosen or edited): cached
    work pages move to new keys (inside the writer's transaction)."""
    _notify(Change.WORK_PAGES, work_ids)


def pseuds_renamed(pseud_ids: Iterable[int]) -> None:
    """These pseuds were renamed: the apps that show them beside what they wrote (comment
    bylines) move those pages on (inside the writer's transaction)."""
    _notify(Change.PSEUDS_RENAMED, pseud_ids)
