"""The two tag reads every tag works page makes, as plain SQL.

A signed-in reader's ``/tags/NAME/works`` spent about a tenth of its CPU compiling two ORM
queries of one row each: the tag by its name key (with its canonical, ``select_related``)
and the wrangling stamp, read again by the closure (issue 17's profile,
``docs/benchmarks.md``). Written here as SQL (``core.fastrows``; table and column names
taken from the models), run on the database the ORM would read from, giving the same
model instances and values as the ORM reads they replace; read-only and stateless, so
nothing here can be stale. Equivalence is tested in ``tests/test_fastreads.py``."""

from __future__ import annotations

from functools import cache

from django.db import connections

from ficarchive.core.dbrouter import read_alias
from ficarchive.core.fastrows import model_row

from .models import Tag, WranglingVersion


def tag_with_canonical(name_key: str) -> Tag | None:
    """The tag whose ``name_key`` is ``name_key`` (unique), or None; its ``synonym_of``
    loaded as ``select_related("synonym_of")`` would (no query on access). One query, two
    for a synonym. Same as
    ``Tag.objects.filter(name_key=name_key).select_related("synonym_of").first()``."""
    tag = model_row(Tag, str(Tag._meta.get_field("name_key").column), name_key)
    if tag is None:
        return None
    canonical = None
    if tag.synonym_of_id is not None:
        canonical = model_row(Tag, str(Tag._meta.pk.column), tag.synonym_of_id)  # type: ignore[union-attr]
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
