"""Author statistics (AO3's Stats page): for each posted work an author is credited with,
hits, kudos, comments, bookmarks, subscribers and words; totals; the same figures month by
month for a chart.

"All years" reads the work's own counters (what its blurb shows). A year counts what came
in that year: hits as visitor-days (``WorkHit``, AO3's "one hit per visitor per day"),
kudos, published comments and bookmarks by their dates. Words are the work's current count
either way. Subscribers are counted by the function the subscriptions app registers
(``subscriber_counts_register``); until one is registered, 0."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Min, QuerySet
from django.db.models.functions import ExtractMonth, ExtractYear
from django.utils import timezone

from ficarchive.feedback.models import Bookmark, Comment, CommentStatus, Kudos
from ficarchive.works.models import Creatorship, Work, WorkHit

FIGURES = ("hits", "kudos", "comments", "bookmarks", "subscribers", "words")
# The figures drawn over time (subscribers and words have no dates to count by).
DATED = ("hits", "kudos", "comments", "bookmarks")

# work ids -> {work id: subscriber count}; the subscriptions app registers its counter.
SubscriberCounts = Callable[[list[int]], dict[int, int]]
_SUBSCRIBERS: list[SubscriberCounts] = []


def subscriber_counts_register(counter: SubscriberCounts) -> None:
    """Let the stats page count subscribers (the subscriptions app calls this from its
    ``AppConfig.ready``; registering again replaces it)."""
    _SUBSCRIBERS[:] = [counter]


def subscriber_counts(work_ids: list[int]) -> dict[int, int]:
    """Subscribers per work (0 for every work until subscriptions register a counter)."""
    if not _SUBSCRIBERS or not work_ids:
        return {}
    return _SUBSCRIBERS[0](work_ids)


@dataclass
class WorkStats:
    work: Work
    figures: dict[str, int]


@dataclass
class AuthorStats:
    """``works``: one row per work (most hits first); ``totals``; ``years``: the years
    with anything to show, newest first; ``year``: the one chosen (None: all years);
    ``series``: (period label, {figure: n}) for the chart, months of the year or years."""

    works: list[WorkStats]
    totals: dict[str, int]
    years: list[int]
    year: int | None
    series: list[tuple[str, dict[str, int]]] = field(default_factory=list)


def author_works(owner: Any) -> QuerySet[Work]:
    """The posted works credited to ``owner`` through any of their pseuds (anonymous ones
    too: the page is the author's own)."""
    credited = Creatorship.objects.filter(pseud__user_id=owner.pk).values("work_id")
    return Work.objects.filter(pk__in=credited, posted=True).order_by("-hit_count", "-id")


def _dated() -> dict[str, tuple[QuerySet[Any], str]]:
    """Per dated figure: its rows and the name of their date field."""
    return {
        "hits": (WorkHit.objects.all(), "day"),
        "kudos": (Kudos.objects.all(), "created_at"),
        "comments": (
            Comment.objects.filter(status=CommentStatus.PUBLISHED, deleted=False),
            "created_at",
        ),
        "bookmarks": (Bookmark.objects.all(), "created_at"),
    }


def _per_work(ids: list[int], year: int) -> dict[str, dict[int, int]]:
    out: dict[str, dict[int, int]] = {}
    for name, (rows, date) in _dated().items():
        out[name] = dict(
            rows.filter(work_id__in=ids, **{f"{date}__year": year})
            .values_list("work_id")
            .annotate(n=Count("id"))
            .order_by()
        )
    return out


def _series(ids: list[int], year: int | None, years: list[int]) -> list[tuple[str, dict[str, int]]]:
    """Month by month within ``year``, else year by year."""
    if year is not None:
        periods = [(f"{year}-{m:02d}", m) for m in range(1, 13)]
        extract: Any = ExtractMonth
    else:
        periods = [(str(y), y) for y in sorted(years)]
        extract = ExtractYear
    counts: dict[str, dict[int, int]] = {}
    for name, (rows, date) in _dated().items():
        scoped = rows.filter(work_id__in=ids)
        if year is not None:
            scoped = scoped.filter(**{f"{date}__year": year})
        counts[name] = dict(
            scoped.annotate(p=extract(date)).values_list("p").annotate(n=Count("id")).order_by()
        )
    return [(label, {n: counts[n].get(key, 0) for n in DATED}) for label, key in periods]


def _years(works: Iterable[Work]) -> list[int]:
    first = min((w.published_at for w in works if w.published_at), default=None)
    now = timezone.localdate().year
    return list(range(now, (first.year if first else now) - 1, -1))


def author_stats(owner: Any, year: int | None = None) -> AuthorStats:
    """The stats of ``owner``'s works, for ``year`` or (None) all years. The caller checks
    that the viewer may see them (the author, or an admin). About ten queries, whatever
    the number of works."""
    works = list(
        author_works(owner).only(
            "id",
            "title",
            "word_count",
            "published_at",
            "hit_count",
            "kudos_count",
            "comment_count",
            "bookmark_count",
            "anonymous",
            "posted",
        )
    )
    ids = [w.pk for w in works]
    subscribers = subscriber_counts(ids)
    years = _years(works)
    dated = _per_work(ids, year) if year is not None else None
    rows = []
    for work in works:
        if dated is None:
            figures = {
                "hits": work.hit_count,
                "kudos": work.kudos_count,
                "comments": work.comment_count,
                "bookmarks": work.bookmark_count,
            }
        else:
            figures = {name: dated[name].get(work.pk, 0) for name in DATED}
        figures["subscribers"] = subscribers.get(work.pk, 0)
        figures["words"] = work.word_count
        rows.append(WorkStats(work, figures))
    if dated is not None:
        rows.sort(key=lambda r: (-r.figures["hits"], -r.work.pk))
    totals = {name: sum(r.figures[name] for r in rows) for name in FIGURES}
    return AuthorStats(rows, totals, years, year, _series(ids, year, years) if ids else [])


def first_year(owner: Any) -> int | None:
    """The year of the owner's first posted work (None without any)."""
    first = author_works(owner).aggregate(first=Min("published_at"))["first"]
    return first.year if first else None
