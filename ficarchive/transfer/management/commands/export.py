"""`ficarchive export ID --format FMT [-o PATH]`: write a work as a download file.

Without -o (or with -o naming a folder) the file is named as downloads are
(transliterated title and work id) and an existing file is never overwritten: the next
free name "NAME-2.EXT" is taken and printed. The operator's view: any work, drafts and hidden ones included. The file is the one
readers download, so an anonymous work's creators stay hidden in it."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ficarchive.transfer.downloads import (
    FORMATS,
    ConversionError,
    download_bytes,
    download_filename,
)
from ficarchive.transfer.downloads.document import export_work_load
from ficarchive.works.models import Work


def _write_new(path: Path, data: bytes) -> Path:
    """Write to path, or when a file of that name exists to "NAME-2.EXT", "NAME-3.EXT"...
    (opened with "x", so a file made meanwhile is not overwritten either)."""
    candidate, n = path, 1
    while True:
        try:
            with candidate.open("xb") as fh:
                fh.write(data)
            return candidate
        except FileExistsError:
            n += 1
            candidate = path.with_name(f"{path.stem}-{n}{path.suffix}")


class Command(BaseCommand):
    help = "Write a work as a download file (epub, html, pdf, txt, azw3, mobi)."

    def add_arguments(self, parser):
        parser.add_argument("work_id", metavar="ID", type=int)
        parser.add_argument("--format", "-f", dest="fmt", choices=sorted(FORMATS), default="epub")
        parser.add_argument(
            "-o",
            "--output",
            dest="output",
            help="file or folder (default: SLUG-ID.EXT here, never overwriting a file; - for stdout)",
        )
        parser.add_argument(
            "--json", action="store_true", help="print one JSON object about the file"
        )

    def handle(self, *args, **options):
        fmt = options["fmt"]
        work = Work.objects.filter(pk=options["work_id"]).first()
        if work is None:
            raise CommandError(f"No work with id {options['work_id']}.")
        try:
            data = download_bytes(export_work_load(work), fmt)
        except ConversionError as exc:
            raise CommandError(str(exc))
        output = options["output"]
        if output == "-":
            if options["json"]:
                raise CommandError("--json and -o - both want stdout; pick one.")
            self.stdout.flush()
            self.stdout._out.buffer.write(data)  # bytes, as they are
            return
        path = Path(output) if output else Path(download_filename(work, fmt))
        if path.is_dir():
            path = path / download_filename(work, fmt)
            output = ""
        try:
            if output:
                path.write_bytes(data)  # a file named with -o: the operator asked for it
            else:
                path = _write_new(path, data)
        except OSError as exc:
            raise CommandError(f"Cannot write {path}: {exc.strerror}.")
        if options["json"]:
            self.stdout.write(
                json.dumps(
                    {
                        "id": work.pk,
                        "format": fmt,
                        "path": str(path.resolve()),
                        "bytes": len(data),
                        "mime": FORMATS[fmt].mime,
                        "title": work.title,
                    }
                )
            )
        else:
            self.stdout.write(f"Wrote {path} ({len(data):,} bytes).")
