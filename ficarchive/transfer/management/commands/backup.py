"""`ficarchive backup PATH`: the whole archive in one file (see ficarchive/transfer/backup/)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ficarchive.transfer.backup import PAYLOADS, BackupError, backup_create, manifest_summary


class Command(BaseCommand):
    help = "Back up the whole archive (database and media) to one file; safe while serving."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="the backup file to write (a .tar.gz)")
        parser.add_argument(
            "--format",
            choices=sorted(PAYLOADS),
            default=None,
            help="database payload: sqlite (default on SQLite), pgdump (default on PostgreSQL), json (portable)",
        )
        parser.add_argument(
            "--json", action="store_true", help="print the manifest summary as JSON"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            manifest = backup_create(path=Path(options["path"]), payload=options["format"])
        except BackupError as exc:
            raise CommandError(str(exc))
        summary = manifest_summary(manifest, Path(options["path"]))
        if options["json"]:
            self.stdout.write(json.dumps(summary))
        else:
            self.stdout.write(
                f"Backed up {summary['rows']} rows in {summary['tables']} tables and "
                f"{summary['media_files']} media files to {summary['path']}"
            )
