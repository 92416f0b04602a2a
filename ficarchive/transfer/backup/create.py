"""Making a backup: a consistent snapshot of the database and media in one file."""

from __future__ import annotations

import base64
import datetime as dt
import io
import json
import os
import sqlite3
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import django
from django.conf import settings
from django.core import serializers
from django.db import transaction

from .common import (
    FORMAT,
    PAYLOADS,
    VERSION,
    BackupError,
    _connection,
    _django_counts,
    _django_migrations,
    _dumped_models,
    _pg_args_env,
    _run,
    _sha256,
    _sqlite_counts,
    _sqlite_migrations,
    default_payload,
    pg_tool,
)


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
        _run(
            [
                pg_tool("pg_dump") or "pg_dump",
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--snapshot={snapshot}",
                "--file",
                str(target),
                *args,
            ],
            env=env,
            what="pg_dump",
        )
    return counts, migrations


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
                for obj in serializers.serialize(
                    "python", model._base_manager.order_by("pk").iterator(chunk_size=2000)
                ):
                    handle.write(
                        ("" if first else ",\n")
                        + json.dumps(obj, default=_json_default, ensure_ascii=False)
                    )
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
        raise BackupError(
            "the pgdump format needs a PostgreSQL database; use --format json or sqlite"
        )
    if payload == "pgdump" and not (
        pg_tool("pg_dump") and pg_tool("pg_restore") and pg_tool("psql")
    ):
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
        media_files = (
            sorted(p for p in media_root.rglob("*") if p.is_file()) if media_root.is_dir() else []
        )
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
            info.size, info.mtime, info.mode = (
                len(data),
                int(dt.datetime.now(dt.UTC).timestamp()),
                0o600,
            )
            tar.addfile(info, io.BytesIO(data))
            tar.add(db_file, arcname=member)
            for file in media_files:
                tar.add(file, arcname="media/" + file.relative_to(media_root).as_posix())
        os.chmod(partial, 0o600)
        os.replace(partial, path)
    return manifest


# --- Restoring --------------------------------------------------------------------------
