"""What backing up and restoring share: the format, table counts and migrations, the
PostgreSQL client tools."""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

from django.apps import apps
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.loader import MigrationLoader
from django.db.models import Model

FORMAT = "ficarchive-backup"
VERSION = 1
PAYLOADS = {"sqlite": "database.sqlite3", "pgdump": "database.pgdump", "json": "database.json"}


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message is one line for the user."""


def _connection():
    return connections[DEFAULT_DB_ALIAS]


def pg_tool(name: str) -> str | None:
    """The PostgreSQL client program `name` (pg_dump, pg_restore, psql) that can talk to the
    server: the one of the server's major version under /usr/lib/postgresql (Debian's
    layout, often not on PATH), else a newer one there, else the one on PATH."""
    conn = _connection()
    major = 0
    if conn.vendor == "postgresql":
        conn.ensure_connection()
        major = conn.pg_version // 10000
    versions = []
    for folder in Path("/usr/lib/postgresql").glob("*/bin"):
        try:
            versions.append((int(folder.parent.name), folder))
        except ValueError:
            continue
    for version, folder in sorted(versions, key=lambda pair: (pair[0] != major, pair[0])):
        if version >= major and (folder / name).is_file() and os.access(folder / name, os.X_OK):
            return str(folder / name)
    return shutil.which(name)


def default_payload() -> str:
    vendor = _connection().vendor
    if vendor == "sqlite":
        return "sqlite"
    if vendor == "postgresql" and all(pg_tool(name) for name in ("pg_dump", "pg_restore", "psql")):
        return "pgdump"
    return "json"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _known_migrations() -> set[tuple[str, str]]:
    return set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)


# --- Counting and reading tables -------------------------------------------------------


def _sqlite_tables(conn: sqlite3.Connection) -> list[str]:
    rows = conn.execute(
        "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
    ).fetchall()
    return [row[0] for row in rows]


def _sqlite_counts(conn: sqlite3.Connection) -> dict[str, int]:
    return {
        # Table names come from sqlite_master, not from a user.
        name: conn.execute(f'SELECT COUNT(*) FROM "{name}"').fetchone()[0]  # noqa: S608
        for name in _sqlite_tables(conn)
    }


def _sqlite_migrations(conn: sqlite3.Connection) -> list[list[str]]:
    try:
        rows = conn.execute("SELECT app, name FROM django_migrations ORDER BY app, name").fetchall()
    except sqlite3.DatabaseError:
        return []
    return [[app, name] for app, name in rows]


def _django_counts() -> dict[str, int]:
    """Rows per table of the live database, read on the current connection."""
    conn = _connection()
    counts = {}
    with conn.cursor() as cursor:
        for name in sorted(conn.introspection.table_names(cursor)):
            cursor.execute(f"SELECT COUNT(*) FROM {conn.ops.quote_name(name)}")  # noqa: S608 - introspected names
            counts[name] = cursor.fetchone()[0]
    return counts


def model_tables() -> set[str]:
    """Tables that hold Django models (with auto-created m2m tables); a JSON backup carries
    these. Others (a search engine's index tables) are derived data, rebuilt by reindexing."""
    return {
        m._meta.db_table
        for m in apps.get_models(include_auto_created=True)
        if not m._meta.proxy and m._meta.managed
    }


def _django_counts_subset(expected: dict[str, int]) -> dict[str, int]:
    live = _django_counts()
    return {name: live.get(name, -1) for name in expected}


def _django_migrations() -> list[list[str]]:
    with _connection().cursor() as cursor:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
        return [[app, name] for app, name in cursor.fetchall()]


def table_rows(*, exclude: set[str] = frozenset()) -> dict[str, list[tuple]]:  # type: ignore[assignment]
    """Every row of every table of the live database, sorted, for comparing two archives."""
    conn = _connection()
    result: dict[str, list[tuple]] = {}
    with conn.cursor() as cursor:
        for name in sorted(conn.introspection.table_names(cursor)):
            if name in exclude:
                continue
            cursor.execute(f"SELECT * FROM {conn.ops.quote_name(name)}")  # noqa: S608 - introspected names
            result[name] = sorted((tuple(row) for row in cursor.fetchall()), key=repr)
    return result


# --- PostgreSQL command-line tools ------------------------------------------------------


def _pg_args_env() -> tuple[list[str], dict[str, str]]:
    db = _connection().settings_dict
    args = ["--dbname", db["NAME"]]
    if db.get("HOST"):
        args += ["--host", db["HOST"]]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", db["USER"]]
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return args, env


def _run(argv: list[str], *, env: dict[str, str], stdin: Any = None, what: str) -> None:
    done = subprocess.run(argv, env=env, stdin=stdin, capture_output=True, check=False)
    if done.returncode != 0:
        lines = done.stderr.decode(errors="replace").strip().splitlines()
        raise BackupError(
            f"{what} failed: {lines[-1] if lines else 'exit status ' + str(done.returncode)}"
        )


# --- Making a backup ---------------------------------------------------------------------


def _dumped_models() -> list[type[Model]]:
    # As dumpdata: concrete, managed models; auto-created m2m tables travel with their model.
    return [m for m in apps.get_models() if not m._meta.proxy and m._meta.managed]
