"""Downloads: one rendering of a work, and a converter per format behind `download_bytes`.

html = the rendered file; epub = that file split into pages with OPF metadata;
txt = its text; azw3, mobi, pdf = the EPUB through Calibre. Files are cached under
DOWNLOADS_ROOT/<work id>/<revision>/, so an edit (a new revision) makes new files and
the stale ones are deleted."""

from __future__ import annotations

import re
import shutil
import tempfile
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.template.loader import get_template

from ficarchive.works.models import Work

from .calibre import CALIBRE_FORMATS, ConversionError, calibre_available, convert_epub
from .document import ExportWork, export_revision, export_work_load, render_work_html
from .epub import html_to_epub
from .plaintext import html_to_plain_text

__all__ = [
    "CALIBRE_FORMATS",
    "FORMATS",
    "ConversionError",
    "DownloadFormat",
    "calibre_available",
    "download_bytes",
    "download_build",
    "download_cached",
    "download_disposition",
    "download_filename",
    "download_needs_background",
    "export_revision",
]


@dataclass(frozen=True)
class DownloadFormat:
    ext: str
    label: str
    mime: str


# In AO3's order on the Download menu.
FORMATS: dict[str, DownloadFormat] = {
    "azw3": DownloadFormat("azw3", "AZW3", "application/vnd.amazon.ebook"),
    "epub": DownloadFormat("epub", "EPUB", "application/epub+zip"),
    "mobi": DownloadFormat("mobi", "MOBI", "application/x-mobipocket-ebook"),
    "pdf": DownloadFormat("pdf", "PDF", "application/pdf"),
    "html": DownloadFormat("html", "HTML", "text/html"),
    "txt": DownloadFormat("txt", "TXT", "text/plain"),
}

# Past this many words a download is built in the background even in a quick format.
BACKGROUND_WORDS = 100_000


def _css() -> str:
    return get_template("transfer/download.css").template.source  # type: ignore[attr-defined]


def download_filename(work: Work, fmt: str) -> str:
    """A safe, recognisable file name in ASCII: the title transliterated (Work.slug, by
    anyascii), the work id (two works of one title never share a name) and the
    extension: "voyna-i-mir-42.epub"."""
    return f"{work.slug}-{work.pk}.{fmt}"


_UNSAFE_IN_FILENAME = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|\u202a-\u202e\u2066-\u2069]+')


def download_disposition(work: Work, fmt: str) -> str:
    """The Content-Disposition of a download (RFC 6266): `filename` in ASCII for old
    clients, and `filename*` (RFC 8187, UTF-8) carrying the real title, which browsers
    prefer: "attachment; filename="voyna-i-mir-42.epub"; filename*=UTF-8''%D0%92...epub".
    Characters file systems refuse and bidi overrides are dropped from the real title."""
    real = " ".join(_UNSAFE_IN_FILENAME.sub(" ", work.title).split())[:150] or work.slug
    ascii_name = download_filename(work, fmt)
    quoted = urllib.parse.quote(f"{real}.{fmt}", safe="")
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quoted}"


def download_needs_background(work: Work, fmt: str) -> bool:
    """Calibre formats always, and any format of a long work, are built by a task."""
    return fmt in CALIBRE_FORMATS or work.word_count > BACKGROUND_WORDS


def download_bytes(export: ExportWork, fmt: str) -> bytes:
    """The download file in one format (raises ConversionError for Calibre failures)."""
    if fmt not in FORMATS:
        raise ValueError(f"Unknown download format {fmt!r}; choose one of {', '.join(FORMATS)}.")
    if fmt == "html":
        return render_work_html(export, css=_css()).encode("utf-8")
    html = render_work_html(export)
    if fmt == "txt":
        return html_to_plain_text(html).encode("utf-8")
    epub = html_to_epub(html, export, _css())
    if fmt == "epub":
        return epub
    return convert_epub(epub, fmt, title=export.title)


def _work_dir(work_id: int) -> Path:
    return Path(settings.DOWNLOADS_ROOT) / str(work_id)


def _cache_path(work: Work, fmt: str, revision: str) -> Path:
    return _work_dir(work.pk) / revision / download_filename(work, fmt)


def download_cached(work: Work, fmt: str, revision: str | None = None) -> Path | None:
    """The cached file for the work's current revision, or None when it is not built."""
    path = _cache_path(work, fmt, revision or export_revision(work))
    return path if path.is_file() else None


def download_build(work: Work, fmt: str, revision: str | None = None) -> Path:
    """Build (or find) the cached file for the work's current revision; removes the files of
    earlier revisions. Raises ConversionError when a converter fails."""
    revision = revision or export_revision(work)
    path = _cache_path(work, fmt, revision)
    if path.is_file():
        return path
    data = download_bytes(export_work_load(work), fmt)
    path.parent.mkdir(parents=True, exist_ok=True)
    # Write then rename, so a reader never gets half a file.
    with tempfile.NamedTemporaryFile(dir=path.parent, delete=False, suffix=".part") as tmp:
        tmp.write(data)
    Path(tmp.name).replace(path)
    for old in _work_dir(work.pk).iterdir():
        if old.is_dir() and old.name != revision:
            shutil.rmtree(old, ignore_errors=True)
    return path


def downloads_purge(work_id: int) -> None:
    """Delete every cached file of a work (after it was deleted: ``downloads_purge_later``
    hears of it through core.changes). Hiding a work leaves its files: every download is
    served through the access check, so a hidden work's cached files are unreachable until
    it is shown again."""
    shutil.rmtree(_work_dir(work_id), ignore_errors=True)


def downloads_purge_later(work_ids: list[int]) -> None:
    """Listener for deleted works (core.changes): purge their files once the delete
    commits, so a rolled-back delete keeps its cache."""

    def purge() -> None:
        for work_id in work_ids:
            downloads_purge(work_id)

    transaction.on_commit(purge)
