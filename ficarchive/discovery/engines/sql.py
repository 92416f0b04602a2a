"""The SQL engine: a search plan as a ``Q`` over ``Work``, answered by the database.

It answers every plan. Included tags are ``id IN (SELECT work_id FROM tagging WHERE tag_id
IN closure)``, one per included tag, so the database starts from the rarest tag's index;
every exclusion by tag (excluded tags, warnings and categories, the reader's muted tags)
is one ``NOT IN`` over the (work, tag) index; the rest are indexed ``Work`` columns. Text
terms are matched by the vendor's full-text engine (``backends``)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, F, Q, QuerySet, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, Lower

from ficarchive.tags.models import Tag, Tagging
from ficarchive.works.access import anonymous_q
from ficarchive.works.models import Work

from ..backends import get_backend
from ..models import SearchEntry
from ..plan import Cond, Plan, reader_subquery
from ..query import NUMERIC_FIELDS
from ..sorts import SORT_COLUMNS
from . import FACET_SAMPLE, Hits, ranked_ids, relevance_slice


def _tagged(tag_ids: frozenset[int]) -> Q:
    if not tag_ids:
        return Q(pk__in=[])
    return Q(pk__in=Tagging.objects.filter(tag_id__in=sorted(tag_ids)).values("work_id"))


def _complete_q() -> Q:
    return Q(expected_chapters__isnull=False, chapter_count__gte=F("expected_chapters"))


def _in_progress_q() -> Q:
    return Q(expected_chapters__isnull=True) | Q(chapter_count__lt=F("expected_chapters"))


def _cond_q(cond: Cond) -> Q:
    if cond.kind == "text":
        backend = get_backend()
        # PostgreSQL reads phrases from its word-pair index (backends.postgres.match_sql).
        sql, params = (
            backend.match_sql(cond.expr)
            if hasattr(backend, "match_sql")
            else (backend.match_ids_sql(), [cond.expr])
        )
        q = Q(pk__in=RawSQL(sql, params))  # noqa: S611 - query text is a parameter
    elif cond.kind == "works":
        q = Q(pk__in=sorted(cond.ids))
    elif cond.kind == "tags":
        q = _tagged(cond.ids)
    elif cond.kind == "rating":
        q = Q(rating=cond.value)
    elif cond.kind == "language":
        q = Q(language__iexact=cond.value)
    elif cond.kind == "complete":
        q = _complete_q() if cond.value == "yes" else _in_progress_q()
    else:  # range
        column = NUMERIC_FIELDS[cond.value]
        q = Q()
        if cond.low is not None:
            q &= Q(**{f"{column}__gte": cond.low})
        if cond.high is not None:
            q &= Q(**{f"{column}__lte": cond.high})
    return ~q if cond.negated else q


def _flags_q(plan: Plan) -> Q:
    """The parameters' flags and ranges."""
    q = Q()
    crossovers = SearchEntry.objects.filter(fandom_count__gt=1).values("work_id")
    if plan.crossover == "only":
        q &= Q(pk__in=crossovers)
    elif plan.crossover == "exclude":
        q &= ~Q(pk__in=crossovers)
    if plan.complete == "complete":
        q &= _complete_q()
    elif plan.complete == "in_progress":
        q &= _in_progress_q()
    low, high = plan.words
    if low is not None:
        q &= Q(word_count__gte=low)
    if high is not None:
        q &= Q(word_count__lte=high)
    if plan.updated_from:
        q &= Q(revised_at__gte=plan.updated_from)
    if plan.updated_before:
        q &= Q(revised_at__lt=plan.updated_before)
    if plan.language:
        q &= Q(language=plan.language)
    return q


def _reader_q(plan: Plan) -> Q:
    """The reader's own exclusions: single muted works, works hidden for read state, tag
    mutes limited to a fandom (works carrying both), and "updated since I read it"."""
    q = Q()
    if plan.hidden_work_ids:
        q &= ~Q(pk__in=sorted(plan.hidden_work_ids))
    for tag_ids, fandom_ids in plan.scoped_mutes:
        q &= ~(_tagged(tag_ids) & _tagged(fandom_ids))
    # The reader's sets as subqueries: a history of any length costs no list of ids.
    for name in sorted(plan.reader_hidden):
        q &= ~Q(pk__in=reader_subquery(plan, name))
    if plan.reader_only:
        q &= Q(pk__in=reader_subquery(plan, plan.reader_only))
    return q


