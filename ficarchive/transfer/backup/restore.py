"""Restoring a backup: checked before anything is touched, then swapped in at once."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core import serializers
from django.core.management import call_command
from django.db import transaction

from .common import (
    FORMAT,
    PAYLOADS,
    VERSION,
    BackupError,
    _connection,
    _django_counts_subset,
    _dumped_models,
    _known_migrations,
    _pg_args_env,
    _sha256,
    _sqlite_counts,
    model_tables,
    pg_tool,
)


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
        raise BackupError(
            f"{source} is a backup format version {manifest.get('version')!r}; this Ficarchive reads up to {VERSION}"
        )
    if manifest.get("payload") not in PAYLOADS or not isinstance(manifest.get("sha256"), dict):
        raise BackupError(f"{source} has an incomplete manifest")
    return manifest


def _extract_checked(source: Path, tmp: Path) -> dict[str, Any]:
    """Unpack into `tmp`, verifying the manifest and every member's checksum."""
    try:
        tar = tarfile.open(source, "r:*")
    except (tarfile.TarError, OSError) as exc:
        raise BackupError(
            f"{source} is not a Ficarchive backup ({exc.__class__.__name__}: not a readable tar file)"
        )
    with tar:
        try:
            manifest = read_manifest(tar, source)
            expected = manifest["sha256"]
            names = {m.name for m in tar.getmembers() if m.isfile()}
            if names - {"manifest.json"} != set(expected):
                raise BackupError(f"{source} holds files its manifest does not list, or lacks some")
            # The "data" filter refuses absolute paths, "..", links and devices.
            tar.extractall(
                tmp, members=[m for m in tar.getmembers() if m.name in expected], filter="data"
            )
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
        raise BackupError(
            f"the backup was made by a newer Ficarchive (unknown migration {app}.{name}); upgrade first"
        )


def _restore_sqlite_file(db_file: Path, manifest: dict[str, Any]) -> None:
    conn = _connection()
    if conn.vendor != "sqlite":
        raise BackupError(
            "this backup holds a SQLite database; restore it into SQLite, or make a --format json backup"
        )
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
        raise BackupError(
            "this backup holds a PostgreSQL dump; restore it into PostgreSQL, or make a --format json backup"
        )
    tools: dict[str, str] = {}
    for tool in ("pg_restore", "psql"):
        found = pg_tool(tool)
        if not found:
            raise BackupError(f"{tool} is not installed")
        tools[tool] = found
    args, env = _pg_args_env()
    sql = subprocess.run(
        [tools["pg_restore"], "--no-owner", "--no-privileges", "--file", "-", str(db_file)],
        capture_output=True,
        env=env,
        check=False,
    )
    if sql.returncode != 0:
        lines = sql.stderr.decode(errors="replace").strip().splitlines()
        raise BackupError(
            f"the dump in the backup is damaged: {lines[-1] if lines else sql.returncode}"
        )
    script = b"DROP SCHEMA public CASCADE;\nCREATE SCHEMA public;\n" + sql.stdout
    conn.close()
    # One transaction: the old schema is dropped only if the whole dump loads.
    done = subprocess.run(
        [
            tools["psql"],
            "--quiet",
            "--no-psqlrc",
            "--single-transaction",
            "-v",
            "ON_ERROR_STOP=1",
            *args,
        ],
        input=script,
        capture_output=True,
        env=env,
        check=False,
    )
    if done.returncode != 0:
        lines = done.stderr.decode(errors="replace").strip().splitlines()
        raise BackupError(
            f"restoring the dump failed, archive unchanged: {lines[-1] if lines else done.returncode}"
        )


def _restore_json(db_file: Path, manifest: dict[str, Any]) -> None:
    conn = _connection()
    with transaction.atomic():
        tables = conn.introspection.django_table_names(only_existing=True, include_views=False)
        statements = conn.ops.sql_flush(
            no_style(), tables, reset_sequences=True, allow_cascade=True
        )
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
            raise BackupError(
                "the JSON data in the backup does not match its manifest's row counts"
            )
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
