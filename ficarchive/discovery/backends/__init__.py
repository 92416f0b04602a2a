"""One full-text backend per database vendor, behind the same few functions:

- ``match_expression(clause)``: the engine's query text for an OR of text terms
- ``match_ids_sql()``: SQL (one %s) selecting the ids of works matching such a text
- ``match_ids(text)``: those ids, read the way the engine answers fastest
- ``top_ranked(text, limit, matches=None)``: ids of the best matches, best first, scored
  in one pass (``matches``: about how many match, a hint for how to read the index)
- ``upsert(docs)`` / ``delete(ids)`` / ``clear()``: keep the index in step

Filters themselves are plain SQL over Work and Tagging that both databases answer."""

from __future__ import annotations

from types import ModuleType

from django.db import connection


def get_backend(conn=None) -> ModuleType:
    vendor = (conn or connection).vendor
    if vendor == "postgresql":
        from . import postgres

        return postgres
    if vendor == "sqlite":
        from . import sqlite

        return sqlite
    raise NotImplementedError(f"No search backend for the {vendor} database.")
