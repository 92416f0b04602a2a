"""One model row by one column, as plain SQL: what every page's session, user and tag
lookups cost most in was compiling the ORM query, not running it (issue 17's profile,
``docs/benchmarks.md``).

``model_row`` gives the same instance as ``Model.objects.filter(column=value).first()``
for a column with unique values: every concrete field, each through the converters the
ORM applies (the backend's and the field's: SQLite's datetimes come back as text), the
instance marked as loaded from the database the ORM would read (``dbrouter.read_alias``).
Read-only and stateless, so nothing here can be stale. Each caller tests its read equal
to the ORM read it replaces."""

from __future__ import annotations

from functools import cache
from typing import Any, TypeVar

from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Model

from .dbrouter import read_alias

M = TypeVar("M", bound=Model)


@cache
def _select(model: type[Model], column: str) -> tuple[str, tuple[str, ...]]:
    """``SELECT every concrete column FROM the table WHERE column = %s`` and the attnames."""
    fields = model._meta.concrete_fields
    columns = ", ".join(f'"{field.column}"' for field in fields)
    table = model._meta.db_table
    sql = f'SELECT {columns} FROM "{table}" WHERE "{column}" = %s'  # noqa: S608 - model names
    return sql, tuple(f.attname for f in fields)


def _converted(model: type[Model], connection: BaseDatabaseWrapper, row: Any) -> list[Any]:
    values = list(row)
    for i, field in enumerate(model._meta.concrete_fields):
        column = field.get_col(model._meta.db_table)
        converters = connection.ops.get_db_converters(column) + column.get_db_converters(connection)
        for converter in converters:
            values[i] = converter(values[i], column, connection)
    return values


def model_row(model: type[M], column: str, value: str | int) -> M | None:
    """The ``model`` instance whose database ``column`` equals ``value`` (a unique column),
    or None. One query."""
    sql, attnames = _select(model, column)
    alias = read_alias()
    connection = connections[alias]
    with connection.cursor() as cursor:
        cursor.execute(sql, [value])
        row = cursor.fetchone()
    if row is None:
        return None
    return model.from_db(alias, list(attnames), _converted(model, connection, row))
