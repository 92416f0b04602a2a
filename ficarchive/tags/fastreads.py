"""The two tag reads every tag works page makes, as plain SQL.

A signed-in reader's ``/tags/NAME/works`` spent about a tenth of its CPU compiling two ORM
queries of one row each: the tag by its name key (with its canonical, ``select_related``)
and the wrangling stamp, read again by the closure (issue 17's profile,
``docs/benchmarks.md``). Written once here as SQL, with table and column names taken from
the models (a renamed field still lines up), run on the database the ORM would read from
(``core.dbrouter.read_alias``), giving the same model instances and values as the ORM
reads they replace; read-only and stateless, so nothing here can be stale. Equivalence is
tested in ``tests/test_fastreads.py``."""

from __future__ import annotations

from functools import cache
from typing import Any

from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper

from ficarchive.core.dbrouter import read_alias

from .models import Tag, WranglingVersion


@cache
def _tag_select() -> tuple[str, tuple[str, ...]]:
    """``SELECT every concrete column FROM the tag table`` and the fields' attnames."""
    fields = Tag._meta.concrete_fields
    columns = ", ".join(f'"{field.column}"' for field in fields)
    sql = f'SELECT {columns} FROM "{Tag._meta.db_table}"'  # noqa: S608 - names from the model
    return sql, tuple(f.attname for f in fields)


def _converted(connection: BaseDatabaseWrapper, row: tuple[Any, ...]) -> list[Any]:
    """The row's values as the ORM gives them: the backend's and the fields' converters
    applied (SQLite's datetimes, for one, come back as text without a time zone)."""
    values = list(row)
    for i, field in enumerate(Tag._meta.concrete_fields):
        column = field.get_col(Tag._meta.db_table)
        converters = connection.ops.get_db_converters(column) + column.get_db_converters(connection)
        for converter in converters:
            values[i] = converter(values[i], column, connection)
    return values


def _tag_where(column: str, value: str | int) -> Tag | None:
    select, attnames = _tag_select()
    alias = read_alias()
    connection = connections[alias]
    with connection.cursor() as cursor:
        cursor.execute(f'{select} WHERE "{column}" = %s', [value])
        row = cursor.fetchone()
    if row is None:
        return None
    return Tag.from_db(alias, list(attnames), _converted(connection, row))


def tag_with_canonical(name_key: str) -> Tag | None:
    """The tag whose ``name_key`` is ``name_key`` (unique), or None; its ``synonym_of``
    loaded as ``select_related("synonym_of")`` would (no query on access). One query, two
    for a synonym. Same as
    ``Tag.objects.filter(name_key=name_key).select_related("synonym_of").first()``."""
    tag = _tag_where(str(Tag._meta.get_field("name_key").column), name_key)
    if tag is None:
        return None
    canonical = None
    if tag.synonym_of_id is not None:
        canonical = _tag_where(str(Tag._meta.pk.column), tag.synonym_of_id)  # type: ignore[union-attr]
    Tag._meta.get_field("synonym_of").set_cached_value(tag, canonical)  # type: ignore[union-attr]
    return tag


@cache
def _stamp_sql() -> str:
    meta = WranglingVersion._meta
    stamp = meta.get_field("stamp").column  # type: ignore[union-attr]
    pk = meta.pk.column  # type: ignore[union-attr]
    return f'SELECT "{stamp}" FROM "{meta.db_table}" WHERE "{pk}" = %s'  # noqa: S608 - names from the model


def wrangling_stamp_row() -> str:
    """The wrangling stamp of row 1, "" when there is none (before any wrangling). Same as
    ``WranglingVersion.objects.filter(pk=1).values_list("stamp", flat=True).first() or ""``."""
    with connections[read_alias()].cursor() as cursor:
        cursor.execute(_stamp_sql(), [1])
        row = cursor.fetchone()
    return (row[0] if row else "") or ""
