"""`ficarchive import PATH... [options]`: one work per file; folders are walked.

Progress (tqdm) and the summary go to stderr so that --json stdout carries only one JSON
object per imported work. A file that cannot be imported is reported and skipped; each
work is created in its own transaction, so nothing is half-imported. The command fails
(non-zero exit) when no file could be imported, or on a bad option (unknown owner); it then
prints one line only (CONTRACT.md), so the skipped files are reported after the loop, and
the progress bar is drawn only for a person watching (stderr a terminal)."""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ficarchive.transfer.importers import SUPPORTED_EXTENSIONS, ImportRejected
from ficarchive.transfer.services_import import (
    ImportOverrides,
    file_import,
    owner_resolve,
    work_summary_json,
)

logger = logging.getLogger(__name__)


def collect_files(paths: list[str]) -> list[Path]:
    """Files named, and supported files found (sorted) in folders named."""
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files.extend(
                sorted(
                    p
                    for p in path.rglob("*")
                    if p.is_file()
                    and p.suffix.lower() in SUPPORTED_EXTENSIONS
                    and not p.name.startswith(".")
                )
            )
        elif path.exists():
            files.append(path)
        else:
            raise CommandError(f"{raw}: no such file or folder.")
    return files


class Command(BaseCommand):
    help = "Import works from text, Markdown, HTML, DOCX or EPUB files (AO3 downloads included)."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH")
        parser.add_argument(
            "--owner",
            help="account that owns the works (default: the 'archivist' importer account)",
        )
        parser.add_argument("--json", action="store_true", help="print one JSON object per work")
        parser.add_argument("--fandom", action="append", default=[])
        parser.add_argument("--rating")
        parser.add_argument("--warning", action="append", default=[])
        parser.add_argument("--category", action="append", default=[])
        parser.add_argument("--relationship", action="append", default=[])
        parser.add_argument("--character", action="append", default=[])
        parser.add_argument("--tag", action="append", default=[])
        parser.add_argument("--title")
        parser.add_argument("--summary")
        parser.add_argument("--language")
        parser.add_argument("--restricted", action="store_true")
        parser.add_argument("--anonymous", action="store_true")
        parser.add_argument("--draft", action="store_true")
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args, **options):
        from tqdm import tqdm

        from ficarchive.tags.vocabulary import (
            ArchiveWarning,
            Category,
            Rating,
            vocab_split,
            warnings_problem,
        )

        # The fixed vocabularies are checked before any file is read: a typo is one error,
        # not one per file (and not hidden behind "already imported").
        for option, values, allowed in (
            ("--rating", [options["rating"]] if options["rating"] else [], Rating),
            ("--warning", options["warning"] or [], ArchiveWarning),
            ("--category", options["category"] or [], Category),
        ):
            unknown = vocab_split(values, allowed)[1]
            if unknown:
                raise CommandError(
                    f"{option} {unknown[0]!r} is not one of: {', '.join(allowed.values)}."
                )
        contradiction = warnings_problem(options["warning"] or [])
        if contradiction:  # the posting form's rule (tags.vocabulary), before any file
            raise CommandError(f"--warning: {contradiction}")
        try:
            owner = owner_resolve(options["owner"])
        except ImportRejected as exc:
            raise CommandError(str(exc))
        files = collect_files(options["paths"])
        if not files:
            raise CommandError(
                "no importable files (.txt, .md, .html, .epub, .docx, .odt, .rtf, .zip) found."
            )
        overrides = ImportOverrides(
            title=options["title"] or "",
            summary=options["summary"] or "",
            language=options["language"] or "",
            rating=options["rating"] or "",
            warnings=options["warning"],
            categories=options["category"],
            fandoms=options["fandom"],
            relationships=options["relationship"],
            characters=options["character"],
            freeforms=options["tag"],
        )
        created = skipped = 0
        failed: list[tuple[Path, str]] = []
        words = 0
        show_bar = len(files) > 1 and not options["no_progress"] and sys.stderr.isatty()
        bar = tqdm(files, file=sys.stderr, unit="file", disable=not show_bar, desc="importing")
        for path in bar:
            try:
                result = file_import(
                    actor=owner,
                    path_or_bytes=path,
                    overrides=overrides,
                    draft=options["draft"],
                    restricted=options["restricted"],
                    anonymous=options["anonymous"],
                )
            except ImportRejected as exc:
                failed.append((path, str(exc)))
                continue
            except Exception:  # one broken file must not stop a bulk import
                # The library's own message means nothing to the person importing; the
                # traceback goes to the log for whoever maintains the archive.
                # (at DEBUG: FICARCHIVE_LOG_LEVEL=DEBUG shows it, stderr stays one line).
                logger.debug("importing %s failed", path, exc_info=True)
                reason = "the file could not be read; it may be damaged or of another format."
                failed.append((path, reason))
                continue
            if result.created:
                created += 1
                words += result.work.word_count
            else:
                skipped += 1
            for notice in result.notices:
                if notice != "already imported":
                    self.stderr.write(f"{path}: {notice}")
            if options["json"]:
                self.stdout.write(json.dumps(work_summary_json(result.work), ensure_ascii=False))
            elif result.created:
                self.stderr.write(f"imported {path} as work {result.work.pk}: {result.work.title}")
            else:
                self.stderr.write(f"{path} was already imported as work {result.work.pk}")
        bar.close()
        if failed and not created and not skipped:
            more = f" ({len(failed) - 1} more failed too)" if len(failed) > 1 else ""
            raise CommandError(f"nothing imported: {failed[0][0]}: {failed[0][1]}{more}")
        for path, reason in failed:
            self.stderr.write(f"skipped {path}: {reason}")
        self.stderr.write(
            f"{created} imported, {skipped} already there, {len(failed)} failed, of {len(files)} files; {words:,} words"
        )
