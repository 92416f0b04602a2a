"""`ficarchive worker`: run every kind of background job (mail, notifications, download
builds) queued in the database; `--until-idle` drains the queue and exits 0."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from ficarchive.core.jobs import worker_run


class Command(BaseCommand):
    help = (
        "Process queued background jobs (mail, notifications, download builds); "
        "--until-idle runs what is due until nothing is left, then exits."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--until-idle",
            action="store_true",
            help="run queued jobs until none is left, then exit 0",
        )
        parser.add_argument(
            "--once", action="store_true", help="the same as --until-idle (older spelling)"
        )
        parser.add_argument(
            "--poll", type=float, default=2.0, help="seconds between looks at an empty queue"
        )

    def handle(self, *args, **options):
        worker_run(
            until_idle=options["until_idle"] or options["once"], poll_seconds=options["poll"]
        )
