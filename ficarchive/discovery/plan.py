"""The search plan: a request to list or search works, resolved once.

``build_plan(viewer, params, within=None)`` reads the filter parameters (``forms``) and the
query (``query``) and resolves every name the engines would otherwise look up themselves:
tag names become the tags' closures (``tags.selectors.tag_closure_ids``: the tag, its
synonyms, its subtags and theirs), vocabulary names become tag ids, the viewer's mutes
become tag closures, work ids and languages, a creator term becomes the ids of the works
it may match, and the viewer's listing rule comes from ``works.access``. The result is a
frozen ``Plan`` that holds no database state of its own: the SQL engine
(``engines.sql``) turns it into a ``Q``, the bitmap engine (``engines.bitmap``) into set
algebra over its index, and both answer the same works in the same order.

Problems a reader can fix (an unknown tag, a dropped parameter) are collected in
``Plan.errors``; a query the parser cannot read raises ``QuerySyntaxError``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ficarchive.core.viewers import Viewer, user_or_none
from ficarchive.tags.models import Tag, tag_key
from ficarchive.tags.selectors import tag_closure_ids, tag_closures
from ficarchive.works.access import ListingRule, anonymous_q, listing_rule
from ficarchive.works.models import Creatorship

from .backends import get_backend
from .fastreads import mute_rows
from .forms import FilterParams
from .models import MuteKind
from .query import NUMERIC_FIELDS, Query, QuerySyntaxError, Term, parse_query

if TYPE_CHECKING:
    from collections.abc import Iterable

    from django.db.models import QuerySet

    from ficarchive.works.models import Work


@dataclass(frozen=True)
class WithinTags:
    """Stay within works carrying any of these tags (a tag's works page: the tag's closure)."""

    tag_ids: frozenset[int]


@dataclass(frozen=True)
class WithinWorks:
    """Stay within these works (a user's works page). ``is_gate``: the queryset already is
    this page's privacy rule for the viewer (the owner sees their works an admin hid), so
    the listing rule is not applied on top of it; otherwise it is."""

    works: QuerySet[Work]
    is_gate: bool = False


Within = WithinTags | WithinWorks


def within_tag(tag: Tag) -> WithinTags:
    """The base of /tags/NAME/works: the tag, its synonyms and subtags (closure)."""
    return WithinTags(frozenset(tag_closure_ids([tag.pk])))


# --- conditions of the query language ---------------------------------------------------


@dataclass(frozen=True)
class Cond:
    """One resolved term of the query language. ``kind`` and what it reads:

    - ``text``: ``expr``, a full-text match expression of the vendor's backend;
    - ``works``: ``ids``, the works it matches (a creator's works; none for an unknown tag);
    - ``tags``: ``ids``, a tag's closure: works carrying any of them match;
    - ``rating``, ``language``: ``value``;
    - ``complete``: ``value`` "yes" or "no";
    - ``range``: ``value`` the numeric field (``query.NUMERIC_FIELDS``), ``low``..``high``
      inclusive, None unbounded.
    ``negated``: the works that do *not* match."""

    kind: str
    negated: bool = False
    expr: str = ""
    ids: frozenset[int] = frozenset()
    value: str = ""
    low: int | None = None
    high: int | None = None


@dataclass(frozen=True)
class Plan:
    """A resolved listing request; see the module docstring. Every set is of ids.

    The works it selects: those the ``rule`` lists (or ``within_ids`` alone when
    ``within_is_gate``), within ``within_tags``/``within_ids`` when set, carrying at least
    one tag of each set in ``required``, none of ``excluded_tags``, not by a muted creator
    (``muted_work_ids``, anonymous works spared so a mute reveals nothing), in none of the
    ``muted_languages``, passing the parameters' flags and ranges, and passing every clause
    of ``clauses`` (a clause is an OR of conditions). ``impossible``: a name that matches
    nothing was asked for, so nothing passes."""

    rule: ListingRule
    sort: str
    descending: bool
    within_tags: frozenset[int] | None = None
    within_ids: frozenset[int] | None = None
    within_is_gate: bool = False
    impossible: bool = False
    ratings: frozenset[str] = frozenset()
    excluded_ratings: frozenset[str] = frozenset()
    required: tuple[frozenset[int], ...] = ()
    excluded_tags: frozenset[int] = frozenset()
    muted_work_ids: frozenset[int] = frozenset()
    muted_languages: frozenset[str] = frozenset()
    hidden_work_ids: frozenset[int] = frozenset()
    scoped_mutes: tuple[tuple[frozenset[int], frozenset[int]], ...] = ()
    # The reader's own sets (``reader_ids``, ``reader_subquery``): hide the works of each
    # name in ``reader_hidden``, keep only those of ``reader_only`` when set.
    reader_id: int | None = None
    reader_hidden: frozenset[str] = frozenset()
    reader_only: str = ""
    crossover: str = ""  # "only", "exclude" or ""
    complete: str = ""  # "complete", "in_progress" or ""
    words: tuple[int | None, int | None] = (None, None)
    # revised_at in [updated_from, updated_before)
    updated_from: dt.datetime | None = None
    updated_before: dt.datetime | None = None
    language: str = ""
    clauses: tuple[tuple[Cond, ...], ...] = ()
    # Match expressions of the all-text clauses: what relevance ranks by.
    rank_expressions: tuple[str, ...] = ()
    highlight_words: tuple[str, ...] = ()
    has_text: bool = False
    errors: tuple[str, ...] = field(default=(), compare=False)


def tags_by_names(names: Iterable[str]) -> dict[str, Tag]:
    """The tags with these names (compared as tag names are), keyed by the given name. A
    name holding a NUL character names no tag (PostgreSQL text cannot hold one, and asking
    would fail the request instead of saying the tag is unknown)."""
    wanted = {tag_key(n): n for n in names if n and n.strip() and "\x00" not in n}
    if not wanted:
        return {}
    found = Tag.objects.filter(name_key__in=list(wanted))
    return {wanted[t.name_key]: t for t in found}


@dataclass(frozen=True)
class Mutes:
    """A viewer's mutes, ready to exclude: tag closure ids, muted users' ids, languages,
    single works, and tag mutes limited to a fandom as (tag closure, fandom closure)."""

    tag_ids: frozenset[int] = frozenset()
    creator_ids: frozenset[int] = frozenset()
    languages: frozenset[str] = frozenset()
    work_ids: frozenset[int] = frozenset()
    scoped: tuple[tuple[frozenset[int], frozenset[int]], ...] = ()


def mutes_of(viewer: Viewer) -> Mutes:
    """The viewer's mutes (none for guests and the operator)."""
    user = user_or_none(viewer)
    if user is None:
        return Mutes()
    tags, creators, languages, works = [], set(), set(), set()
    scoped: list[tuple[frozenset[int], frozenset[int]]] = []
    # Plain SQL (``fastreads``): most readers have none, and the ORM's compiling was the cost.
    for kind, tag_id, creator_id, language, work_id, fandom_id in mute_rows(int(user.pk)):
        if kind == MuteKind.TAG and tag_id and fandom_id:
            scoped.append(
                (frozenset(tag_closure_ids([tag_id])), frozenset(tag_closure_ids([fandom_id])))
            )
        elif kind == MuteKind.TAG and tag_id:
            tags.append(tag_id)
        elif kind == MuteKind.CREATOR and creator_id:
            creators.add(creator_id)
        elif kind == MuteKind.LANGUAGE and language:
            languages.add(language)
        elif kind == MuteKind.WORK and work_id:
            works.add(work_id)
    closure = tag_closure_ids(tags) if tags else set()
    return Mutes(
        frozenset(closure),
        frozenset(creators),
        frozenset(languages),
        frozenset(works),
        tuple(sorted(scoped, key=lambda pair: (sorted(pair[0]), sorted(pair[1])))),
    )


# --- read state: the reader's own works sets, from the reading app -------------------------

# (user id, names wanted) -> {name: work ids}; names: "read", "updated_since_read",
# "kudosed", "bookmarked". The reading app (above discovery) registers it from ready(),
# with (user id, name) -> a subquery of those works' ids (``values("work_id")``) for the
# SQL engine, so no list of ids travels to the database.
ReaderSets = Callable[[int, frozenset[str]], dict[str, frozenset[int]]]
ReaderSubquery = Callable[[int, str], "QuerySet[Any, Any]"]
_READER_SETS: list[ReaderSets] = []
_READER_SUBQUERIES: list[ReaderSubquery] = []


def reader_sets_register(provider: ReaderSets, subquery: ReaderSubquery) -> None:
    """Let the listing filters hide what the reader read, kudos'd or bookmarked, and keep
    only what was updated since they read it (the reading app calls this once): the ids
    for the bitmap engine, the same works as a subquery for the SQL engine."""
    _READER_SETS[:] = [provider]
    _READER_SUBQUERIES[:] = [subquery]


def _reader_names(viewer: Viewer, params: FilterParams, errors: list[str]) -> int | None:
    """The reader whose own sets the parameters name (None: none named, a guest, or no
    provider registered; a guest is told to log in)."""
    if not params.hide and not params.updated_since_read:
        return None
    user = user_or_none(viewer)
    if user is None:
        errors.append("Log in to filter by what you have read, kudos'd or bookmarked.")
        return None
    return int(user.pk) if _READER_SETS else None


def reader_ids(plan: Plan) -> tuple[frozenset[int], frozenset[int] | None]:
    """The plan's reader sets as ids (for the bitmap engine): the works to hide, and the
    works to keep only (None: no such filter)."""
    if plan.reader_id is None:
        return frozenset(), None
    names = plan.reader_hidden | ({plan.reader_only} if plan.reader_only else set())
    sets = _READER_SETS[0](plan.reader_id, frozenset(names))
    hidden = frozenset().union(*(sets.get(n, frozenset()) for n in plan.reader_hidden))
    return hidden, sets.get(plan.reader_only, frozenset()) if plan.reader_only else None


def reader_subquery(plan: Plan, name: str) -> QuerySet[Any, Any]:
    """One of the plan's reader sets as a subquery of work ids (for the SQL engine)."""
    assert plan.reader_id is not None
    return _READER_SUBQUERIES[0](plan.reader_id, name)


def _creator_work_ids(name: str, rule: ListingRule) -> frozenset[int]:
    """Works credited to a pseud or account of this name; anonymous works only when the
    rule may reveal their creators (admins, the operator)."""
    match = Creatorship.objects.filter(
        Q(pseud__name__iexact=name) | Q(pseud__user__username__iexact=name)
    )
    if not rule.reveal_anonymous:
        match = match.exclude(anonymous_q("work__"))
    return frozenset(match.values_list("work_id", flat=True))


_BOUNDS = {">": (1, None), "<": (None, -1), ">=": (0, None), "<=": (None, 0), "=": (0, 0)}


def _range_cond(term: Term) -> Cond:
    assert term.low is not None  # the parser sets it for every numeric term
    low: int | None
    high: int | None
    if term.op == "range":
        low, high = term.low, term.high
    else:
        low_shift, high_shift = _BOUNDS[term.op]
        low = None if low_shift is None else term.low + low_shift
        high = None if high_shift is None else term.low + high_shift
    return Cond("range", term.negated, value=term.field, low=low, high=high)


def _term_cond(term: Term, rule: ListingRule, errors: list[str]) -> Cond:
    if term.kind == "text" or term.field == "title":
        return Cond("text", term.negated, expr=get_backend().match_expression([term]))
    if term.field == "creator":
        return Cond("works", term.negated, ids=_creator_work_ids(term.value, rule))
    if term.field == "tag":
        tag = tags_by_names([term.value]).get(term.value)
        if tag is None:
            errors.append(_("There is no tag named %(name)s.") % {"name": repr(term.value)})
            return Cond("works", term.negated)
        return Cond("tags", term.negated, ids=frozenset(tag_closure_ids([tag.pk])))
    if term.field in ("rating", "language", "complete"):
        return Cond(term.field, term.negated, value=term.value)
    if term.field in NUMERIC_FIELDS:
        return _range_cond(term)
    raise QuerySyntaxError(
        f"Unknown field {term.field}."
    )  # pragma: no cover - parser's fields only


def _clauses(
    query: Query, rule: ListingRule, errors: list[str]
) -> tuple[tuple[tuple[Cond, ...], ...], tuple[str, ...]]:
    """The query's clauses as conditions, and the match expressions relevance ranks by.

    A clause of words and phrases only becomes one match expression (the engine ORs inside
    it, and ranks it when it is not excluded)."""
    backend = get_backend()
    clauses: list[tuple[Cond, ...]] = []
    rank: list[str] = []
    for clause in query.clauses:
        if all(t.kind == "text" or t.field == "title" for t in clause):
            expr = backend.match_expression(clause)
            negated = any(t.negated for t in clause)  # the parser allows it alone only
            clauses.append((Cond("text", negated, expr=expr),))
            if not negated:
                rank.append(expr)
            continue
        clauses.append(tuple(_term_cond(t, rule, errors) for t in clause))
    return tuple(clauses), tuple(rank)


def _required(
    params: FilterParams,
    found: dict[str, Tag],
    closures: dict[int, frozenset[int]],
    errors: list[str],
) -> tuple[tuple[frozenset[int], ...], bool]:
    """The tag sets a work must each touch, and whether a name matched nothing. ``found``:
    the tags named anywhere in ``params`` (``tags_by_names``); ``closures``: the included
    free tags' closures (``tag_closures``)."""
    required: list[frozenset[int]] = []
    impossible = False
    for name in dict.fromkeys(params.warning + params.category):
        tag = found.get(name)
        if tag is None:
            impossible = True  # a warning no work has used yet: nothing carries it
        else:
            required.append(frozenset({tag.pk}))
    for name in params.tag:
        tag = found.get(name)
        if tag is None:
            errors.append(
                _("There is no tag named %(name)s; no work can match it.") % {"name": repr(name)}
            )
            impossible = True
        else:
            required.append(closures[tag.pk])
    return tuple(required), impossible


def _resolve_sort(
    params: FilterParams, query: Query, rank: tuple[str, ...], default_sort: str
) -> tuple[str, bool]:
    """The order: the reader's sort, else relevance for a text query, else the page's default.
    Relevance without anything to rank falls back to date updated."""
    has_text = query.has_text
    sort = params.sort_key(has_text=has_text) if (params.sort or has_text) else default_sort
    if sort == "relevance" and not rank:
        sort = "updated"
    return sort, params.descending(sort)


def _within(within: Within | None) -> tuple[frozenset[int] | None, frozenset[int] | None, bool]:
    """(within_tags, within_ids, within_is_gate) of the plan."""
    if isinstance(within, WithinTags):
        return within.tag_ids, None, False
    if isinstance(within, WithinWorks):
        return None, frozenset(within.works.order_by().values_list("pk", flat=True)), within.is_gate
    return None, None, False


def _day_start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=timezone.get_current_timezone())


def build_plan(
    viewer: Viewer,
    params: FilterParams,
    within: Within | None = None,
    *,
    default_sort: str = "updated",
) -> Plan:
    """Resolve a listing request once (see the module docstring).

    ``params``: the checked filter parameters; ``within``: a tag's closure or a set of works
    to stay inside; ``default_sort``: the order when the reader chose none and there is no
    text (the API's search defaults to relevance). Raises ``QuerySyntaxError`` (a reader-
    facing message) when ``params.q`` cannot be read."""
    errors = list(params.errors)
    rule = listing_rule(viewer)
    query = parse_query(params.q)
    clauses, rank = _clauses(query, rule, errors)
    # Every tag the filter names, in one read; the free tags' closures in one more (or
    # none, when cached): issue 17, a first-seen filter's name and closure reads were a
    # fifth of its time at 1M works.
    found = tags_by_names(
        params.warning
        + params.category
        + params.tag
        + params.exclude_warning
        + params.exclude_category
        + params.exclude_tag
    )
    free = [found[n] for n in params.tag + params.exclude_tag if n in found]
    closures = tag_closures(free) if free else {}
    required, impossible = _required(params, found, closures, errors)
    excluded = {found[n].pk for n in params.exclude_warning + params.exclude_category if n in found}
    for name in params.exclude_tag:
        if name in found:
            excluded |= closures[found[name].pk]
    mutes = mutes_of(viewer)
    muted_works: frozenset[int] = frozenset()
    if mutes.creator_ids:
        muted_works = frozenset(
            Creatorship.objects.filter(pseud__user_id__in=sorted(mutes.creator_ids)).values_list(
                "work_id", flat=True
            )
        )
    reader = _reader_names(viewer, params, errors)
    sort, descending = _resolve_sort(params, query, rank, default_sort)
    within_tags, within_ids, within_is_gate = _within(within)
    return Plan(
        rule=rule,
        sort=sort,
        descending=descending,
        impossible=impossible,
        ratings=frozenset(params.rating),
        excluded_ratings=frozenset(params.exclude_rating),
        required=required,
        excluded_tags=frozenset(excluded | mutes.tag_ids),
        muted_work_ids=muted_works,
        muted_languages=mutes.languages,
        hidden_work_ids=frozenset(mutes.work_ids),
        reader_id=reader,
        reader_hidden=frozenset(params.hide) if reader is not None else frozenset(),
        reader_only="updated_since_read"
        if reader is not None and params.updated_since_read
        else "",
        scoped_mutes=mutes.scoped,
        crossover=params.crossover,
        complete=params.complete,
        words=(params.words_from, params.words_to),
        updated_from=_day_start(params.date_from) if params.date_from else None,
        updated_before=_day_start(params.date_to + dt.timedelta(days=1))
        if params.date_to
        else None,
        language=params.language,
        clauses=clauses,
        rank_expressions=rank,
        highlight_words=tuple(query.highlight_words),
        has_text=query.has_text,
        errors=tuple(errors),
        within_tags=within_tags,
        within_ids=within_ids,
        within_is_gate=within_is_gate,
    )
