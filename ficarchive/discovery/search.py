"""The one entry point for listing and searching works.

``search_works(viewer, params, ...)`` serves every surface that lists works under the
filters: the web pages (/works, /works/search, /tags/NAME/works, /users/NAME/works), the
API (/api/v1/works and the other work listings, with keyset cursors), the command line
(``ficarchive search``, as ``core.viewers.OPERATOR``) and OPDS search. It resolves the
request once into a plan (``plan.build_plan``) and has it executed by the bitmap engine
when that is on and can answer the plan, else by the SQL engine; both give the same works
in the same order (``tests/test_engine_equivalence.py``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Page as DjangoPage
from django.core.paginator import Paginator
from django.db.models import Prefetch, QuerySet
from django.utils.safestring import SafeString

from ficarchive.core.compiledqs import compiled_rows_in, set_prefetched
from ficarchive.core.viewers import Viewer
from ficarchive.tags.models import Tagging
from ficarchive.works.models import Creatorship, SerialWork, Work

from .blurbs import listing_works
from .cache import blurb_versions, facets_cached, facets_key, generation
from .engines import FACET_SAMPLE, Hits
from .engines import bitmap as bitmap_engine
from .engines import sql as sql_engine
from .facets import Facet, active_extra, facets_from_counts
from .forms import FilterParams
from .plan import Plan, Within, build_plan
from .query import QuerySyntaxError
from .snippets import make_snippets

PAGE_SIZE = 20
# A relevance walk by cursor goes this far at most (it pages by offset).
MAX_OFFSET = 10_000


class CursorError(ValueError):
    """A cursor that does not fit this request; the message is meant for the client."""


@dataclass(frozen=True)
class Cursor:
    """Where a cursor walk stands. Value sorts seek after (``key``, ``last_id``); relevance,
    which has no value to seek on, carries an ``offset``. ``FIRST`` starts a walk."""

    sort: str = ""
    descending: bool = True
    key: Any = None
    last_id: int | None = None
    offset: int = 0


FIRST = Cursor()


@dataclass
class Result:
    """A page of works and what the listing pages show around it.

    ``works``: the page's works with their blurb data (``CachedBlurbWork`` rows where
    ``search_works(cached_blurbs=True)`` found the blurb cached); ``total``: how many works pass;
    ``page``/``page_size``: the page shown (offset paging); ``next_cursor``: where the next
    page starts (cursor paging; None at the end); ``facets`` (``facets_exact``: counted over
    the whole result); ``errors``: parameters that were left out or match nothing;
    ``query_error``: the query could not be read (the result is then empty); ``snippets``:
    work id → passage around the query words; ``engine``: "bitmap" or "sql";
    ``facets_key``: the cache key of ``facets`` (``cache.facets_key``; empty when they were
    not counted or not cached), on which the rendered sidebar is cached too."""

    works: list[Work]
    total: int
    page: int
    page_size: int
    params: FilterParams
    facets: list[Facet] = field(default_factory=list)
    facets_exact: bool = True
    errors: list[str] = field(default_factory=list)
    query_error: str = ""
    snippets: dict[int, SafeString] = field(default_factory=dict)
    sort: str = "updated"
    descending: bool = True
    facet_sample: int = FACET_SAMPLE
    active_extra: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    next_cursor: Cursor | None = None
    engine: str = ""
    facets_key: str = ""

    @property
    def num_pages(self) -> int:
        return max(1, -(-self.total // self.page_size))

    @property
    def next_page(self) -> int | None:
        return self.page + 1 if self.page < self.num_pages else None

    @property
    def previous_page(self) -> int | None:
        return self.page - 1 if self.page > 1 else None

    @property
    def querystring(self) -> str:
        return self.params.querystring()

    @property
    def first_index(self) -> int:
        return (self.page - 1) * self.page_size + 1 if self.works else 0

    @property
    def last_index(self) -> int:
        return (self.page - 1) * self.page_size + len(self.works)

    @property
    def pager(self) -> DjangoPage:
        """This page as a Django ``Page`` (of positions, not works), for the pagination
        links every listing shares (``core/_pagination.html``)."""
        return Paginator(range(self.total), self.page_size).page(self.page)


# (viewer, the page's works) -> None: sets per-reader blurb data on the works (the reading
# app's read state: "read", "N new chapters", "marked for later"), registered from ready().
BlurbState = Callable[[Viewer, list[Work]], None]
_BLURB_STATES: list[BlurbState] = []


def blurb_state_register(annotate: BlurbState) -> None:
    """Have every listing page's works annotated for the reader (the reading app calls this
    once; registering again replaces it)."""
    _BLURB_STATES[:] = [annotate]


_BLURB_DEFERRED = ("notes", "end_notes", "created_at", "updated_at", "source_hash", "source_url")


def _blurb_relations() -> dict[str, QuerySet]:
    """The querysets of a blurb's relations, loading only the columns blurbs read."""
    taggings = Tagging.objects.select_related("tag").only(
        "id", "work_id", "position", "tag_id", "tag__id", "tag__name", "tag__kind"
    )
    creatorships = Creatorship.objects.select_related("pseud", "pseud__user").only(
        "id",
        "work_id",
        "position",
        "pseud_id",
        "pseud__id",
        "pseud__name",
        "pseud__user_id",
        "pseud__user__id",
        "pseud__user__username",
        "pseud__user__is_staff",
        "pseud__user__is_superuser",
    )
    serial = SerialWork.objects.select_related("series").only(
        "id", "work_id", "position", "series_id", "series__id", "series__title"
    )
    return {"taggings": taggings, "creatorships": creatorships, "serial_works": serial}


