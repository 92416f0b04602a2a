"""Django's database session store, its one read as plain SQL (``core.fastrows``).

Everything else is Django's ``sessions.backends.db``: the same table, the same signed and
encoded data, the same expiry rule (a session whose ``expire_date`` has passed is no
session), written and deleted by Django (log-out, ``flush``, ``cycle_key``), so every
guarantee of the database engine holds and nothing is cached. Only the lookup of a
request's session row changed: compiling the ORM query for one row was most of loading a
signed-in reader's session (issue 17's profile, ``docs/benchmarks.md``). Used as
``SESSION_ENGINE`` without Redis; with Redis the settings keep Django's ``cached_db``.
Tested equal to Django's read in ``tests/test_fast_sessions.py``."""

from __future__ import annotations

from typing import Any

from django.contrib.sessions.backends import db
from django.utils import timezone

from .fastrows import model_row


class SessionStore(db.SessionStore):
    """``sessions.backends.db.SessionStore`` reading its row with one plain query."""

    def _get_session_from_db(self) -> Any:
        """The live session row of ``self.session_key``, or None (and the key forgotten,
        as Django does) when there is none or it has expired."""
        key = self.session_key
        model = self.model
        row = None
        if key:
            row = model_row(model, str(model._meta.get_field("session_key").column), key)
        if row is None or row.expire_date <= timezone.now():
            self._session_key = None
            return None
        return row
