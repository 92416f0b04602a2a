"""`ficarchive demo`: load the demo works shipped with Ficarchive, if absent."""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from ficarchive.works.demo import demo_load


class Command(BaseCommand):
    help = "Load the demo works shipped with Ficarchive (does nothing for those already there)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true", help="Print one JSON object.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = demo_load()
        except (ValidationError, ValueError, OSError) as exc:
            reason = "; ".join(getattr(exc, "messages", None) or [str(exc)])
            raise CommandError(f"demo works could not be loaded: {reason}".replace("\n", " "))
        if options["json"]:
            self.stdout.write(json.dumps(result))
        else:
            self.stdout.write(
                f"Demo works: {result['created']} created, {result['skipped']} already present."
            )
