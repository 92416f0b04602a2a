"""A queryset compiled once per process and run with a new value each time: the instances
it gives are those the ORM gives (``select_related`` objects and annotations included),
without compiling it again.

The work page's reads (its taggings, creatorships, chapters, kudos) are small indexed
lookups whose cost was mostly Django compiling the SQL on every request (issue 17's
profile, ``docs/benchmarks.md``); ``core.fastrows`` does the same for one-row reads of a
unique column. The rows are turned into instances as Django's ``ModelIterable`` does:
``Model.from_db``, its related populators, the annotation columns, each value through
the converters the compiler chose. Read-only and stateless (a compiled statement holds
no data), so nothing here can be stale. Each caller tests its read equal to the ORM's."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import connections, router
from django.db.models import Model, QuerySet
from django.db.models.base import ModelState
from django.db.models.query import get_related_populators
from django.db.models.signals import post_init, pre_init

# Stands for the value in the compiled statement: no id of a real row is this large.
SENTINEL = 9_876_543_210_127


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple[Any, ...]
    model: type[Model]
    init_list: list[str]
    start: int
    end: int
    col_count: int
    converters: list[tuple[int, tuple[list[Any], Any]]]
    populators: list[Any]
    annotations: dict[str, int]


_COMPILED: dict[tuple[str, str], _Compiled] = {}


def _compile(qs: QuerySet, sentinels: list[int]) -> _Compiled:
    compiler = qs.query.get_compiler(using=qs.db)
    sql, params = compiler.as_sql()  # also fills select, klass_info, annotation_col_map
    if any(list(params).count(s) != 1 for s in sentinels):
        raise RuntimeError("a compiled queryset must hold each sentinel exactly once")
    select, klass_info = compiler.select, compiler.klass_info
    fields = klass_info["select_fields"]
    start, end = fields[0], fields[-1] + 1
    return _Compiled(
        sql=sql,
        params=tuple(params),
        model=klass_info["model"],
        init_list=[f[0].target.attname for f in select[start:end]],
        start=start,
        end=end,
        col_count=compiler.col_count,
        converters=list(
            compiler.get_converters([s[0] for s in select[: compiler.col_count]]).items()
        ),
        # Django 5.2 takes three arguments; the stubs follow a later release.
        populators=get_related_populators(klass_info, select, qs.db),  # type: ignore[call-arg]
        annotations=dict(compiler.annotation_col_map or {}),
    )


def compiled_rows(
    name: str, model: type[Model], build: Callable[[int], QuerySet], value: int
) -> list[Any]:
    """The instances ``list(build(value))`` gives, in its order: ``build(SENTINEL)`` (a
    queryset of ``model`` read from the database the router gives for reading it) is
    compiled once per process and database under ``name`` (a name per query shape: the
    caller's), then run with ``value`` in the sentinel's place. ``build`` must give a
    queryset of model instances (no ``values()``, ``distinct`` or prefetch) holding its
    argument once. Raises RuntimeError when it does not hold it once."""
    alias = router.db_for_read(model)
    key = (alias, name)
    compiled = _COMPILED.get(key)
    if compiled is None:
        compiled = _COMPILED[key] = _compile(build(SENTINEL).using(alias), [SENTINEL])
    return _run(compiled, alias, {SENTINEL: value})


# The most values ``compiled_rows_in`` compiles a statement for (one statement per count).
MAX_VALUES = 200


def compiled_rows_in(
    name: str, model: type[Model], build: Callable[[list[int]], QuerySet], values: list[int]
) -> list[Any]:
    """``compiled_rows`` for a list of values (``build`` gives a queryset holding each of
    its list once, as an ``__in`` lookup does): compiled once per process, database,
    ``name`` and number of values, up to ``MAX_VALUES`` (more: the ORM's query, compiled
    as usual)."""
    if len(values) > MAX_VALUES:
        return list(build(list(values)))
    alias = router.db_for_read(model)
    key = (alias, f"{name}#{len(values)}")
    sentinels = [SENTINEL + i for i in range(len(values))]
    compiled = _COMPILED.get(key)
    if compiled is None:
        compiled = _COMPILED[key] = _compile(build(sentinels).using(alias), sentinels)
    return _run(compiled, alias, dict(zip(sentinels, values, strict=True)))


def _run(compiled: _Compiled, alias: str, values: dict[int, int]) -> list[Any]:
    """Run a compiled statement with ``values`` in place of its sentinels; the instances,
    as Django's ``ModelIterable`` makes them."""
    connection = connections[alias]
    params = [values.get(p, p) if isinstance(p, int) else p for p in compiled.params]
    with connection.cursor() as cursor:
        cursor.execute(compiled.sql, params)
        rows = cursor.fetchall()
    out = []
    for fetched in rows:
        row = list(fetched[: compiled.col_count])
        for pos, (convs, expression) in compiled.converters:
            for converter in convs:
                row[pos] = converter(row[pos], expression, connection)
        obj = _from_db(
            compiled.model, alias, compiled.init_list, row[compiled.start : compiled.end]
        )
        for populator in compiled.populators:
            _populate(populator, row, obj)
        for attr, pos in compiled.annotations.items():
            setattr(obj, attr, row[pos])
        out.append(obj)
    return out


_PLAIN_INIT: dict[type[Model], bool] = {}


def _plain_init(model: type[Model]) -> bool:
    """Whether ``model`` keeps Django's own ``from_db`` and ``__init__`` and nothing listens
    to its ``pre_init``/``post_init`` signals: then an instance is its field values and a
    state, and ``_from_db`` may build it without ``Model.__init__``'s generic path. The
    signals are asked each time (a receiver may connect later; Django caches the answer)."""
    plain = _PLAIN_INIT.get(model)
    if plain is None:
        plain = _PLAIN_INIT[model] = (
            getattr(model.from_db, "__func__", None) is Model.from_db.__func__  # type: ignore[attr-defined]
            and model.__init__ is Model.__init__
        )
    return plain and not pre_init.has_listeners(model) and not post_init.has_listeners(model)


def _from_db(model: type[Model], alias: str, attnames: list[str], values: Any) -> Model:
    """``model.from_db(alias, attnames, values)``: the same instance (the loaded fields'
    values in its ``__dict__``, the others deferred, a state saying "from ``alias``, not
    new"), built directly when ``_plain_init`` allows. ``Model.__init__`` walking every
    field for the 700 rows of a 1M-work listing's blurbs was a third of loading them
    (issue 17). Each read built here is tested equal to the ORM's."""
    if not _plain_init(model):
        return model.from_db(alias, attnames, values)
    obj = model.__new__(model)
    state = ModelState()
    state.adding = False
    state.db = alias
    obj.__dict__["_state"] = state
    obj.__dict__.update(zip(attnames, values, strict=True))
    return obj


def _populate(populator: Any, row: list[Any], from_obj: Model) -> None:
    """Django's ``RelatedPopulator.populate`` (a ``select_related`` object of ``row`` set on
    ``from_obj`` and back), with instances built by ``_from_db``."""
    if populator.reorder_for_init:
        obj_data = populator.reorder_for_init(row)
    else:
        obj_data = row[populator.cols_start : populator.cols_end]
    if obj_data[populator.pk_idx] is None:
        obj = None
    else:
        obj = _from_db(populator.model_cls, populator.db, populator.init_list, obj_data)
        for related in populator.related_populators:
            _populate(related, row, obj)
    populator.local_setter(from_obj, obj)
    if obj is not None:
        populator.remote_setter(obj, from_obj)


def set_prefetched(
    instance: Model, name: str, objs: list[Any], queryset: QuerySet | None = None
) -> None:
    """Store ``objs`` as ``instance.<name>.all()`` (a reverse foreign key), as
    ``prefetch_related`` does (with ``Prefetch(name, queryset)`` when ``queryset`` is
    given), each pointing back at ``instance`` as a prefetch sets it.

    With ``queryset``, the stored queryset is a fresh one on the related model with the
    relation's filter left deferred, as Django's ``_apply_rel_filters`` defers it, instead
    of a copy of ``queryset`` (copying its ``select_related`` and ``only`` query for each
    of a listing's 60 relations was 3 ms of a 1M-work filter, issue 17). Reading it gives
    ``objs``; a further ``filter()`` or ``exclude()`` on it queries this instance's rows
    only, as it would on the manager."""
    manager = getattr(instance, name)
    field = manager.field
    for obj in objs:
        field.set_cached_value(obj, instance)
    qs: Any
    if queryset is not None:
        # ``_db``, not ``db``: the router still chooses when the queryset is read, as it does
        # for Django's own prefetch.
        using = queryset._db  # type: ignore[attr-defined]
        qs = QuerySet(model=queryset.model, using=using, hints={"instance": instance})
        qs._deferred_filter = (False, (), manager.core_filters)
        target = field.target_field
        qs._known_related_objects = {field: {getattr(instance, target.attname): instance}}
    else:
        qs = manager.get_queryset()
    qs._result_cache = objs
    qs._prefetch_done = True
    cache = instance.__dict__.setdefault("_prefetched_objects_cache", {})
    cache[field.remote_field.cache_name] = qs
