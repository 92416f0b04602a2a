"""`ficarchive warm [--budget-mb N] [--json]`: read the database into the operating
system's page cache after a reboot (ficarchive/core/warm.py), so the first requests do
not wait on the disk. With --json stdout carries one object: ``database``, ``method``,
``relations``, ``bytes``, ``skipped_bytes``, ``seconds``."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "Read the database into the operating system's page cache (after a reboot), "
        "indexes first, within a memory budget."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--budget-mb",
            type=int,
            default=None,
            help="read at most this many MiB (default: half of the available memory)",
        )
        parser.add_argument("--json", action="store_true", help="print one JSON object")

    def handle(self, *args: Any, **options: Any) -> None:
        from ficarchive.core.warm import WarmError, warm_database

        mb = options["budget_mb"]
        if mb is not None and mb < 0:
            raise CommandError("--budget-mb must be 0 or more")
        try:
            result = warm_database(None if mb is None else mb * 1024 * 1024)
        except WarmError as exc:
            raise CommandError(str(exc)) from exc
        if options["json"]:
            self.stdout.write(json.dumps(result.as_json()))
        else:
            left = (
                f"; {result.skipped_bytes / 2**20:.0f} MiB left out by the budget"
                if result.skipped_bytes
                else ""
            )
            noun = "relation" if result.relations == 1 else "relations"
            self.stdout.write(
                f"Warmed {result.bytes / 2**20:.0f} MiB of the {result.database} database "
                f"({result.relations} {noun}, {result.method}) in {result.seconds:.1f} s{left}."
            )
