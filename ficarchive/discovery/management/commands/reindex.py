"""`ficarchive reindex [--json]`: rebuild the full-text and bitmap indexes from the database
(for repair, and after a restore). A progress bar goes to stderr when it is a terminal; with
--json stdout carries one object, ``{"works": N, "seconds": S}``."""

from __future__ import annotations

import json
import sys
import time

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Rebuild the full-text and filter indexes of every work from the database."

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help='print {"works": N, "seconds": S}')

    def handle(self, *args, **options):
        from tqdm import tqdm

        from ficarchive.discovery.engine import reindex_all

        show_bar = not options["json"] and sys.stderr.isatty()
        started = time.monotonic()
        with tqdm(file=sys.stderr, unit="work", desc="reindexing", disable=not show_bar) as bar:

            def progress(done: int, total: int) -> None:
                bar.total = total
                bar.update(done - bar.n)

            works = reindex_all(progress=progress)
        seconds = round(time.monotonic() - started, 2)
        if options["json"]:
            self.stdout.write(json.dumps({"works": works, "seconds": seconds}))
        else:
            self.stdout.write(f"Reindexed {works} works in {seconds} s.")
