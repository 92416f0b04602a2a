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
from django.db.models.query import get_related_populators

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


def _compile(qs: QuerySet) -> _Compiled:
    compiler = qs.query.get_compiler(using=qs.db)
    sql, params = compiler.as_sql()  # also fills select, klass_info, annotation_col_map
    if list(params).count(SENTINEL) != 1:
        raise RuntimeError("a compiled queryset must hold the sentinel exactly once")
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
        compiled = _COMPILED[key] = _compile(build(SENTINEL).using(alias))
    connection = connections[alias]
    with connection.cursor() as cursor:
        cursor.execute(compiled.sql, [value if p == SENTINEL else p for p in compiled.params])
        rows = cursor.fetchall()
    out = []
    for fetched in rows:
        row = list(fetched[: compiled.col_count])
        for pos, (convs, expression) in compiled.converters:
            for converter in convs:
                row[pos] = converter(row[pos], expression, connection)
        obj = compiled.model.from_db(alias, compiled.init_list, row[compiled.start : compiled.end])
        for populator in compiled.populators:
            populator.populate(row, obj)
        for attr, pos in compiled.annotations.items():
            setattr(obj, attr, row[pos])
        out.append(obj)
    return out
