"""`ficarchive reading history|later|stats NAME --json`: one JSON object per line."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

from ficarchive.reading import services
from ficarchive.testing import make_work

pytestmark = pytest.mark.django_db


def _lines(*args: str) -> list[dict]:
    out = io.StringIO()
    call_command("reading", *args, "--json", stdout=out)
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_history_later_and_stats(user, author):
    work = make_work(author, title="Scripted")
    services.history_record(user=user, work=work, chapter=None)
    services.later_mark(actor=user, work=work)
    (row,) = _lines("history", user.username)
    assert row["work"] == work.pk and row["last_chapter"] == 1 and row["views"] == 1
    assert _lines("later", user.username)[0]["title"] == "Scripted"
    *works, totals = _lines("stats", author.username)
    assert works[0]["title"] == "Scripted" and totals["totals"]["words"] == work.word_count


def test_unknown_user_is_one_clear_error():
    with pytest.raises(CommandError, match="no user named"):
        call_command("reading", "history", "nobody")
