"""Whole-archive backups in one file, and restoring them.

A backup is a gzip-compressed tar holding:

- `manifest.json`: format name and version, database vendor, payload kind, the Django
  migrations applied, row counts per table, SHA-256 of every member, created_at;
- the database, as one of three payloads:
  - `database.sqlite3` (SQLite): a page copy made with SQLite's online backup API, a
    consistent snapshot even while the server keeps writing;
  - `database.pgdump` (PostgreSQL, when `pg_dump` is installed): `pg_dump --format=custom`
    taken on a snapshot exported from the transaction that also counted the rows;
  - `database.json` (either vendor, `--format json`): Django's serialized objects, read in
    one repeatable-read transaction; the portable choice, and the way to move an archive
    from SQLite to PostgreSQL or back;
- `media/...`: uploaded files. Generated downloads are a cache and are rebuilt on demand;
  the secret key is deliberately left out (a backup may be stored where keys must not be).

Restoring checks the file before touching anything (manifest, checksums, integrity, row
counts, migrations this code knows) and then replaces the archive in one step: SQLite's
backup API copies the checked snapshot into the live database under its write lock;
PostgreSQL restores the dump, or loads the JSON, inside one transaction. A failed restore
leaves the archive as it was.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import django
from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections, transaction
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
    return {name: conn.execute(f'SELECT COUNT(*) FROM "{name}"').fetchone()[0] for name in _sqlite_tables(conn)}  # noqa: S608 - names from sqlite_master


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
    return {m._meta.db_table for m in apps.get_models(include_auto_created=True) if not m._meta.proxy and m._meta.managed}


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
        raise BackupError(f"{what} failed: {lines[-1] if lines else 'exit status ' + str(done.returncode)}")


# --- Making a backup ---------------------------------------------------------------------


@contextmanager
def _snapshot_transaction() -> Iterator[None]:
    """A read transaction seeing one state of the database (repeatable read on PostgreSQL)."""
    conn = _connection()
    with transaction.atomic():
        if conn.vendor == "postgresql":
            with conn.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        yield


def _dump_sqlite(target: Path) -> tuple[dict[str, int], list[list[str]]]:
    conn = _connection()
    conn.ensure_connection()
    dest = sqlite3.connect(target)
    try:
        # One step copies every page under one read lock: a consistent snapshot, while
        # writers in other processes carry on (WAL).
        conn.connection.backup(dest)
        dest.execute("PRAGMA journal_mode=DELETE")
        return _sqlite_counts(dest), _sqlite_migrations(dest)
    finally:
        dest.close()


def _dump_pg(target: Path) -> tuple[dict[str, int], list[list[str]]]:
    args, env = _pg_args_env()
    with _snapshot_transaction():
        with _connection().cursor() as cursor:
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
        counts, migrations = _django_counts(), _django_migrations()
        _run([pg_tool("pg_dump") or "pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--snapshot={snapshot}",
              "--file", str(target), *args], env=env, what="pg_dump")
    return counts, migrations


def _dumped_models() -> list[type[Model]]:
    # As dumpdata: concrete, managed models; auto-created m2m tables travel with their model.
    return [m for m in apps.get_models() if not m._meta.proxy and m._meta.managed]


def _json_default(value: Any) -> str:
    # Full precision: Django's JSON encoder would cut datetimes to milliseconds.
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode()
    return str(value)


def _dump_json(target: Path) -> tuple[dict[str, int], list[list[str]]]:
    with _snapshot_transaction():
        counts, migrations = _django_counts(), _django_migrations()
        with open(target, "w", encoding="utf-8") as handle:
            handle.write("[\n")
            first = True
            for model in _dumped_models():
                for obj in serializers.serialize("python", model._base_manager.order_by("pk").iterator(chunk_size=2000)):
                    handle.write(("" if first else ",\n") + json.dumps(obj, default=_json_default, ensure_ascii=False))
                    first = False
            handle.write("\n]\n")
    return counts, migrations


def backup_create(*, path: Path, payload: str | None = None) -> dict[str, Any]:
    """Write the whole archive (database and media) to one file at `path`; return the
    manifest. The file appears only once complete."""
    payload = payload or default_payload()
    vendor = _connection().vendor
    if payload not in PAYLOADS:
        raise BackupError(f"unknown backup format {payload!r}; choose from {', '.join(PAYLOADS)}")
    if payload == "sqlite" and vendor != "sqlite":
        raise BackupError("the sqlite format needs a SQLite database; use --format json or pgdump")
    if payload == "pgdump" and vendor != "postgresql":
        raise BackupError("the pgdump format needs a PostgreSQL database; use --format json or sqlite")
    if payload == "pgdump" and not (pg_tool("pg_dump") and pg_tool("pg_restore") and pg_tool("psql")):
        raise BackupError("pg_dump, pg_restore and psql are not all installed; use --format json")
    path = Path(path).expanduser().resolve()
    if path.is_dir():
        raise BackupError(f"{path} is a folder; give a file name")
    if not path.parent.is_dir():
        raise BackupError(f"folder {path.parent} does not exist")

    with tempfile.TemporaryDirectory(prefix=".ficarchive-backup-", dir=path.parent) as tmp:
        member = PAYLOADS[payload]
        db_file = Path(tmp) / member
        dumper = {"sqlite": _dump_sqlite, "pgdump": _dump_pg, "json": _dump_json}[payload]
        counts, migrations = dumper(db_file)
        media_root = Path(settings.MEDIA_ROOT)
        media_files = sorted(p for p in media_root.rglob("*") if p.is_file()) if media_root.is_dir() else []
        checksums = {member: _sha256(db_file)}
        for file in media_files:
            checksums["media/" + file.relative_to(media_root).as_posix()] = _sha256(file)
        manifest = {
            "format": FORMAT,
            "version": VERSION,
            "vendor": vendor,
            "payload": payload,
            "created_at": dt.datetime.now(dt.UTC).isoformat(),
            "django": django.get_version(),
            "migrations": migrations,
            "counts": counts,
            "media_files": len(media_files),
            "sha256": checksums,
        }
        partial = Path(tmp) / "backup.tar.gz"
        with tarfile.open(partial, "w:gz") as tar:
            data = json.dumps(manifest, indent=2, sort_keys=True).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size, info.mtime, info.mode = len(data), int(dt.datetime.now(dt.UTC).timestamp()), 0o600
            tar.addfile(info, io.BytesIO(data))
            tar.add(db_file, arcname=member)
            for file in media_files:
                tar.add(file, arcname="media/" + file.relative_to(media_root).as_posix())
        os.chmod(partial, 0o600)
        os.replace(partial, path)
    return manifest


# --- Restoring --------------------------------------------------------------------------


def read_manifest(tar: tarfile.TarFile, source: Path) -> dict[str, Any]:
    try:
        handle = tar.extractfile("manifest.json")
    except KeyError:
        handle = None
    if handle is None:
        raise BackupError(f"{source} is not a Ficarchive backup (no manifest.json)")
    try:
        manifest = json.loads(handle.read())
    except ValueError:
        raise BackupError(f"{source} has an unreadable manifest")
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{source} is not a Ficarchive backup")
    if not isinstance(manifest.get("version"), int) or manifest["version"] > VERSION:
        raise BackupError(f"{source} is a backup format version {manifest.get('version')!r}; this Ficarchive reads up to {VERSION}")
    if manifest.get("payload") not in PAYLOADS or not isinstance(manifest.get("sha256"), dict):
        raise BackupError(f"{source} has an incomplete manifest")
    return manifest


def _extract_checked(source: Path, tmp: Path) -> dict[str, Any]:
    """Unpack into `tmp`, verifying the manifest and every member's checksum."""
    try:
        tar = tarfile.open(source, "r:*")
    except (tarfile.TarError, OSError) as exc:
        raise BackupError(f"{source} is not a Ficarchive backup ({exc.__class__.__name__}: not a readable tar file)")
    with tar:
        try:
            manifest = read_manifest(tar, source)
            expected = manifest["sha256"]
            names = {m.name for m in tar.getmembers() if m.isfile()}
            if names - {"manifest.json"} != set(expected):
                raise BackupError(f"{source} holds files its manifest does not list, or lacks some")
            # The "data" filter refuses absolute paths, "..", links and devices.
            tar.extractall(tmp, members=[m for m in tar.getmembers() if m.name in expected], filter="data")
        except (tarfile.TarError, OSError, EOFError, zlib.error) as exc:
            raise BackupError(f"{source} is damaged or truncated ({exc})")
    for name, digest in expected.items():
        if _sha256(tmp / name) != digest:
            raise BackupError(f"{source} is damaged: checksum mismatch for {name}")
    return manifest


