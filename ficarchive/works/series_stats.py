"""Series blurbs and their stats, as AO3 shows them on a series page and a user's series
list: works, words, bookmarks, subscribers, complete or in progress, begun and updated.

Stats count only the works the viewer may see in the series (``access.visible_q`` narrowed
by ``access.series_works_shown``): a draft, a hidden, a restricted (to guests) or an
unrevealed part is never counted for a viewer who cannot open it, so the numbers do not
betray it. Subscribers are counted by the subscriptions app, which sits above works and
registers its counter (``series_subscriber_counts_register``); until one is, 0."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import QuerySet

from ficarchive.accounts.models import User
from ficarchive.core.viewers import Viewer, is_user

from . import access
from .models import SerialWork, Series, Work

SeriesSubscriberCounts = Callable[[list[int]], dict[int, int]]
_subscriber_counters: list[SeriesSubscriberCounts] = []


def series_subscriber_counts_register(counter: SeriesSubscriberCounts) -> None:
    """Add the source of subscriber counts, ``counter(series_ids) -> {series_id: n}``
    (idempotent)."""
    if counter not in _subscriber_counters:
        _subscriber_counters.append(counter)


def series_subscriber_counts(series_ids: list[int]) -> dict[int, int]:
    """Subscribers per series id (0 left out), summed over the registered counters."""
    out: dict[int, int] = {}
    for counter in _subscriber_counters:
        for sid, n in counter(series_ids).items():
            out[sid] = out.get(sid, 0) + n
    return out


@dataclass
class SeriesStats:
    """What a series blurb shows. ``words``: words in the parts counted; ``bookmarks``:
    public bookmarks of those parts (this archive bookmarks works, not series);
    ``complete``: the creators marked the series complete (AO3's "Complete: Yes")."""

    works: int
    words: int
    bookmarks: int
    subscribers: int
    complete: bool
    begun: dt.datetime | None
    updated: dt.datetime | None


def series_stats(series: Series, works: Iterable[Work], subscribers: int = 0) -> SeriesStats:
    """The stats of ``series`` over ``works``, the parts the viewer may see (already
    narrowed by the caller through the access module)."""
    works = list(works)
    published = [w.published_at for w in works if w.published_at]
    revised = [w.revised_at or w.published_at for w in works if w.revised_at or w.published_at]
    return SeriesStats(
        works=len(works),
        words=sum(w.word_count for w in works),
        bookmarks=sum(w.bookmark_count for w in works),
        subscribers=subscribers,
        complete=series.complete,
        begun=min(published) if published else None,
        updated=max(revised) if revised else None,  # type: ignore[type-var]
    )


@dataclass
class SeriesBlurb:
    series: Series
    works: list[Work]
    stats: SeriesStats
    creators_shown: bool


def series_blurbs(series_list: Iterable[Series], viewer: Viewer) -> list[SeriesBlurb]:
    """A blurb per series holding a work the viewer may see there (others left out so the
    title does not leak), with stats over those works only. A few queries per series."""
    series_list = list(series_list)
    subscribers = series_subscriber_counts([s.pk for s in series_list])
    blurbs = []
    for series in series_list:
        positions = dict(series.serial_works.values_list("work_id", "position"))
        works = list(Work.objects.visible_to(viewer).filter(pk__in=positions).with_blurb_data())
        works = access.series_works_shown(series, works, viewer)
        if not works:
            continue
        works.sort(key=lambda w: (positions[w.pk], w.pk))
        blurbs.append(
            SeriesBlurb(
                series=series,
                works=works,
                stats=series_stats(series, works, subscribers.get(series.pk, 0)),
                creators_shown=access.series_creators_shown(series, viewer),
            )
        )
    return blurbs


def series_of_user(owner: User, viewer: Viewer) -> QuerySet[Series]:
    """The series holding a work credited to ``owner`` as the viewer may see it
    (``access.credited_q``; the owner sees all their posted works), newest update first.
    A series whose creators the viewer may not learn is left out: listing it on this page
    would tie the owner to its anonymous works."""
    own = is_user(viewer) and viewer.pk == owner.pk  # type: ignore[union-attr]
    rule = access.visible_q(viewer) if own else access.credited_q(viewer)
    works = Work.objects.filter(rule, posted=True, creatorships__pseud__user=owner)
    ids = SerialWork.objects.filter(work__in=works.values("pk")).values("series_id")
    return Series.objects.filter(pk__in=ids).order_by("-updated_at", "-id")


def user_series_blurbs(owner: User, viewer: Viewer, series_page: Iterable[Series]) -> list:
    """Blurbs for one page of ``series_of_user``, leaving out anonymous series the viewer
    may not see the creators of."""
    return [b for b in series_blurbs(series_page, viewer) if b.creators_shown]
