"""`ficarchive restore PATH`: replace the archive with a backup made by `ficarchive backup`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ficarchive.transfer.backup import BackupError, backup_restore, manifest_summary


class Command(BaseCommand):
    help = "Restore the whole archive from a backup file; the archive is unchanged if the file is refused."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="a backup file written by `ficarchive backup`")
        parser.add_argument(
            "--json", action="store_true", help="print the restored manifest summary as JSON"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            manifest = backup_restore(path=Path(options["path"]))
        except BackupError as exc:
            raise CommandError(str(exc))
        summary = manifest_summary(manifest, Path(options["path"]))
        if options["json"]:
            self.stdout.write(json.dumps(summary))
        else:
            self.stdout.write(
                f"Restored {summary['rows']} rows and {summary['media_files']} media files from {summary['path']}"
            )