def _check_migrations(manifest: dict[str, Any]) -> None:
    applied = {tuple(pair) for pair in manifest.get("migrations", [])}
    unknown = sorted(applied - _known_migrations())
    if unknown:
        app, name = unknown[0]
        raise BackupError(f"the backup was made by a newer Ficarchive (unknown migration {app}.{name}); upgrade first")


def _restore_sqlite_file(db_file: Path, manifest: dict[str, Any]) -> None:
    conn = _connection()
    if conn.vendor != "sqlite":
        raise BackupError("this backup holds a SQLite database; restore it into SQLite, or make a --format json backup")
    source = sqlite3.connect(f"file:{db_file}?mode=ro", uri=True)
    try:
        try:
            status = source.execute("PRAGMA integrity_check").fetchone()[0]
            counts = _sqlite_counts(source)
        except sqlite3.DatabaseError as exc:
            raise BackupError(f"the database in the backup is damaged ({exc})")
        if status != "ok":
            raise BackupError(f"the database in the backup is damaged ({status})")
        if counts != manifest.get("counts"):
            raise BackupError("the database in the backup does not match its manifest's row counts")
        if conn.in_atomic_block:
            raise BackupError("restore cannot run inside a transaction")
        conn.ensure_connection()
        # Copies every page into the live database under its write lock: readers see the
        # old archive or the restored one, never a mixture.
        source.backup(conn.connection)
    finally:
        source.close()
    conn.close()


