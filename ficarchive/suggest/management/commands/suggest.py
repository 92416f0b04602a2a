"""`ficarchive suggest train [--labelled DIR] [--output PATH] [--json]`: train the
suggestion model on the archive's public posted works, or on a labelled folder."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Tag suggestions: train the model on the archive's own works (or a labelled folder)."
    requires_system_checks: list = []

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        train = sub.add_parser("train", help="train and save the suggestion model")
        train.add_argument(
            "--labelled",
            default=None,
            help="a folder with labels.jsonl and text/ to train on instead of the archive",
        )
        train.add_argument(
            "--output",
            default=None,
            help="where to save the model (default FICARCHIVE_HOME/suggest/model.joblib)",
        )
        train.add_argument("--json", action="store_true", help="print one JSON object")

    def handle(self, *args: Any, **options: Any) -> None:
        from ficarchive.suggest.labelled import LabelledError
        from ficarchive.suggest.training import (
            model_train_from_archive,
            model_train_from_labelled,
        )

        output = Path(options["output"]) if options["output"] else None
        try:
            if options["labelled"]:
                result = model_train_from_labelled(Path(options["labelled"]), output)
            else:
                result = model_train_from_archive(output)
        except (LabelledError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        if options["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False))
        elif result["trained"]:
            self.stdout.write(
                f"Trained on {result['works']} works ({result['source']}) in "
                f"{result['seconds']} s CPU; saved to {result['path']}."
            )
        else:
            self.stdout.write(f"No model trained: {result['reason']}.")
