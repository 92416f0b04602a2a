"""Importers: one function per source format, each returning a ParsedWork.

`import_file(path_or_bytes, filename)` picks the reader from the file's contents and name:
EPUB (zip with an OPF; AO3, FanFicFare, Calibre and other EPUBs), DOCX, ODT, RTF (through
Calibre), HTML (AO3's download HTML, word processors' pages or any page), Markdown, plain
text. `parse_epub(data)` reads an EPUB.
Errors are ImportRejected with a one-line reason."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from lxml import etree

from ficarchive.works.text import decode_text

from .base import ImportRejected, ParsedChapter, ParsedWork
from .epub import parse_epub
from .safety import check_size

__all__ = [
    "ImportRejected",
    "ParsedChapter",
    "ParsedWork",
    "SUPPORTED_EXTENSIONS",
    "import_file",
    "parse_epub",
    "read_input",
]

SUPPORTED_EXTENSIONS = {
    ".txt",
    ".text",
    ".md",
    ".markdown",
    ".html",
    ".htm",
    ".xhtml",
    ".epub",
    ".docx",
    ".odt",
    ".rtf",
    ".zip",
}


def read_input(path_or_bytes: str | os.PathLike | bytes, filename: str = "") -> tuple[bytes, str]:
    """The file's bytes (refusing oversize files before reading them) and its name."""
    if isinstance(path_or_bytes, bytes | bytearray):
        data = bytes(path_or_bytes)
        check_size(len(data), filename or "The file")
        return data, filename
    path = Path(path_or_bytes)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ImportRejected(f"cannot read {path}: {exc.strerror}.")
    check_size(size, path.name)
    with path.open("rb") as fh:
        data = fh.read(size + 1)
    check_size(len(data), path.name)
    return data, filename or path.name


def detect_format(data: bytes, filename: str) -> str:
    ext = Path(filename).suffix.lower()
    if ext == ".rtf" or data[:5] == b"{\\rtf":
        return "rtf"
    if ext == ".odt" or (
        data[:4] == b"PK\x03\x04" and b"application/vnd.oasis.opendocument.text" in data[:100]
    ):
        return "odt"
    if ext == ".zip":
        return "zipped-html"
    if data[:4] == b"PK\x03\x04" or ext in {".epub", ".docx", ".docm"}:
        if ext in {".docx", ".docm"} or b"word/document.xml" in data[:65536]:
            return "docx"
        return "epub"
    if ext in {".html", ".htm", ".xhtml"}:
        return "html"
    if ext in {".md", ".markdown"}:
        return "markdown"
    if ext in {".txt", ".text", ""}:
        head = data[:2048].lstrip().lower()
        if head.startswith((b"<!doctype html", b"<html", b"<?xml")):
            return "html"
        return "text"
    raise ImportRejected(
        _(
            "%(name)s: unsupported file type %(ext)s (use .txt, .md, .html, .epub, .docx, "
            ".odt, .rtf, or a .zip of one web page)."
        )
        % {"name": filename, "ext": repr(ext)}
    )


def import_file(path_or_bytes: str | os.PathLike | bytes, filename: str = "") -> ParsedWork:
    """Read one file into a ParsedWork (format chosen by detect_format). Every failure is
    ImportRejected with one line naming the file and the reason."""
    data, filename = read_input(path_or_bytes, filename)
    if not data.strip():
        raise ImportRejected(_("%(name)s is empty.") % {"name": filename or _("the file")})
    kind = detect_format(data, filename)
    if kind in {"text", "markdown", "html"} and _looks_binary(data):
        raise ImportRejected(
            _(
                "%(name)s is not text (it holds binary data); "
                "if it is an EPUB, DOCX or ODT, give it that extension."
            )
            % {"name": filename or _("the file")}
        )
    try:
        return _parse(kind, data, filename)
    except ImportRejected:
        raise
    except (ValueError, LookupError, UnicodeError, OSError, zipfile.BadZipFile, etree.LxmlError):
        # A library's own message ("All strings must be XML compatible") helps nobody:
        # say which file and what it was taken for.
        raise ImportRejected(
            _("%(name)s could not be read as %(kind)s; it may be damaged.")
            % {"name": filename or _("the file"), "kind": _KIND_NAMES.get(kind, kind)}
        )


_BINARY_BYTES = bytes(b for b in range(32) if b not in b"\t\n\r\x0b\x0c\x1a")


def _looks_binary(data: bytes) -> bool:
    """More than 5% (and 8) of the first 8 KB are control bytes that no text file holds (UTF-16
    and UTF-32, whose zero bytes are text, excepted)."""
    sample = data[:8192]
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00\x00\x00" in sample[:4]:
        return False
    zeros = sample[0::2].count(0), sample[1::2].count(0)
    if max(zeros) > len(sample) // 2 * 0.3 and min(zeros) < len(sample) // 2 * 0.05:
        return False  # UTF-16 without a byte-order mark
    controls = sum(sample.count(bytes([b])) for b in _BINARY_BYTES)
    return controls > 8 and controls > len(sample) * 0.05


def _parse_zipped_html(data: bytes, filename: str) -> ParsedWork:
    """Google Docs' "Download → Web page (.html, zipped)": one HTML page and its images.
    The page is read as any word processor's page; images are not kept."""
    from .html import parse_html
    from .safety import SafeZip

    z = SafeZip(data, "zip file")
    pages = sorted(n for n in z.names if n.lower().endswith((".html", ".htm")))
    if len(pages) != 1:
        raise ImportRejected(
            _(
                "%(name)s holds %(count)s web pages; a zipped import must hold exactly one "
                "(as Google Docs' web-page download does)."
            )
            % {"name": filename or _("the zip file"), "count": len(pages)}
        )
    return parse_html(z.read(pages[0]), filename=Path(pages[0]).name)


_KIND_NAMES = {
    "epub": gettext_lazy("an EPUB"),
    "docx": gettext_lazy("a Word document"),
    "odt": gettext_lazy("an OpenDocument text"),
    "rtf": gettext_lazy("an RTF document"),
    "html": gettext_lazy("a web page"),
    "zipped-html": gettext_lazy("a zipped web page"),
    "markdown": gettext_lazy("Markdown"),
    "text": gettext_lazy("plain text"),
}


def _parse(kind: str, data: bytes, filename: str) -> ParsedWork:
    from .documents import parse_odt, parse_rtf
    from .docx import parse_docx
    from .html import parse_html
    from .text import parse_markdown, parse_text

    if kind == "odt":
        return parse_odt(data, filename=filename)
    if kind == "zipped-html":
        return _parse_zipped_html(data, filename)
    if kind == "rtf":
        return parse_rtf(data, filename=filename)
    if kind == "epub":
        return parse_epub(data)
    if kind == "docx":
        return parse_docx(data, filename=filename)
    if kind == "html":
        return parse_html(data, filename=filename)
    if kind == "markdown":
        return parse_markdown(data, filename=filename)
    return parse_text(decode_text(data), filename=filename)
