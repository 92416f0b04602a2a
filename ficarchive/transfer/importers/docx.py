"""Word documents (.docx) through mammoth, which maps Word's styles to plain HTML
(headings, emphasis, lists) and drops everything else. Macro-enabled documents (a
`vbaProject.bin` part or a macro content type) are refused; the zip is checked like an
EPUB's before mammoth sees it."""

from __future__ import annotations

import io
import zipfile
from xml.parsers.expat import ExpatError

from .base import ImportRejected, ParsedWork
from .html import split_chapters
from .safety import SafeZip, check_size, parse_html_document, parse_xml

_MACRO_TYPES = ("macroEnabled", "vbaProject", "vbaData")


def parse_docx(data: bytes, *, filename: str = "") -> ParsedWork:
    """A .docx file: title from the document properties or a lone Heading 1, chapters at
    headings (as for HTML)."""
    import mammoth

    from .text import title_from_filename

    check_size(len(data), "The document")
    z = SafeZip(data, "Word document")
    if not z.has("[Content_Types].xml") or not z.has("word/document.xml"):
        raise ImportRejected("the file is not a Word .docx document.")
    content_types = z.read("[Content_Types].xml")
    parse_xml(content_types, "[Content_Types].xml")
    if any(name.lower().endswith("vbaproject.bin") for name in z.names) or any(
        marker.encode() in content_types for marker in _MACRO_TYPES
    ):
        raise ImportRejected(
            "the document contains macros; save it as a plain .docx without macros and try again."
        )
    parse_xml(z.read("word/document.xml"), "word/document.xml")
    parsed = ParsedWork(source_format="docx")
    if z.has("docProps/core.xml"):
        core = parse_xml(z.read("docProps/core.xml"), "docProps/core.xml")
        ns = {"dc": "http://purl.org/dc/elements/1.1/"}
        title = core.find("dc:title", ns)
        creator = core.find("dc:creator", ns)
        if title is not None and (title.text or "").strip():
            parsed.title = title.text.strip()
        if creator is not None and (creator.text or "").strip():
            parsed.creators = [creator.text.strip()]
    try:
        result = mammoth.convert_to_html(
            io.BytesIO(data), convert_image=mammoth.images.img_element(lambda image: {})
        )
    # What mammoth raises on damaged files: a missing part (OSError, KeyError), broken XML
    # (ExpatError), a broken archive, a bad value. Anything else is a bug and propagates.
    except (OSError, KeyError, ValueError, ExpatError, zipfile.BadZipFile) as exc:
        raise ImportRejected(f"the Word document cannot be read ({type(exc).__name__}).")
    root = parse_html_document(f"<html><body>{result.value}</body></html>")
    found_title, parsed.chapters = split_chapters(root.find(".//body"), work_title=parsed.title)
    parsed.title = parsed.title or found_title or title_from_filename(filename)
    if not parsed.chapters:
        raise ImportRejected("the document has no text.")
    return parsed
