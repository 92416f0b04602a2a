"""`ficarchive bench generate --works N`, `bench run [--json]`, `bench http [--json]`,
`bench suggest [--labelled DIR] [--folds K] [--repeats R] [--json]`."""

from __future__ import annotations

import json
import os
import platform
import resource
import sys
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection


def default_corpus() -> Path | None:
    candidate = Path(settings.BASE_DIR).parent / "shared" / "data" / "fiction"
    return candidate if candidate.exists() else None


class Command(BaseCommand):
    help = "Benchmark: build a synthetic archive, time the query mix, or score suggestions."
    requires_system_checks: list = []

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        gen = sub.add_parser("generate", help="add N synthetic works to the archive")
        gen.add_argument("--works", type=int, required=True)
        gen.add_argument(
            "--corpus",
            default=None,
            help="folder of prose for chapter text (default ../shared/data/fiction)",
        )
        gen.add_argument(
            "--fulltext",
            type=int,
            default=None,
            help="works with real chapter text (default min(N, 200000))",
        )
        gen.add_argument("--body-words", type=int, default=400)
        gen.add_argument("--seed", type=int, default=42)
        gen.add_argument("--json", action="store_true")
        run = sub.add_parser("run", help="time the fixed query mix")
        run.add_argument("--repeat", type=int, default=50)
        run.add_argument("--workers", type=int, default=os.cpu_count() or 2)
        run.add_argument("--seconds", type=float, default=10.0)
        run.add_argument("--json", action="store_true")
        run.add_argument(
            "--seed",
            type=int,
            default=None,
            help="draw the same tags and phrases on every run (default: phrases drawn anew)",
        )
        run.add_argument(
            "--engine",
            choices=["bitmaps", "sql"],
            default=None,
            help="filter engine to time (default: as configured)",
        )
        web = sub.add_parser("http", help="page classes against a bare Django view")
        web.add_argument(
            "--works",
            type=int,
            default=10_000,
            help="works to generate when the archive has none (default 10,000)",
        )
        web.add_argument("--repeat", type=int, default=100, help="requests per page class")
        web.add_argument("--warmup", type=int, default=10, help="untimed requests first")
        web.add_argument("--workers", type=int, default=1, help="gunicorn workers of each")
        web.add_argument("--seed", type=int, default=1)
        web.add_argument("--json", action="store_true")
        sug = sub.add_parser("suggest", help="tag suggestion accuracy, cross-validated")
        sug.add_argument(
            "--labelled",
            default=None,
            help="labelled folder (labels.jsonl + text/); default ../shared/data/labelled",
        )
        sug.add_argument("--folds", type=int, default=5)
        sug.add_argument(
            "--repeats",
            type=int,
            default=1,
            help="repeat the cross-validation with this many different splits (default 1)",
        )
        sug.add_argument("--json", action="store_true")

    def handle(self, *args, **options):
        action = options["action"]
        if action == "suggest":
            return self.suggest(options)
        if action == "generate":
            return self.generate(options)
        if action == "http":
            return self.http(options)
        return self.run(options)

    def emit(self, options, row: dict) -> None:
        if options["json"]:
            self.stdout.write(json.dumps(row))
        else:
            self.stdout.write("  ".join(f"{k}={v}" for k, v in row.items()))

    def generate(self, options):
        from ficarchive.discovery.bench.generate import Generator

        if options["works"] < 1:
            raise CommandError("--works must be at least 1.")
        corpus = Path(options["corpus"]) if options["corpus"] else default_corpus()
        if options["corpus"] and not corpus.exists():
            raise CommandError(f"No corpus folder at {corpus}.")
        log = self.stderr.write
        gen = Generator(
            works=options["works"],
            corpus=corpus,
            fulltext=options["fulltext"],
            body_words=options["body_words"],
            seed=options["seed"],
            log=log,
        )
        result = gen.run()
        result["database"] = connection.vendor
        self.emit(options, result)

    def run(self, options):
        from ficarchive.discovery.bench import run as bench
        from ficarchive.works.models import Work

        total = Work.objects.count()
        if not total:
            raise CommandError(
                "The archive has no works; run `ficarchive bench generate --works N` first."
            )
        if options["engine"]:
            from django.conf import settings

            # This process reads the setting; worker processes started for pages/s read the
            # environment.
            settings.DISCOVERY_BITMAPS = options["engine"] == "bitmaps"
            os.environ["FICARCHIVE_BITMAPS"] = "1" if options["engine"] == "bitmaps" else "0"
        from ficarchive.discovery import bitmaps

        meta = {
            "query": "archive",
            "works": total,
            "database": connection.vendor,
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "engine": "bitmaps" if bitmaps.enabled() else "sql",
        }
        self.emit(options, meta)
        if bitmaps.enabled():
            row = bench.build_index()
            row["max_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
            self.emit(options, row)
        for row in bench.run_queries(options["repeat"], options["seed"]):
            self.emit(options, row)
        for row in bench.run_pages(options["repeat"]):
            self.emit(options, row)
        if options["workers"] > 0 and options["seconds"] > 0:
            self.emit(options, bench.run_throughput(options["workers"], options["seconds"]))
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
        self.emit(options, {"query": "memory", "max_rss_mb": rss})

    def http(self, options):
        import tempfile

        from ficarchive.core.schema import migrations_pending
        from ficarchive.discovery.bench.http import run_http
        from ficarchive.works.models import Work

        if options["repeat"] < 1 or options["warmup"] < 0 or options["workers"] < 1:
            raise CommandError("--repeat and --workers must be at least 1, --warmup at least 0.")
        if migrations_pending():
            call_command("migrate", interactive=False, verbosity=0)
        total = Work.objects.count()
        if not total:
            if options["works"] < 1:
                raise CommandError("--works must be at least 1.")
            self.generate({**options, "corpus": None, "fulltext": None, "body_words": 400})
            total = Work.objects.count()
        self.emit(
            options,
            {
                "query": "http_archive",
                "works": total,
                "database": connection.vendor,
                "workers": options["workers"],
                "repeat": options["repeat"],
                "cache": settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1],
                "engine": "bitmaps" if settings.DISCOVERY_BITMAPS else "sql",
                "page_cache": bool(getattr(settings, "FICARCHIVE_CACHE_PAGES", True)),
                "preload": os.environ.get("FICARCHIVE_PRELOAD", "1") != "0",
            },
        )
        connection.close()
        with tempfile.TemporaryDirectory(prefix="ficarchive-bench-http-") as folder:
            try:
                for row in run_http(
                    repeat=options["repeat"],
                    warmup=options["warmup"],
                    workers=options["workers"],
                    threads=int(os.environ.get("FICARCHIVE_THREADS", "4")),
                    seed=options["seed"],
                    folder=Path(folder),
                ):
                    self.emit(options, row)
            except RuntimeError as exc:
                raise CommandError(str(exc)) from exc

    def suggest(self, options):
        # `bench suggest` shares this command although suggest is a layer above discovery.
        from ficarchive.suggest.crossval import cross_validate
        from ficarchive.suggest.crossval_report import format_cv_report
        from ficarchive.suggest.labelled import LabelledError, default_labelled_dir

        repeats = options.get("repeats", 1)
        if repeats < 1:
            raise CommandError("--repeats must be at least 1.")
        folder = Path(options["labelled"]) if options["labelled"] else default_labelled_dir()
        if folder is None:
            if repeats != 1:
                raise CommandError("--repeats needs a labelled folder (--labelled DIR).")
            return self.suggest_devset(options)
        try:
            result = cross_validate(folder, folds=options["folds"], repeats=repeats)
        except (LabelledError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        result["labelled"] = str(folder)
        # CPU per 10,000 words of whole suggestions, as the target states it.
        from ficarchive.suggest.speed import suggest_cpu

        cpu = result["suggest_cpu"] = suggest_cpu(folder, default_corpus())
        if options["json"]:
            self.stdout.write(json.dumps(result, default=str, ensure_ascii=False))
        else:
            self.stdout.write(format_cv_report(result))
            self.stdout.write(
                f"suggest CPU: {cpu['labelled']['ms_cpu_per_10k_words']} ms per 10,000 words "
                f"(labelled works), {cpu['long_work']['ms_cpu_per_10k_words']} ms "
                f"(one generated work of {cpu['long_work']['words']} words); "
                f"load average {cpu['load_average']['after']}"
            )
        sys.stdout.flush()

    def suggest_devset(self, options):
        """Without a labelled folder: the development set shipped with the engine, whose
        figures are not a test (the rules were tuned on it), and say so."""
        from ficarchive.suggest.evaluation import format_report, run_suggest_benchmark

        caveat = (
            "No labelled folder (pass --labelled DIR): development-set figures, measured on "
            "the works the rules were tuned on, so optimistic; not cross-validated."
        )
        result = run_suggest_benchmark()
        result["caveat"] = caveat
        if options["json"]:
            result.pop("rows", None)
            self.stdout.write(json.dumps(result, default=str, ensure_ascii=False))
        else:
            self.stdout.write(caveat + "\n\n" + format_report(result))
        sys.stdout.flush()
