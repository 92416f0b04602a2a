"""The few small reads every listing page makes, as plain SQL.

A signed-in reader's ``/works`` with every blurb cached spent about a third of its time
compiling ORM queries whose answers are a handful of rows: the page's works as rows, the
reader's mutes, their saved filters (issue 17's profile, ``docs/benchmarks.md``). These
reads are written here once as SQL (table and column names taken from the models, so a
renamed field still lines up), run on the database the request reads from
(``core.dbrouter.read_alias``) and give the same rows the ORM did; they are read-only and
hold no state, so nothing here can be stale. Equivalence with the ORM is tested in
``tests/test_fastreads.py``."""

from __future__ import annotations

from typing import Any

from django.db import connections
from django.db.models import Model

from ficarchive.accounts.models import Pseud
from ficarchive.core.dbrouter import read_alias
from ficarchive.works.models import Creatorship, SerialWork, Work

from .models import Mute, SavedFilter


def _table(model: type[Model]) -> str:
    return str(model._meta.db_table)


def _col(model: type[Model], name: str) -> str:
    return str(model._meta.get_field(name).column)  # type: ignore[union-attr]


def fetch(sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    """Every row of ``sql`` (our own text, values as parameters) from the read database."""
    with connections[read_alias()].cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


def listing_rows(ids: list[int], user_id: int | None) -> dict[int, dict[str, Any]]:
    """For each existing work of ``ids``: id, title, posted, chapter_count, hit_count,
    in_series (the work is in a series) and, when ``user_id`` is given, own (one of the
    work's creatorships is a pseud of that user). One query; booleans as ``bool``."""
    if not ids:
        return {}
    work, serial, creatorship, pseud = (
        _table(Work),
        _table(SerialWork),
        _table(Creatorship),
        _table(Pseud),
    )
    own = "0"
    params: list[Any] = []
    if user_id is not None:
        own = (
            f"EXISTS(SELECT 1 FROM {creatorship} c JOIN {pseud} p"  # noqa: S608 - our names
            f" ON p.id = c.{_col(Creatorship, 'pseud')}"
            f" WHERE c.{_col(Creatorship, 'work')} = w.id AND p.{_col(Pseud, 'user')} = %s)"
        )
        params.append(user_id)
    sql = (
        f"SELECT w.id, w.{_col(Work, 'title')}, w.{_col(Work, 'posted')},"  # noqa: S608 - our names
        f" w.{_col(Work, 'chapter_count')}, w.{_col(Work, 'hit_count')},"
        f" EXISTS(SELECT 1 FROM {serial} s WHERE s.{_col(SerialWork, 'work')} = w.id), {own}"
        f" FROM {work} w WHERE w.id IN ({', '.join(['%s'] * len(ids))})"
    )
    out: dict[int, dict[str, Any]] = {}
    for pk, title, posted, chapters, hits, in_series, mine in fetch(sql, [*params, *ids]):
        row = {
            "id": pk,
            "title": title,
            "posted": bool(posted),
            "chapter_count": chapters,
            "hit_count": hits,
            "in_series": bool(in_series),
        }
        if user_id is not None:
            row["own"] = bool(mine)
        out[pk] = row
    return out


def mute_rows(
    user_id: int,
) -> list[tuple[str, int | None, int | None, str, int | None, int | None]]:
    """The reader's mutes as (kind, tag_id, creator_id, language, work_id, fandom_id), in
    no particular order (``plan.mutes_of`` sorts what it needs)."""
    cols = ", ".join(
        _col(Mute, name) for name in ("kind", "tag", "creator", "language", "work", "fandom")
    )
    sql = f"SELECT {cols} FROM {_table(Mute)} WHERE {_col(Mute, 'user')} = %s"  # noqa: S608
    return fetch(sql, [user_id])  # type: ignore[return-value]


def saved_filters(user_id: int) -> list[SavedFilter]:
    """The reader's saved filters by name then id (``SavedFilter.Meta.ordering``), as model
    instances built from their rows (``Model.from_db``; ``created_at`` is deferred: it is
    loaded if read, which the listing pages do not)."""
    names = ["id", "user", "name", "path", "querystring"]
    cols = ", ".join(_col(SavedFilter, n) for n in names)
    sql = (
        f"SELECT {cols} FROM {_table(SavedFilter)}"  # noqa: S608 - our names
        f" WHERE {_col(SavedFilter, 'user')} = %s"
        f" ORDER BY {_col(SavedFilter, 'name')}, {_col(SavedFilter, 'id')}"
    )
    alias = read_alias()
    fields = ["id", "user_id", "name", "path", "querystring"]
    return [SavedFilter.from_db(alias, fields, list(row)) for row in fetch(sql, [user_id])]