def _restore_pgdump(db_file: Path, manifest: dict[str, Any]) -> None:
    conn = _connection()
    if conn.vendor != "postgresql":
        raise BackupError("this backup holds a PostgreSQL dump; restore it into PostgreSQL, or make a --format json backup")
    tools: dict[str, str] = {}
    for tool in ("pg_restore", "psql"):
        found = pg_tool(tool)
        if not found:
            raise BackupError(f"{tool} is not installed")
        tools[tool] = found
    args, env = _pg_args_env()
    sql = subprocess.run([tools["pg_restore"], "--no-owner", "--no-privileges", "--file", "-", str(db_file)],
                         capture_output=True, env=env, check=False)
    if sql.returncode != 0:
        lines = sql.stderr.decode(errors="replace").strip().splitlines()
        raise BackupError(f"the dump in the backup is damaged: {lines[-1] if lines else sql.returncode}")
    script = b"DROP SCHEMA public CASCADE;\nCREATE SCHEMA public;\n" + sql.stdout
    conn.close()
    # One transaction: the old schema is dropped only if the whole dump loads.
    done = subprocess.run([tools["psql"], "--quiet", "--no-psqlrc", "--single-transaction", "-v", "ON_ERROR_STOP=1", *args],
                          input=script, capture_output=True, env=env, check=False)
    if done.returncode != 0:
        lines = done.stderr.decode(errors="replace").strip().splitlines()
        raise BackupError(f"restoring the dump failed, archive unchanged: {lines[-1] if lines else done.returncode}")


