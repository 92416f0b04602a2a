"""``bench_suggest``: accuracy and speed of tag suggestions on the development set."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Precision and recall of tag suggestions per kind, rating confusion matrix, speed."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--json", action="store_true", help="print one JSON object on one line")
        parser.add_argument(
            "--rows", action="store_true", help="also list every work's gold and proposed labels"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from ficarchive.suggest.evaluation import format_report, run_suggest_benchmark

        result = run_suggest_benchmark()
        if options["json"]:
            if not options["rows"]:
                result.pop("rows", None)
            self.stdout.write(json.dumps(result, ensure_ascii=False, separators=(",", ":")))
        else:
            self.stdout.write(format_report(result, rows=options["rows"]))