def where(plan: Plan) -> Q:
    """The plan's conditions as one ``Q`` on ``Work`` (the listing rule and ``within``
    included)."""
    if plan.impossible:
        return Q(pk__in=[])
    if plan.within_is_gate:
        assert plan.within_ids is not None
        q = Q(pk__in=sorted(plan.within_ids))
    else:
        q = plan.rule.q()
        if plan.within_ids is not None:
            q &= Q(pk__in=sorted(plan.within_ids))
    if plan.within_tags is not None:
        q &= _tagged(plan.within_tags)
    if plan.ratings:
        q &= Q(rating__in=sorted(plan.ratings))
    if plan.excluded_ratings:
        q &= ~Q(rating__in=sorted(plan.excluded_ratings))
    for tag_ids in plan.required:
        q &= _tagged(tag_ids)
    if plan.excluded_tags:
        # NOT IN over the excluded tags' posting lists: both databases build that set once
        # (SQLite an ephemeral index, PostgreSQL a hashed subplan) and probe it per row.
        q &= ~_tagged(plan.excluded_tags)
    if plan.muted_work_ids:
        q &= ~(~anonymous_q() & Q(pk__in=sorted(plan.muted_work_ids)))
    if plan.muted_languages:
        q &= ~Q(language__in=sorted(plan.muted_languages))
    q &= _reader_q(plan)
    q &= _flags_q(plan)
    for clause in plan.clauses:
        clause_q = Q()
        for cond in clause:
            clause_q |= _cond_q(cond)
        q &= clause_q
    return q


def queryset(plan: Plan) -> QuerySet[Work]:
    """The works that pass the plan, unordered."""
    return Work.objects.filter(where(plan))


def ordering(sort: str, descending: bool) -> list[Any]:
    """``order_by`` arguments for a sort key (ties broken by id in the same direction)."""
    sign = "-" if descending else ""
    if sort == "title":
        expr = Lower("title")
        return [expr.desc() if descending else expr.asc(), f"{sign}id"]
    if sort == "creator":
        return [f"{sign}search_entry__creator_sort", f"{sign}id"]
    return [f"{sign}{SORT_COLUMNS[sort]}", f"{sign}id"]


def key_expression(sort: str) -> Any:
    """The expression a keyset cursor seeks on for a sort key."""
    if sort == "title":
        return Lower("title")
    if sort == "creator":
        return Coalesce(F("search_entry__creator_sort"), Value(""))
    return F(SORT_COLUMNS[sort])


def _seek(qs: QuerySet[Work], descending: bool, key: Any, last_id: int) -> QuerySet[Work]:
    op = "lt" if descending else "gt"
    if key is None:  # inside the NULL block: seek by id
        rest = Q(_k__isnull=True, **{f"pk__{op}": last_id})
        return qs.filter(rest if descending else rest | Q(_k__isnull=False))
    after = Q(**{f"_k__{op}": key}) | Q(_k=key, **{f"pk__{op}": last_id})
    if descending:  # NULLs come last in a descending order
        after |= Q(_k__isnull=True)
    return qs.filter(after)


def _tag_info(ids: list[int]) -> dict[int, tuple[str, int | None, str]]:
    return {
        pk: (kind, syn, name)
        for pk, kind, syn, name in Tag.objects.filter(pk__in=ids).values_list(
            "pk", "kind", "synonym_of_id", "name"
        )
    }


def _facet_counts(ordered: QuerySet[Work]) -> dict[int, int]:
    # Count per tag as written (a covering-index scan); synonyms are folded by the caller.
    sample = ordered.values("pk")[:FACET_SAMPLE]
    return dict(
        Tagging.objects.filter(work_id__in=sample)
        .values_list("tag_id")
        .annotate(n=Count("id"))
        .order_by()
    )


def execute(plan: Plan) -> Hits:
    """Answer the plan in the database (any plan); see ``Hits``."""
    qs = queryset(plan)
    total = qs.count()
    by_date = qs.order_by(*ordering("updated", True))
    if plan.sort == "relevance":
        ordered = by_date  # facets sample the newest matches

        def passing(ids: list[int]) -> set[int]:
            return set(qs.filter(pk__in=ids).values_list("pk", flat=True))

        def rest(skip: list[int], offset: int, n: int) -> list[int]:
            return list(
                by_date.exclude(pk__in=skip).values_list("pk", flat=True)[offset : offset + n]
            )

        def page(start: int, count: int) -> list[int]:
            return relevance_slice(
                ranked_ids(plan.rank_expressions, total), passing, rest, start, count
            )

    else:
        ordered = qs.order_by(*ordering(plan.sort, plan.descending))

        def page(start: int, count: int) -> list[int]:
            return list(ordered.values_list("pk", flat=True)[start : start + count])

    def seek(after: tuple[Any, int] | None, count: int) -> list[tuple[int, Any]]:
        keyed: QuerySet[Any] = qs.annotate(_k=key_expression(plan.sort))
        if after is not None:
            keyed = _seek(keyed, plan.descending, *after)
        key_order = (
            F("_k").desc(nulls_last=True) if plan.descending else F("_k").asc(nulls_first=True)
        )
        return list(
            keyed.order_by(key_order, "-pk" if plan.descending else "pk").values_list("pk", "_k")[
                :count
            ]
        )

    return Hits(total, page, seek, lambda: _facet_counts(ordered), _tag_info)