def _restore_json(db_file: Path, manifest: dict[str, Any]) -> None:
    conn = _connection()
    with transaction.atomic():
        tables = conn.introspection.django_table_names(only_existing=True, include_views=False)
        statements = conn.ops.sql_flush(no_style(), tables, reset_sequences=True, allow_cascade=True)
        conn.ops.execute_sql_flush(statements)
        try:
            objects = json.loads(db_file.read_text(encoding="utf-8"))
        except ValueError:
            raise BackupError("the JSON data in the backup is damaged")
        with conn.constraint_checks_disabled():
            for item in serializers.deserialize("python", objects, ignorenonexistent=False):
                item.save()
        conn.check_constraints()
        with conn.cursor() as cursor:
            for sql in conn.ops.sequence_reset_sql(no_style(), _dumped_models()):
                cursor.execute(sql)
        wanted = {k: v for k, v in manifest["counts"].items() if k in model_tables()}
        if _django_counts_subset(wanted) != wanted:
            raise BackupError("the JSON data in the backup does not match its manifest's row counts")
        _rebuild_search_documents()


def _rebuild_search_documents() -> None:
    """The full-text tables are not models, so JSON carries none of their rows: rebuild
    them from the restored works (SearchEntry rows and the change log came back with the
    models), with the function `ficarchive reindex` uses."""
    from ficarchive.discovery.engine import reindex_all

    reindex_all(documents_only=True)


def no_style():
    from django.core.management.color import no_style as _no_style

    return _no_style()


def _swap_media(extracted: Path) -> None:
    media_root = Path(settings.MEDIA_ROOT)
    media_root.parent.mkdir(parents=True, exist_ok=True)
    staged = Path(tempfile.mkdtemp(prefix=".media-restore-", dir=media_root.parent))
    if extracted.is_dir():
        shutil.copytree(extracted, staged, dirs_exist_ok=True)
    old = media_root.with_name(media_root.name + ".old")
    if old.exists():
        shutil.rmtree(old)
    if media_root.exists():
        os.replace(media_root, old)
    os.replace(staged, media_root)
    shutil.rmtree(old, ignore_errors=True)


def backup_restore(*, path: Path) -> dict[str, Any]:
    """Replace the whole archive with the backup at `path`; return its manifest. Nothing
    changes unless the backup checks out."""
    source = Path(path).expanduser().resolve()
    if not source.is_file():
        raise BackupError(f"{source} does not exist")
    home = Path(settings.FICARCHIVE_HOME)
    with tempfile.TemporaryDirectory(prefix=".ficarchive-restore-", dir=home) as tmp_name:
        tmp = Path(tmp_name)
        manifest = _extract_checked(source, tmp)
        _check_migrations(manifest)
        db_file = tmp / PAYLOADS[manifest["payload"]]
        if manifest["payload"] == "sqlite":
            _restore_sqlite_file(db_file, manifest)
        elif manifest["payload"] == "pgdump":
            _restore_pgdump(db_file, manifest)
        else:
            _restore_json(db_file, manifest)
        _swap_media(tmp / "media")
    # A backup from an older Ficarchive is brought up to this code's schema.
    from ficarchive.core.management.commands.serve import migrations_pending

    if migrations_pending():
        call_command("migrate", interactive=False, verbosity=0)
    return manifest


def manifest_summary(manifest: dict, path: Path) -> dict:
    """The few facts `backup --json` and `restore --json` print about an archive file."""
    return {
        "path": str(path.resolve()),
        "vendor": manifest["vendor"],
        "payload": manifest["payload"],
        "created_at": manifest["created_at"],
        "tables": len(manifest["counts"]),
        "rows": sum(manifest["counts"].values()),
        "media_files": manifest["media_files"],
    }
