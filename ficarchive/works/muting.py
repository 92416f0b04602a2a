"""Works a reader muted the creators of, for the pages works draws that list other
people's works outside the search plan (a series page, its API object).

Mutes live in discovery (above works) and blocks in moderation (above both), so the
accounts a viewer muted reach this app through a registry filled from
``ModerationConfig.ready``, as the comment threads' hidden authors reach feedback
(``feedback.hooks``). The rule is the search plan's (``discovery.plan``): a work is left
out when every named creator of it is muted; an anonymous work is never left out, so a
mute reveals nothing about who wrote it. Muting hides; it never refuses a work's own page."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.db.models import Q

from ficarchive.core.viewers import Viewer

from .access import anonymous_q, is_anonymous
from .models import Creatorship, Work

MutedCreators = Callable[[Viewer], set[int]]
_PROVIDERS: list[MutedCreators] = []


def muted_creators_register(fn: MutedCreators) -> None:
    """Add a source of account ids whose works ``viewer`` does not want listed."""
    if fn not in _PROVIDERS:
        _PROVIDERS.append(fn)


def muted_creator_ids(viewer: Viewer) -> set[int]:
    """Every account id the viewer muted (empty for guests and the operator)."""
    ids: set[int] = set()
    for fn in _PROVIDERS:
        ids |= fn(viewer)
    return ids


def works_unmuted(works: Iterable[Work], viewer: Viewer) -> tuple[list[Work], int]:
    """``works`` without those by creators the viewer muted, and how many were left out.
    Reads the creatorships prefetched by ``with_blurb_data``."""
    works = list(works)
    muted = muted_creator_ids(viewer)
    if not muted:
        return works, 0
    kept = []
    for work in works:
        users = {c.pseud.user_id for c in work.creatorships.all() if c.pseud.user_id}
        if not is_anonymous(work) and users and users <= muted:
            continue
        kept.append(work)
    return kept, len(works) - len(kept)


def muted_works_q(viewer: Viewer) -> Q | None:
    """Works the viewer's creator mutes leave out of a list drawn outside the search plan
    (another user's bookmarks, gifts), as a ``Q`` on ``Work``: a named work credited to an
    account they muted (the plan's rule); never an anonymous work. None when they muted
    no one (guests, the operator)."""
    muted = muted_creator_ids(viewer)
    if not muted:
        return None
    credited = Creatorship.objects.filter(pseud__user_id__in=sorted(muted)).values("work_id")
    return ~anonymous_q() & Q(pk__in=credited)