def with_blurb_data(qs: QuerySet[Work]) -> QuerySet[Work]:
    """What a blurb shows, in four queries, loading only the columns blurbs read (model
    instances and datetime conversion are most of a listing's Python time)."""
    relations = _blurb_relations()
    return qs.defer(*_BLURB_DEFERRED).prefetch_related(
        *(Prefetch(name, queryset=related) for name, related in relations.items())
    )


def _blurb_works(ids: list[int]) -> list[Work]:
    """``with_blurb_data(Work.objects.filter(pk__in=ids))``'s works, in no set order: the
    same four statements, each compiled once per process and number of ids
    (``core.compiledqs``: compiling them cost more than running them)."""
    works = compiled_rows_in(
        "discovery.blurbs.works",
        Work,
        lambda v: Work.objects.filter(pk__in=v).defer(*_BLURB_DEFERRED),
        ids,
    )
    found = [w.pk for w in works]
    for name, related in _blurb_relations().items():
        rows = _relation_rows(name, related, found) if found else []
        grouped: dict[int, list[Any]] = {pk: [] for pk in found}
        for row in rows:
            grouped[row.work_id].append(row)
        for work in works:
            set_prefetched(work, name, grouped[work.pk], related)
    return works


def _relation_rows(name: str, related: QuerySet, work_ids: list[int]) -> list[Any]:
    def build(values: list[int]) -> QuerySet:
        return related.filter(work_id__in=values)

    return compiled_rows_in(f"discovery.blurbs.{name}", related.model, build, work_ids)


def _load(ids: list[int], *, whole: bool) -> list[Work]:
    """The works of these ids in this order; ``whole``: every column (the API serializes
    notes), else only what blurbs show."""
    if not ids:
        return []
    if whole:
        loaded = list(Work.objects.filter(pk__in=ids).with_blurb_data())
    else:
        loaded = _blurb_works(ids)
    found = {w.pk: w for w in loaded}
    return [found[i] for i in ids if i in found]


def execute(plan: Plan, *, engine: str | None = None) -> tuple[Hits, str]:
    """Run a plan: on ``engine`` ("bitmap" or "sql") when given, else on the bitmap engine
    when it is on and can answer the plan, else in SQL. Returns (hits, engine used)."""
    if engine is None:
        engine = "bitmap" if bitmap_engine.enabled() and bitmap_engine.can_answer(plan) else "sql"
    if engine == "bitmap":
        return bitmap_engine.execute(plan), engine
    return sql_engine.execute(plan), "sql"


def _cursor_slice(
    plan: Plan, hits: Hits, cursor: Cursor, size: int
) -> tuple[list[int], Cursor | None]:
    """One cursor page's ids (``size`` + 1 read, to know whether more follow) and the next cursor."""
    if cursor is not FIRST and (cursor.sort != plan.sort or cursor.descending != plan.descending):
        raise CursorError("This cursor belongs to another order; start again without it.")
    if plan.sort == "relevance":
        offset = cursor.offset
        if not isinstance(offset, int) or not 0 <= offset <= MAX_OFFSET:
            raise CursorError("The cursor is not one this API gave out.")
        ids = hits.page(offset, size + 1)
        more = len(ids) > size and offset + size <= MAX_OFFSET
        return ids[:size], Cursor(
            plan.sort, plan.descending, offset=offset + size
        ) if more else None
    after: tuple[Any, int] | None = None
    if cursor is not FIRST:
        if not isinstance(cursor.last_id, int):
            raise CursorError("The cursor is not one this API gave out.")
        after = (cursor.key, cursor.last_id)
    rows = hits.seek(after, size + 1)
    ids = [pk for pk, _ in rows[:size]]
    if len(rows) <= size or not ids:
        return ids, None
    last, key = rows[size - 1]
    return ids, Cursor(plan.sort, plan.descending, key=key, last_id=last)


