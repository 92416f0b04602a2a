"""Reads: the work filter and search every listing uses (/works, /works/search,
/tags/NAME/works, /users/NAME/works, the command line and the API).

``filter_works(viewer, params, base=None)`` takes a QueryDict or dict of parameters (see
``forms``) and returns a FilterResult: the page of works, the total, the facets (top tags
of each kind in the results, as AO3 shows them) and the neighbouring pages.

How the SQL is built: includes are ``id IN (SELECT work_id FROM tagging WHERE tag_id IN
closure)``, one per included tag, so the database starts from the rarest tag's index;
all exclusions (excluded tags, warnings, categories and the reader's muted tags) become a
single ``NOT EXISTS`` over the (work, tag) index; the rest are indexed Work columns. Text
terms are matched by the vendor's full-text engine (``backends``)."""

from __future__ import annotations

import datetime as dt
import html
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import (
    Count,
    F,
    Prefetch,
    Q,
    QuerySet,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from ficarchive.tags.models import Tag, Tagging
from ficarchive.tags.vocabulary import TagKind
from ficarchive.works.models import Chapter, Creatorship, Work

from .backends import get_backend
from .closure import tag_closure_ids, tags_by_names
from .engine import html_text
from .forms import FilterParams
from .models import Mute, MuteKind, SavedFilter, SearchEntry
from .query import NUMERIC_FIELDS, Query, QuerySyntaxError, Term, parse_query

PAGE_SIZE = 20
# Facets are counted over at most this many works of the result, in the current order;
# below it (the usual case once a reader has filtered) the counts are exact.
FACET_SAMPLE = 1000
FACET_TOP = 10
FACET_KINDS = [
    (TagKind.RATING, "rating", "Ratings"),
    (TagKind.WARNING, "warning", "Warnings"),
    (TagKind.CATEGORY, "category", "Categories"),
    (TagKind.FANDOM, "tag", "Fandoms"),
    (TagKind.CHARACTER, "tag", "Characters"),
    (TagKind.RELATIONSHIP, "tag", "Relationships"),
    (TagKind.FREEFORM, "tag", "Additional Tags"),
]


class _Operator:
    """The archive's operator (command line): every posted work, drafts never."""

    is_authenticated = True
    is_superuser = True
    is_staff = True
    is_admin = True
    pk = None


OPERATOR = _Operator()


@dataclass
class FacetEntry:
    name: str
    count: int
    param: str
    include_qs: str
    exclude_qs: str
    included: bool = False
    excluded: bool = False


@dataclass
class Facet:
    kind: str
    label: str
    param: str
    entries: list[FacetEntry]


@dataclass
class FilterResult:
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
    # Included/excluded values the facets do not list, so the sidebar keeps them.
    active_extra: dict[str, list[tuple[str, str]]] = field(default_factory=dict)

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

    # Paginator-compatible names for core/_pagination.html.
    @property
    def number(self) -> int:
        return self.page

    @property
    def has_other_pages(self) -> bool:
        return self.num_pages > 1

    @property
    def has_previous(self) -> bool:
        return self.previous_page is not None

    @property
    def has_next(self) -> bool:
        return self.next_page is not None

    def previous_page_number(self) -> int | None:
        return self.previous_page

    def next_page_number(self) -> int | None:
        return self.next_page

    @property
    def paginator(self) -> FilterResult:
        return self


@dataclass(frozen=True)
class WithinTags:
    """A base for a tag's works page: works carrying any of these tags (the tag's closure,
    as the tags app computes it). Unlike a QuerySet base, the bitmap engine answers it."""

    tag_ids: frozenset[int]


def within_tag(tag: Tag) -> WithinTags:
    """The base of /tags/NAME/works: the tag, its synonyms and subtags (closure)."""
    return WithinTags(frozenset(tag_closure_ids([tag.pk])))


# --- building the conditions -----------------------------------------------------------

def _is_admin(viewer: Any) -> bool:
    return bool(getattr(viewer, "is_authenticated", False) and (viewer.is_superuser or viewer.is_staff))


def visible_works(viewer: Any) -> QuerySet[Work]:
    """The privacy gate for listings; the operator sees every posted work."""
    if viewer is OPERATOR:
        return Work.objects.filter(posted=True)
    return Work.objects.listed_for(viewer)


def _tagged(tag_ids: set[int]) -> Q:
    if not tag_ids:
        return Q(pk__in=[])
    return Q(pk__in=Tagging.objects.filter(tag_id__in=sorted(tag_ids)).values("work_id"))


def _complete_q() -> Q:
    return Q(expected_chapters__isnull=False, chapter_count__gte=F("expected_chapters"))


def _in_progress_q() -> Q:
    return Q(expected_chapters__isnull=True) | Q(chapter_count__lt=F("expected_chapters"))


def _creator_q(name: str, viewer: Any) -> Q:
    match = Creatorship.objects.filter(Q(pseud__name__iexact=name) | Q(pseud__user__username__iexact=name))
    q = Q(pk__in=match.values("work_id"))
    if not _is_admin(viewer) and viewer is not OPERATOR:
        q &= Q(anonymous=False)  # never reveal who wrote an anonymous work
    return q


class _Compiler:
    """Turns a parsed Query into a Q, and the text part into a relevance expression."""

    def __init__(self, viewer: Any, errors: list[str]):
        self.viewer = viewer
        self.backend = get_backend()
        self.errors = errors
        self.rank_parts: list[str] = []

    def _fts(self, clause: list[Term]) -> Q:
        expr = self.backend.match_expression(clause)
        return Q(pk__in=RawSQL(self.backend.match_ids_sql(), [expr]))  # noqa: S611 - query text is a parameter

    def term(self, term: Term) -> Q:
        if term.kind == "text" or term.field == "title":
            q = self._fts([term])
        elif term.field == "creator":
            q = _creator_q(term.value, self.viewer)
        elif term.field == "tag":
            tag = tags_by_names([term.value]).get(term.value)
            if tag is None:
                self.errors.append(f"There is no tag named {term.value!r}.")
                q = Q(pk__in=[])
            else:
                q = _tagged(tag_closure_ids([tag.pk]))
        elif term.field == "rating":
            q = Q(rating=term.value)
        elif term.field == "language":
            q = Q(language__iexact=term.value)
        elif term.field == "complete":
            q = _complete_q() if term.value == "yes" else _in_progress_q()
        elif term.field in NUMERIC_FIELDS:
            column = NUMERIC_FIELDS[term.field]
            if term.op == "range":
                q = Q(**{f"{column}__gte": term.low, f"{column}__lte": term.high})
            else:
                lookup = {">": "gt", "<": "lt", ">=": "gte", "<=": "lte", "=": "exact"}[term.op]
                q = Q(**{f"{column}__{lookup}": term.low})
        else:  # pragma: no cover - the parser only makes the fields above
            raise QuerySyntaxError(f"Unknown field {term.field}.")
        return ~q if term.negated else q

    def compile(self, query: Query) -> Q:
        result = Q()
        for clause in query.clauses:
            textual = all((t.kind == "text" or t.field == "title") and not t.negated for t in clause)
            if textual:
                expr = self.backend.match_expression(clause)
                self.rank_parts.append(expr)
                result &= Q(pk__in=RawSQL(self.backend.match_ids_sql(), [expr]))  # noqa: S611
                continue
            clause_q = Q()
            for term in clause:
                clause_q |= self.term(term)
            result &= clause_q
        return result

    def ranked_ids(self, limit: int) -> list[int] | None:
        """The best text matches, best first, or None when the query has no text."""
        if not self.rank_parts:
            return None
        return self.backend.top_ranked(self.backend.and_expressions(self.rank_parts), limit)


def _vocab_ids(names: tuple[str, ...]) -> dict[str, int]:
    return {name: tag.pk for name, tag in tags_by_names(names).items()}


def mutes_of(viewer: Any) -> dict[str, Any]:
    """The viewer's mutes, ready to exclude: tag closure ids, creator ids, languages."""
    out: dict[str, Any] = {"tag_ids": set(), "creator_ids": set(), "languages": set()}
    if not getattr(viewer, "is_authenticated", False) or viewer is OPERATOR:
        return out
    tag_ids = []
    for kind, tag_id, creator_id, language in Mute.objects.filter(user=viewer).values_list(
        "kind", "tag_id", "creator_id", "language"
    ):
        if kind == MuteKind.TAG and tag_id:
            tag_ids.append(tag_id)
        elif kind == MuteKind.CREATOR and creator_id:
            out["creator_ids"].add(creator_id)
        elif kind == MuteKind.LANGUAGE and language:
            out["languages"].add(language)
    out["tag_ids"] = tag_closure_ids(tag_ids) if tag_ids else set()
    return out


def _conditions(viewer: Any, params: FilterParams, errors: list[str]) -> tuple[Q, list[Any], _Compiler, Query]:
    """Everything but visibility, as (Q, extra filter expressions, compiler, query)."""
    q = Q()
    extra: list[Any] = []
    if params.rating:
        q &= Q(rating__in=params.rating)
    if params.exclude_rating:
        q &= ~Q(rating__in=params.exclude_rating)
    excluded: set[int] = set()
    required = _vocab_ids(params.warning + params.category)
    for tag_id in required.values():
        q &= _tagged({tag_id})
    if set(params.warning + params.category) - set(required):
        q &= Q(pk__in=[])  # a warning no work has used yet: nothing carries it
    excluded |= set(_vocab_ids(params.exclude_warning + params.exclude_category).values())
    included_tags = tags_by_names(params.tag)
    for name in params.tag:
        tag = included_tags.get(name)
        if tag is None:
            errors.append(f"There is no tag named {name!r}; no work can match it.")
            q &= Q(pk__in=[])
        else:
            q &= _tagged(tag_closure_ids([tag.pk]))
    excluded_tags = tags_by_names(params.exclude_tag)
    if excluded_tags:
        excluded |= tag_closure_ids([t.pk for t in excluded_tags.values()])
    mutes = mutes_of(viewer)
    excluded |= mutes["tag_ids"]
    if excluded:
        # NOT IN over the excluded tags' posting lists: both databases build that set once
        # (SQLite an ephemeral index, PostgreSQL a hashed subplan) and probe it per row,
        # instead of one index seek per excluded tag per row.
        q &= ~Q(pk__in=Tagging.objects.filter(tag_id__in=sorted(excluded)).values("work_id"))
    if mutes["creator_ids"]:
        muted = Creatorship.objects.filter(pseud__user_id__in=sorted(mutes["creator_ids"])).values("work_id")
        q &= ~(Q(anonymous=False) & Q(pk__in=muted))
    if mutes["languages"]:
        q &= ~Q(language__in=sorted(mutes["languages"]))
    crossovers = SearchEntry.objects.filter(fandom_count__gt=1).values("work_id")
    if params.crossover == "only":
        q &= Q(pk__in=crossovers)
    elif params.crossover == "exclude":
        q &= ~Q(pk__in=crossovers)
    if params.complete == "complete":
        q &= _complete_q()
    elif params.complete == "in_progress":
        q &= _in_progress_q()
    if params.words_from is not None:
        q &= Q(word_count__gte=params.words_from)
    if params.words_to is not None:
        q &= Q(word_count__lte=params.words_to)
    tz = timezone.get_current_timezone()
    if params.date_from:
        q &= Q(revised_at__gte=dt.datetime.combine(params.date_from, dt.time.min, tzinfo=tz))
    if params.date_to:
        q &= Q(revised_at__lt=dt.datetime.combine(params.date_to + dt.timedelta(days=1), dt.time.min, tzinfo=tz))
    if params.language:
        q &= Q(language=params.language)
    compiler = _Compiler(viewer, errors)
    query = parse_query(params.q)  # raises QuerySyntaxError
    q &= compiler.compile(query)
    return q, extra, compiler, query


SORT_COLUMNS = {
    "updated": "revised_at",
    "posted": "published_at",
    "words": "word_count",
    "kudos": "kudos_count",
    "comments": "comment_count",
    "bookmarks": "bookmark_count",
    "hits": "hit_count",
}


def _ordering(sort: str, descending: bool) -> list[Any]:
    sign = "-" if descending else ""
    if sort == "title":
        expr = Lower("title")
        return [expr.desc() if descending else expr.asc(), f"{sign}id"]
    if sort == "creator":
        return [f"{sign}search_entry__creator_sort", f"{sign}id"]
    return [f"{sign}{SORT_COLUMNS[sort]}", f"{sign}id"]


def filtered_queryset(
    viewer: Any, params: FilterParams, base: QuerySet[Work] | WithinTags | None = None, *, base_visible: bool = False
) -> tuple[QuerySet[Work], _Compiler, Query, list[str]]:
    """The filtered (unordered) queryset; raises QuerySyntaxError for a bad ``q``.

    ``base_visible``: the base queryset is already the privacy gate for this viewer (a
    user's own works page shows them their hidden works too); otherwise the listing gate
    is applied on top of it."""
    errors: list[str] = list(params.errors)
    q, extra, compiler, query = _conditions(viewer, params, errors)
    qs = visible_works(viewer)
    if isinstance(base, WithinTags):
        q &= _tagged(set(base.tag_ids))
    elif base is not None and base_visible:
        qs = Work.objects.filter(pk__in=base.order_by().values("pk"))
    elif base is not None:
        qs = qs.filter(pk__in=base.order_by().values("pk"))
    qs = qs.filter(q, *extra)
    return qs, compiler, query, errors


def filter_works(
    viewer: Any,
    params: Any,
    base: QuerySet[Work] | WithinTags | None = None,
    *,
    base_visible: bool = False,
    page_size: int = PAGE_SIZE,
    facets: bool = True,
    snippets: bool | None = None,
    default_sort: str = "updated",
) -> FilterResult:
    """Filter (and search) the works the viewer may see; see the module docstring.

    ``params``: a QueryDict, dict or FilterParams. ``base``: a Work queryset to stay
    within (a user's works) or ``within_tag(tag)`` (a tag's works); visibility and mutes
    are applied regardless, unless ``base_visible`` says the base is the viewer's gate.
    A malformed ``q`` does not raise: the result is empty with ``query_error`` set."""
    if not isinstance(params, FilterParams):
        params = FilterParams.from_data(params)
    if (base is None or isinstance(base, WithinTags)) and _bitmaps_can_answer(params, base, default_sort):
        return _filter_works_bitmaps(
            viewer, params, base, page_size=page_size, facets=facets, default_sort=default_sort, snippets=snippets
        )
    try:
        qs, compiler, query, errors = filtered_queryset(viewer, params, base, base_visible=base_visible)
    except QuerySyntaxError as exc:
        return FilterResult(works=[], total=0, page=1, page_size=page_size, params=params, query_error=str(exc), errors=list(params.errors))
    sort = params.sort_key(has_text=query.has_text) if params.sort or query.has_text else default_sort
    descending = params.descending(sort)
    total = qs.count()
    page = min(params.page, max(1, -(-total // page_size)))
    start = (page - 1) * page_size
    if sort == "relevance" and not compiler.rank_parts:
        sort = "updated"
    by_date = qs.order_by(*_ordering("updated", True))
    if sort == "relevance":
        ids = _relevance_ids(qs, compiler, start, page_size)
        found = {w.pk: w for w in with_blurb_data(Work.objects.filter(pk__in=ids))}
        works = [found[i] for i in ids if i in found]
        ordered = by_date  # facets sample the newest matches
    else:
        ordered = qs.order_by(*_ordering(sort, descending))
        works = list(with_blurb_data(ordered)[start : start + page_size])
    result = FilterResult(
        works=works, total=total, page=page, page_size=page_size, params=params,
        errors=errors, sort=sort, descending=descending,
    )
    if facets and total:
        result.facets, result.facets_exact = _facets(ordered, params, total)
    if (snippets is None and query.has_text) or snippets:
        result.snippets = make_snippets(works, query.highlight_words)
        for work in works:
            work.search_snippet = result.snippets.get(work.pk)  # type: ignore[attr-defined]
    result.active_extra = _active_extra(params, result.facets)
    return result


# --- the bitmap engine (see bitmaps.py) ------------------------------------------------

def _bitmaps_can_answer(params: FilterParams, base: Any, default_sort: str) -> bool:
    """No text query, a sort the bitmaps hold, no QuerySet base, and the engine on."""
    from . import bitmaps

    if not (base is None or isinstance(base, WithinTags)):
        return False
    if params.q.strip():
        try:
            query = parse_query(params.q)
        except QuerySyntaxError:
            return False  # the SQL path words the message
        if not _text_only(query):
            return False
        sort = params.sort_key(has_text=query.has_text)
        return sort in (*bitmaps.SORT_COLUMNS, "relevance") and bitmaps.enabled()
    sort = params.sort_key(has_text=False) if params.sort else default_sort
    return sort in bitmaps.SORT_COLUMNS and bitmaps.enabled()


def _text_only(query: Query) -> bool:
    """Every clause is words and phrases (OR-ed, or one excluded): the engine's match
    ids answer it as a set."""
    for clause in query.clauses:
        if not all(t.kind == "text" or t.field == "title" for t in clause):
            return False
        if any(t.negated for t in clause) and len(clause) > 1:
            return False
    return True


def _text_matches(backend: Any, clause: list[Term]) -> Any:
    from django.db import connection
    from pyroaring import BitMap

    with connection.cursor() as cursor:
        cursor.execute(backend.match_ids_sql(), [backend.match_expression(clause)])
        return BitMap([row[0] for row in cursor.fetchall()])


def _union(maps: list[Any]) -> Any:
    from pyroaring import BitMap

    found = [m for m in maps if m is not None]
    return BitMap.union(*found) if found else BitMap()


def bitmap_result(index: Any, viewer: Any, params: FilterParams, base: WithinTags | None, errors: list[str]) -> Any:
    """The works that pass the filter, as a BitMap: the same conditions as ``_conditions``."""
    from pyroaring import BitMap

    from . import bitmaps

    result = index.visible(viewer, OPERATOR)
    if base is not None:
        result = result & index.tagged(base.tag_ids)
    if params.rating:
        result = result & _union([index.rating.get(r) for r in params.rating])
    if params.exclude_rating:
        result = result - _union([index.rating.get(r) for r in params.exclude_rating])
    required = _vocab_ids(params.warning + params.category)
    for tag_id in required.values():
        result = result & index.tagged([tag_id])
    if set(params.warning + params.category) - set(required):
        result = BitMap()
    excluded: set[int] = set(_vocab_ids(params.exclude_warning + params.exclude_category).values())
    included_tags = tags_by_names(params.tag)
    for name in params.tag:
        tag = included_tags.get(name)
        if tag is None:
            errors.append(f"There is no tag named {name!r}; no work can match it.")
            result = BitMap()
        else:
            result = result & index.tagged(tag_closure_ids([tag.pk]))
    excluded_tags = tags_by_names(params.exclude_tag)
    if excluded_tags:
        excluded |= tag_closure_ids([t.pk for t in excluded_tags.values()])
    mutes = mutes_of(viewer)
    excluded |= mutes["tag_ids"]
    if excluded:
        result = result - index.tagged(excluded)
    if mutes["creator_ids"]:
        muted = Creatorship.objects.filter(pseud__user_id__in=sorted(mutes["creator_ids"])).values_list("work_id", flat=True)
        result = result - (BitMap(muted) - index.flags["anonymous"])
    if mutes["languages"]:
        result = result - _union([index.language.get(x) for x in mutes["languages"]])
    if params.crossover == "only":
        result = result & index.flags["crossover"]
    elif params.crossover == "exclude":
        result = result - index.flags["crossover"]
    if params.complete == "complete":
        result = result & index.flags["complete"]
    elif params.complete == "in_progress":
        result = result - index.flags["complete"]
    if params.words_from is not None or params.words_to is not None:
        result = result & index.sorts["words"].between(params.words_from, params.words_to)
    if params.date_from or params.date_to:
        tz = timezone.get_current_timezone()
        low = high = None
        if params.date_from:
            low = bitmaps.micros(dt.datetime.combine(params.date_from, dt.time.min, tzinfo=tz))
        if params.date_to:
            high = bitmaps.micros(dt.datetime.combine(params.date_to + dt.timedelta(days=1), dt.time.min, tzinfo=tz)) - 1
        result = result & index.sorts["updated"].between(low, high)
    if params.language:
        result = result & (index.language.get(params.language) or BitMap())
    return result


def _bitmap_relevance_ids(backend: Any, rank_parts: list[str], found: Any, by_date: Any, start: int, count: int) -> list[int]:
    """As ``_relevance_ids``: the best RANK_CAP matches that pass, then date order. On
    PostgreSQL, ranking is skipped when more than RANK_MAX_MATCHES works match (ts_rank
    reads every matching document), and the results come in date order."""
    from pyroaring import BitMap

    cap = getattr(backend, "RANK_MAX_MATCHES", None)
    ranked = [] if cap and len(found) > cap else backend.top_ranked(backend.and_expressions(rank_parts), RANK_CAP)
    order = [i for i in ranked if i in found]
    ids = order[start : start + count]
    if len(ids) < count and (len(ranked) >= RANK_CAP or not ranked):
        rest_start = max(0, start - len(order))
        ids += by_date.page(found - BitMap(order), rest_start, count - len(ids), True)
    return ids


def _filter_works_bitmaps(
    viewer: Any, params: FilterParams, base: WithinTags | None, *, page_size: int, facets: bool, default_sort: str,
    snippets: bool | None = None,
) -> FilterResult:
    from . import bitmaps

    index = bitmaps.get_index()
    errors = list(params.errors)
    found_ids = bitmap_result(index, viewer, params, base, errors)
    query = parse_query(params.q)
    backend = get_backend()
    rank_parts = []
    for clause in query.clauses:
        if clause[0].negated:
            found_ids = found_ids - _text_matches(backend, clause)
        else:
            found_ids = found_ids & _text_matches(backend, clause)
            rank_parts.append(backend.match_expression(clause))
    if query.has_text:
        sort = params.sort_key(has_text=True)
    else:
        sort = params.sort_key(has_text=False) if params.sort else default_sort
    descending = params.descending(sort)
    total = len(found_ids)
    page = min(params.page, max(1, -(-total // page_size)))
    start = (page - 1) * page_size
    if sort == "relevance":
        order = index.sorts["updated"]  # facets sample the newest matches, as the SQL path does
        ids = _bitmap_relevance_ids(backend, rank_parts, found_ids, order, start, page_size)
    else:
        order = index.sorts[sort]
        ids = order.page(found_ids, start, page_size, descending)
    loaded = {w.pk: w for w in with_blurb_data(Work.objects.filter(pk__in=ids))}
    result = FilterResult(
        works=[loaded[i] for i in ids if i in loaded], total=total, page=page, page_size=page_size,
        params=params, errors=errors, sort=sort, descending=descending,
    )
    if (snippets is None and query.has_text) or snippets:
        result.snippets = make_snippets(result.works, query.highlight_words)
        for work in result.works:
            work.search_snippet = result.snippets.get(work.pk)  # type: ignore[attr-defined]
    if facets and total:
        sample = order.page(found_ids, 0, FACET_SAMPLE, descending if sort != "relevance" else True)
        result.facets, result.facets_exact = _facets_from_counts(
            index.tag_counts(sample), params, total, tag_info=index.tag_info
        )
    result.active_extra = _active_extra(params, result.facets)
    return result


def _active_extra(params: FilterParams, facets: list[Facet]) -> dict[str, list[tuple[str, str]]]:
    listed = {(e.param, e.name) for f in facets for e in f.entries}
    out: dict[str, list[tuple[str, str]]] = {"include": [], "exclude": []}
    for param in ("rating", "warning", "category", "tag"):
        for name in getattr(params, param):
            if (param, name) not in listed:
                out["include"].append((param, name))
        for name in getattr(params, f"exclude_{param}"):
            if (param, name) not in listed:
                out["exclude"].append((f"exclude_{param}", name))
    return out


def ordered_ids(viewer: Any, params: Any, *, limit: int = 20, base: QuerySet[Work] | None = None) -> list[int]:
    """Just the ids, in result order (the command line, tests and the API's cursor)."""
    result_params = params if isinstance(params, FilterParams) else FilterParams.from_data(params)
    qs, compiler, query, _ = filtered_queryset(viewer, result_params, base)
    sort = result_params.sort_key(has_text=query.has_text)
    if sort == "relevance" and compiler.rank_parts:
        return _relevance_ids(qs, compiler, 0, limit)
    if sort == "relevance":
        sort = "updated"
    return list(qs.order_by(*_ordering(sort, result_params.descending(sort))).values_list("pk", flat=True)[:limit])


# Relevance ranks the best RANK_CAP text matches (the engine scores them in one pass);
# the filters then keep those that pass, and any pages beyond follow in date order.
RANK_CAP = 1000


def _relevance_ids(qs: QuerySet[Work], compiler: _Compiler, start: int, count: int) -> list[int]:
    ranked = compiler.ranked_ids(RANK_CAP) or []
    allowed = set(qs.filter(pk__in=ranked).values_list("pk", flat=True)) if ranked else set()
    order = [i for i in ranked if i in allowed]
    ids = order[start : start + count]
    if len(ids) < count and len(ranked) >= RANK_CAP:
        rest_start = max(0, start - len(order))
        rest = qs.exclude(pk__in=order).order_by(*_ordering("updated", True)).values_list("pk", flat=True)
        ids += list(rest[rest_start : rest_start + count - len(ids)])
    return ids


def with_blurb_data(qs: QuerySet[Work]) -> QuerySet[Work]:
    """What a blurb shows, in four queries, loading only the columns blurbs read (model
    instances and datetime conversion are most of a listing's Python time)."""
    from ficarchive.works.models import SerialWork

    return qs.defer("notes", "end_notes", "created_at", "updated_at", "source_hash", "source_url").prefetch_related(
        Prefetch("taggings", queryset=Tagging.objects.select_related("tag").only(
            "id", "work_id", "position", "tag_id", "tag__id", "tag__name", "tag__kind")),
        Prefetch("creatorships", queryset=Creatorship.objects.select_related("pseud", "pseud__user").only(
            "id", "work_id", "position", "pseud_id", "pseud__id", "pseud__name", "pseud__user_id",
            "pseud__user__id", "pseud__user__username", "pseud__user__is_staff", "pseud__user__is_superuser")),
        Prefetch("serial_works", queryset=SerialWork.objects.select_related("series").only(
            "id", "work_id", "position", "series_id", "series__id", "series__title")),
    )


# --- facets -----------------------------------------------------------------------------

def _facets(ordered: QuerySet[Work], params: FilterParams, total: int) -> tuple[list[Facet], bool]:
    sample = ordered.values("pk")[:FACET_SAMPLE]
    # Count per tag as written (a covering-index scan), then fold synonyms into their
    # canonical tag here: cheaper than grouping by the canonical id in SQL. A work that
    # carries both a synonym and its canonical tag counts twice there (rare, and AO3's
    # own counts are approximate too).
    direct = dict(
        Tagging.objects.filter(work_id__in=sample).values_list("tag_id").annotate(n=Count("id")).order_by()
    )
    return _facets_from_counts(direct, params, total)


def _tag_info(ids: list[int]) -> dict[int, tuple[str, int | None, str]]:
    """(kind, synonym_of_id, name) of these tags."""
    return {
        pk: (kind, syn, name)
        for pk, kind, syn, name in Tag.objects.filter(pk__in=ids).values_list("pk", "kind", "synonym_of_id", "name")
    }


def _facets_from_counts(
    direct: dict[int, int], params: FilterParams, total: int, tag_info: Any = _tag_info
) -> tuple[list[Facet], bool]:
    """Facets from per-tag counts over the sample (tags as written; synonyms folded here).
    ``tag_info``: where tag kinds, synonyms and names come from (the bitmap index caches them)."""
    info = tag_info(list(direct))
    folded: dict[int, int] = defaultdict(int)
    kind_of: dict[int, str] = {}
    for tag_id, n in direct.items():
        kind, syn, _name = info.get(tag_id, ("", None, ""))
        target = syn or tag_id
        folded[target] += n
        kind_of[target] = kind
    by_kind: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for filter_id, n in folded.items():
        by_kind[kind_of[filter_id]].append((n, filter_id))
    # A few more than shown per kind, so ties are broken by name as AO3 does.
    top = {kind: sorted(items, reverse=True)[: FACET_TOP * 2] for kind, items in by_kind.items()}
    wanted = [i for items in top.values() for _, i in items]
    known = tag_info([i for i in wanted if i not in info])
    names = {i: (info.get(i) or known[i])[2] for i in wanted if i in info or i in known}
    facets = []
    for kind, param, label in FACET_KINDS:
        ranked = sorted(
            ((n, names[i]) for n, i in top.get(kind, []) if i in names), key=lambda x: (-x[0], x[1].casefold())
        )[:FACET_TOP]
        included = getattr(params, param)
        excluded = getattr(params, f"exclude_{param}")
        entries = [
            FacetEntry(
                name=name, count=count, param=param,
                include_qs=params.with_value(param, name).querystring(),
                exclude_qs=params.with_value(f"exclude_{param}", name).querystring(),
                included=name in included, excluded=name in excluded,
            )
            for count, name in ranked
        ]
        facets.append(Facet(kind=kind, label=label, param=param, entries=entries))
    return facets, total <= FACET_SAMPLE


# --- snippets ---------------------------------------------------------------------------

SNIPPET_WORDS = 36


def make_snippets(works: list[Work], words: list[str]) -> dict[int, SafeString]:
    """A short passage of each work around the first query word, words marked with <mark>.
    Made here rather than by the engine so both databases show the same snippet."""
    if not words or not works:
        return {}
    pattern = re.compile(r"(?<![^\W_])(" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) + r")(?![^\W_])", re.IGNORECASE)
    found: dict[int, SafeString] = {}
    pending = []
    for work in works:
        text = html_text(work.summary)
        snippet = _snippet(text, pattern)
        if snippet:
            found[work.pk] = snippet
        else:
            pending.append(work.pk)
    if pending:
        for work_id, body in (
            Chapter.objects.filter(work_id__in=pending, posted=True).order_by("work_id", "position").values_list("work_id", "body")
        ):
            if work_id in found:
                continue
            snippet = _snippet(html_text(body), pattern)
            if snippet:
                found[work_id] = snippet
    return found


def _snippet(text: str, pattern: re.Pattern) -> SafeString | None:
    match = pattern.search(text)
    if not match:
        return None
    before = text[: match.start()].split()
    after = text[match.start():].split()
    lead = before[-(SNIPPET_WORDS // 3):]
    tail = after[: SNIPPET_WORDS - len(lead)]
    passage = " ".join(lead + tail)
    escaped = html.escape(passage, quote=False)
    marked = pattern.sub(lambda m: f"<mark>{m.group(0)}</mark>", escaped)
    prefix = "… " if len(before) > len(lead) else ""
    suffix = " …" if len(after) > len(tail) else ""
    return mark_safe(prefix + marked + suffix)  # noqa: S308 - escaped above


# --- personal filters ------------------------------------------------------------------

def mutes_for(user: Any) -> list[Mute]:
    """The reader's mutes, for the mutes page."""
    return list(Mute.objects.filter(user=user).select_related("tag", "creator"))


def saved_filters_for(user: Any) -> list[SavedFilter]:
    """The reader's saved filters, by name."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(SavedFilter.objects.filter(user=user))
