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

from .common import (
    FORMAT,
    PAYLOADS,
    VERSION,
    BackupError,
    default_payload,
    model_tables,
    pg_tool,
    table_rows,
)
from .create import backup_create
from .restore import backup_restore, manifest_summary, read_manifest

__all__ = [
    "FORMAT",
    "PAYLOADS",
    "VERSION",
    "BackupError",
    "backup_create",
    "backup_restore",
    "default_payload",
    "manifest_summary",
    "model_tables",
    "pg_tool",
    "read_manifest",
    "table_rows",
]
