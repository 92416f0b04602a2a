"""`ficarchive bench-mail [--subscribers N] [--json]`: post a chapter to a work with N
subscribers; time the queueing and the sending through a local SMTP server. Writes to the
archive it runs on: use a scratch FICARCHIVE_HOME."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from ficarchive.notify.bench import bench_mail


class Command(BaseCommand):
    help = "Benchmark mail to a work's subscribers (makes N users: use a scratch archive)."

    def add_arguments(self, parser):
        parser.add_argument("--subscribers", type=int, default=10_000)
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, **options):
        if options["subscribers"] < 1:
            raise CommandError("--subscribers must be at least 1")
        result = bench_mail(subscribers=options["subscribers"])
        if options["json"]:
            self.stdout.write(json.dumps(result))
        else:
            for key, value in result.items():
                self.stdout.write(f"{key}: {value}")
