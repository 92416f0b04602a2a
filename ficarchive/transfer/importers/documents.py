"""Word processors' own files: OpenDocument text (.odt, LibreOffice and others) and RTF.

ODT is turned into XHTML in-process by odfpy's ODF2XHTML (its styles become CSS classes,
which office.py reads back as emphasis); the title, author, summary and keywords come
from the package's meta.xml (dc:title, meta:initial-creator or dc:creator,
dc:description, meta:keyword). RTF is converted by Calibre's `ebook-convert` to HTMLZ
(one HTML page, its style sheet and an OPF of the document's \\info title and author),
as AO3 hands files to Calibre; an install without Calibre refuses RTF with that reason.
Both then go through the HTML reader: chapters at headings, or at paragraphs that read
as chapter headings ("Chapter One: Fog")."""

from __future__ import annotations

import io
import os
import re
import subprocess
import tempfile
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _
from lxml import etree

from .base import ImportRejected, ParsedWork
from .html import parse_html
from .htmlutil import text_of, title_from_filename
from .safety import SafeZip, parse_xml

_OPF = "{http://www.idpf.org/2007/opf}"
_DC = "{http://purl.org/dc/elements/1.1/}"
_META = "{urn:oasis:names:tc:opendocument:xmlns:meta:1.0}"
_ENTITY_RE = re.compile(rb"<!ENTITY", re.I)


def parse_odt(data: bytes, *, filename: str = "") -> ParsedWork:
    """An OpenDocument text file (see the module doc); ImportRejected when it is not one
    or is damaged."""
    from odf.odf2xhtml import ODF2XHTML

    z = SafeZip(data, "ODT file")
    if not z.has("content.xml"):
        raise ImportRejected(
            _("%(name)s is not an OpenDocument text (no content.xml).")
            % {"name": filename or _("the file")}
        )
    for part in ("content.xml", "styles.xml", "meta.xml"):
        if z.has(part) and _ENTITY_RE.search(z.read(part)):
            raise ImportRejected(f"{part} in the ODT declares XML entities, which are not allowed.")
    try:
        xhtml = ODF2XHTML(generate_css=True, embedable=False).odf2xhtml(io.BytesIO(data))
    except Exception:  # odfpy raises bare KeyError/AttributeError on damaged files
        raise ImportRejected(
            _("%(name)s could not be read; it may be damaged.")
            % {"name": filename or _("the ODT file")}
        )
    parsed = parse_html(xhtml, filename=filename)
    parsed.source_format = "odt"
    if z.has("meta.xml"):
        _odt_meta(parse_xml(z.read("meta.xml"), "meta.xml"), parsed)
    return parsed


def _odt_meta(meta: etree._Element, parsed: ParsedWork) -> None:
    title = text_of(meta.find(f".//{_DC}title"))
    if title:
        parsed.title = title
    author = text_of(meta.find(f".//{_META}initial-creator")) or text_of(
        meta.find(f".//{_DC}creator")
    )
    if author and not parsed.creators:
        parsed.creators = [author]
    description = text_of(meta.find(f".//{_DC}description"))
    if description and not parsed.summary:
        parsed.summary = description
    keywords = [text_of(k) for k in meta.iter(f"{_META}keyword") if text_of(k)]
    parsed.freeforms.extend(k for k in keywords if k not in parsed.freeforms)


def parse_rtf(data: bytes, *, filename: str = "") -> ParsedWork:
    """An RTF document, through Calibre (see the module doc)."""
    from ficarchive.transfer.downloads.calibre import ebook_convert_path

    binary = ebook_convert_path()
    if binary is None:
        raise ImportRejected(
            _("RTF import needs Calibre's ebook-convert, which is not installed on this server.")
        )
    stem = re.sub(r"[^\w.-]+", "_", Path(filename or "document.rtf").stem)[:60] or "document"
    timeout = int(getattr(settings, "FICARCHIVE_CONVERT_TIMEOUT", 600))
    with tempfile.TemporaryDirectory(prefix="ficarchive-rtf-") as tmp:
        source, target = Path(tmp) / f"{stem}.rtf", Path(tmp) / f"{stem}.htmlz"
        source.write_bytes(data)
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
        try:
            result = subprocess.run(
                [binary, str(source), str(target)],
                capture_output=True,
                timeout=timeout,
                env=env,
                cwd=tmp,
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise ImportRejected(
                _("reading the RTF took longer than %(seconds)s seconds.") % {"seconds": timeout}
            )
        if result.returncode != 0 or not target.exists():
            raise ImportRejected(
                _("%(name)s could not be read as RTF; it may be damaged.")
                % {"name": filename or _("the file")}
            )
        htmlz = SafeZip(target.read_bytes(), "converted RTF")
    page = htmlz.read("index.html").decode("utf-8", "replace")
    css = htmlz.read("style.css").decode("utf-8", "replace") if htmlz.has("style.css") else ""
    # The style sheet goes inline, where the office reader looks for emphasis classes.
    page = page.replace("</head>", f"<style>{css}</style></head>", 1)
    parsed = parse_html(page, filename=filename)
    parsed.source_format = "rtf"
    if htmlz.has("metadata.opf"):
        opf = parse_xml(htmlz.read("metadata.opf"), "metadata.opf")
        title = text_of(opf.find(f".//{_DC}title"))
        # Calibre names an untitled document after its file.
        if title and title != stem:
            parsed.title = title
        authors = [text_of(c) for c in opf.iter(f"{_DC}creator") if text_of(c)]
        authors = [a for a in authors if a.casefold() != "unknown"]
        if authors:
            parsed.creators = authors
    parsed.title = parsed.title or title_from_filename(filename)
    return parsed
