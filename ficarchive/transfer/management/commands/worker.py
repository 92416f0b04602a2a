"""`ficarchive worker`: run background jobs (download builds) queued in the database."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from ficarchive.transfer.tasks import worker_loop


class Command(BaseCommand):
    help = "Process queued background jobs (download builds); --once to drain the queue and stop."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="run what is queued, then exit")
        parser.add_argument(
            "--poll", type=float, default=2.0, help="seconds between looks at an empty queue"
        )

    def handle(self, *args, **options):
        worker_loop(poll_seconds=options["poll"], once=options["once"])
