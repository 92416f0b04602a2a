"""`ficarchive import-efiction DUMP.sql [--stories-dir DIR] [--mapping FILE] [--json]
[--report FILE]`: an eFiction archive, the Open Doors way (see
ficarchive/transfer/importers/efiction.py for what is read and how it is mapped).

--mapping FILE: a JSON mapping of ratings, class types, warnings, categories, fandoms and
characters to AO3's tags, laid over the default (importers/efiction_mapping.json). When
FILE does not exist, the default is written there for the runner to edit, and used.
The report of what was mapped and what was not goes to stderr (or --report FILE);
stdout carries one JSON object per work with --json."""

from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ficarchive.transfer.importers import ImportRejected
from ficarchive.transfer.importers.efiction import DEFAULT_MAPPING_PATH, load_mapping
from ficarchive.transfer.services_import import efiction_import, work_summary_json
from ficarchive.works.text import decode_text

MAX_DUMP_BYTES = 2 * 1024 * 1024 * 1024


logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Import an eFiction archive from its MySQL dump."

    def add_arguments(self, parser):
        parser.add_argument("dump", metavar="DUMP.sql")
        parser.add_argument(
            "--stories-dir", help="eFiction's stories folder (chapters stored as files)"
        )
        parser.add_argument(
            "--mapping", help="JSON mapping file (written with the defaults when absent)"
        )
        parser.add_argument("--json", action="store_true")
        parser.add_argument("--report", help="write the mapping report (JSON) to this file")

    def handle(self, *args, **options):
        dump = Path(options["dump"])
        if not dump.is_file():
            raise CommandError(f"{dump}: no such file.")
        if dump.stat().st_size > MAX_DUMP_BYTES:
            raise CommandError(f"{dump} is larger than {MAX_DUMP_BYTES // 2**30} GB.")
        if options["stories_dir"] and not Path(options["stories_dir"]).is_dir():
            raise CommandError(f"{options['stories_dir']}: no such folder.")
        mapping_path = options["mapping"]
        if mapping_path and not Path(mapping_path).exists():
            shutil.copyfile(DEFAULT_MAPPING_PATH, mapping_path)
            self.stderr.write(
                f"wrote the default mapping to {mapping_path}; edit it and run again to change it"
            )
        try:
            mapping = load_mapping(mapping_path)
            result = efiction_import(
                sql_text=decode_text(dump.read_bytes()),
                stories_dir=options["stories_dir"],
                mapping=mapping,
            )
        except ImportRejected as exc:
            raise CommandError(f"{dump}: {exc}")
        except (ValueError, LookupError, OSError) as exc:  # a dump the reader cannot follow
            logger.debug("import-efiction %s failed", dump, exc_info=True)
            raise CommandError(
                f"{dump}: the dump could not be read ({type(exc).__name__}); "
                "is it an eFiction MySQL dump?"
            )
        if options["json"]:
            for item in result.results:
                self.stdout.write(json.dumps(work_summary_json(item.work), ensure_ascii=False))
        report_text = json.dumps(result.report, ensure_ascii=False, indent=2, default=str)
        if options["report"]:
            Path(options["report"]).write_text(report_text, encoding="utf-8")
        else:
            self.stderr.write(report_text)
        r = result.report
        self.stderr.write(
            f"{r['works_created']} works imported, {r['works_already_there']} already there, "
            f"{len(r['skipped_stories'])} skipped, {r['authors']} authors, {r['comments']} comments; "
            f"{len(r['unmapped'])} unmapped items"
        )