def search_works(
    viewer: Viewer,
    params: Any,
    *,
    within: Within | None = None,
    page: int | None = None,
    cursor: Cursor | None = None,
    page_size: int = PAGE_SIZE,
    facets: bool = True,
    snippets: bool | None = None,
    default_sort: str = "updated",
    whole_works: bool = False,
    engine: str | None = None,
    cached_blurbs: bool = False,
) -> Result:
    """Filter and search the works the viewer may list; see the module docstring.

    ``params``: a QueryDict, dict or ``FilterParams`` (``forms``). ``within``: a tag's
    closure (``plan.within_tag``) or a set of works (``plan.WithinWorks``). Paging is by
    ``page`` (default ``params.page``, clamped to the last page) or, with ``cursor``
    (``FIRST`` to start), by keyset: ``Result.next_cursor`` then says where the next page
    starts. ``facets``: count the sidebar's facets; ``snippets``: make search snippets
    (default: when the query has words). ``default_sort``: the order when the reader chose
    none and there is no text. ``whole_works``: load every column of the works, not only
    what blurbs show. ``engine``: force "bitmap" or "sql" (tests, benchmarks).
    ``cached_blurbs``: the page shows its works only through ``{% cached_blurb %}``, so a
    work whose blurb is cached may come as a ``blurbs.CachedBlurbWork`` (a few fields and
    the blurb's HTML) instead of a model; ignored with snippets or ``whole_works``.

    A malformed query does not raise: the result is empty with ``query_error`` set.
    Raises ``CursorError`` for a cursor of another order or one this module never made."""
    if not isinstance(params, FilterParams):
        params = FilterParams.from_data(params)
    # Read before any data, so the facets cached under it are at least this new (cache.py).
    gen = generation() if facets else None
    try:
        plan = build_plan(viewer, params, within, default_sort=default_sort)
    except QuerySyntaxError as exc:
        return Result(
            works=[],
            total=0,
            page=1,
            page_size=page_size,
            params=params,
            query_error=str(exc),
            errors=list(params.errors),
        )
    hits, used = execute(plan, engine=engine)
    number = 1
    next_cursor = None
    if cursor is not None:
        ids, next_cursor = _cursor_slice(plan, hits, cursor, page_size)
    else:
        number = min(page or params.page, max(1, -(-hits.total // page_size)))
        ids = hits.page((number - 1) * page_size, page_size)
    # Read before loading (cache.py). Only pages with a sidebar (facets) draw blurbs; the
    # API, OPDS and the command line serialize works instead.
    versions = blurb_versions(ids) if facets else {}
    wants_snippets = bool(snippets or (snippets is None and plan.has_text))
    works: list[Any]
    if cached_blurbs and versions and not whole_works and not wants_snippets:
        works = listing_works(viewer, ids, versions, lambda some: _load(some, whole=False))
    else:
        works = _load(ids, whole=whole_works)
        for work in works:
            work.blurb_version = versions.get(work.pk)  # type: ignore[attr-defined]
    result = Result(
        works=works,
        total=hits.total,
        page=number,
        page_size=page_size,
        params=params,
        errors=list(plan.errors),
        sort=plan.sort,
        descending=plan.descending,
        next_cursor=next_cursor,
        engine=used,
    )
    for annotate in _BLURB_STATES:
        annotate(viewer, result.works)
    if facets and hits.total:
        result.facets_key = facets_key(gen, plan, params.querystring(), used)
        result.facets, result.facets_exact = facets_cached(
            result.facets_key,
            lambda: facets_from_counts(hits.facet_counts(), params, hits.total, hits.tag_info),
        )
    if wants_snippets:
        result.snippets = make_snippets(result.works, plan.highlight_words)
        for work in result.works:
            work.search_snippet = result.snippets.get(work.pk)  # type: ignore[attr-defined]
    result.active_extra = active_extra(params, result.facets)
    return result


def ordered_ids(
    viewer: Viewer,
    params: Any,
    *,
    limit: int = 20,
    within: Within | None = None,
    engine: str | None = None,
) -> list[int]:
    """Just the first ``limit`` ids, in result order, without loading the works (for callers
    that need the order only). Raises ``QuerySyntaxError`` for a query that cannot be read."""
    if not isinstance(params, FilterParams):
        params = FilterParams.from_data(params)
    hits, _ = execute(build_plan(viewer, params, within), engine=engine)
    return hits.page(0, limit)
