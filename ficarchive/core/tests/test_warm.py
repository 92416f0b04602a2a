"""`ficarchive warm`: reads the database into the page cache within a budget, and says
in one line why it cannot."""

from __future__ import annotations

import json
import sqlite3
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from ficarchive.core import warm


@pytest.fixture
def sqlite_file(tmp_path, monkeypatch):
    """A real SQLite file of ~3 MiB standing in for the archive's database (the test
    database is in memory)."""
    path = tmp_path / "archive.sqlite3"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE t (x BLOB)")
    db.executemany("INSERT INTO t VALUES (?)", [(b"x" * 4096,) for _ in range(750)])
    db.commit()
    db.close()
    monkeypatch.setattr(connection, "vendor", "sqlite")
    monkeypatch.setitem(connection.settings_dict, "NAME", str(path))
    return path


def test_sqlite_file_is_read_whole(sqlite_file):
    result = warm.warm_database()
    assert result.database == "sqlite" and result.method == "read"
    assert result.relations == 1
    assert result.bytes == sqlite_file.stat().st_size
    assert result.skipped_bytes == 0


def test_budget_limits_what_is_read(sqlite_file):
    result = warm.warm_database(budget_bytes=1 << 20)
    assert result.bytes == 1 << 20
    assert result.skipped_bytes == sqlite_file.stat().st_size - (1 << 20)


def test_command_json_keys(sqlite_file):
    out = StringIO()
    call_command("warm", "--json", "--budget-mb", "1", stdout=out)
    data = json.loads(out.getvalue())
    assert set(data) == {"database", "method", "relations", "bytes", "skipped_bytes", "seconds"}
    assert data["bytes"] == 1 << 20


def test_plain_output_is_one_sentence(sqlite_file):
    out = StringIO()
    call_command("warm", stdout=out)
    assert out.getvalue().startswith("Warmed 3 MiB of the sqlite database (1 relation, read) in ")


def test_missing_file_is_one_line_error(tmp_path, monkeypatch):
    monkeypatch.setattr(connection, "vendor", "sqlite")
    monkeypatch.setitem(connection.settings_dict, "NAME", str(tmp_path / "none.sqlite3"))
    with pytest.raises(CommandError, match=r"^no database file at .*none\.sqlite3$"):
        call_command("warm")


def test_negative_budget_refused():
    with pytest.raises(CommandError, match="--budget-mb must be 0 or more"):
        call_command("warm", "--budget-mb", "-1")


def test_default_budget_is_half_of_available_memory():
    meminfo = open("/proc/meminfo").read()  # noqa: SIM115 - Linux only, as the server is
    available = next(int(x.split()[1]) for x in meminfo.splitlines() if "MemAvailable" in x)
    assert abs(warm.default_budget_bytes() - available * 1024 // 2) < 256 << 20


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_prewarm is PostgreSQL's")
def test_postgres_prefetches_indexes_first_within_budget():
    everything = warm.warm_database()
    assert everything.method == "pg_prewarm" and everything.relations > 10
    assert everything.skipped_bytes == 0 and everything.bytes > 0
    with connection.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_prewarm'")
        assert cur.fetchone() is not None
    small = warm.warm_database(budget_bytes=64 * 1024)
    assert 0 < small.bytes <= 64 * 1024
    # Relation sizes move between the two calls in a full run (other tests' rows, free
    # space maps), so only the budget's effect is checked here.
    assert small.skipped_bytes > 0 and small.relations < everything.relations


def test_warm_order_is_indexes_then_tables_smallest_first():
    """Indexes come first, then tables and TOAST tables, each from the smallest up."""
    rows = [(1, 500, False), (2, 90, True), (3, 10, False), (4, 30, True), (5, 0, False)]
    assert warm.warm_order(rows) == [(4, 30), (2, 90), (5, 0), (3, 10), (1, 500)]


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_prewarm is PostgreSQL's")
def test_postgres_lists_relations_in_one_query():
    """One query reads the relations with their sizes and kinds (not a second one for
    which are indexes), and the prefetches go indexes first, each group smallest up."""
    from django.test.utils import CaptureQueriesContext

    warm.warm_database()  # the extension exists from here on
    with CaptureQueriesContext(connection) as queries:
        result = warm.warm_database()
    catalogue = [q["sql"] for q in queries if "pg_class" in q["sql"]]
    assert len(catalogue) == 1, catalogue
    oids = [
        int(q["sql"].split("pg_prewarm(")[1].split("::")[0])
        for q in queries
        if "pg_prewarm(" in q["sql"]
    ]
    assert len(oids) == result.relations > 10
    with connection.cursor() as cur:
        cur.execute(
            "SELECT oid, relkind = 'i', pg_relation_size(oid) FROM pg_class WHERE oid = ANY(%s)",
            [oids],
        )
        kinds = {oid: (is_index, size) for oid, is_index, size in cur.fetchall()}
    flags = [kinds[oid][0] for oid in oids]
    assert flags == sorted(flags, reverse=True)  # every index before every table
    assert any(flags) and not all(flags)
