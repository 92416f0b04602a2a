"""Word documents (.docx) through mammoth, which maps Word's styles to plain HTML
(headings, emphasis, lists) and drops everything else. Footnotes and endnotes, which
mammoth lists at the end of the document, go to the end of the chapter that refers to
them, with their links as named anchors (the sanitizer keeps `<a name>`, not `id`), so
each works on the chapter's own page. Macro-enabled documents (a
`vbaProject.bin` part or a macro content type) are refused; the zip is checked like an
EPUB's before mammoth sees it."""

from __future__ import annotations

import copy
import io
import re
import zipfile
from xml.parsers.expat import ExpatError

from django.utils.translation import gettext as _
from lxml import etree
from lxml import html as lxml_html

from .base import ImportRejected, ParsedChapter, ParsedWork
from .html import split_chapters
from .htmlutil import inner_html
from .safety import SafeZip, check_size, parse_html_document, parse_xml

_MACRO_TYPES = ("macroEnabled", "vbaProject", "vbaData")


def parse_docx(data: bytes, *, filename: str = "") -> ParsedWork:
    """A .docx file: title from the document properties or a lone Heading 1, chapters at
    headings (as for HTML)."""
    import mammoth

    from .htmlutil import title_from_filename

    check_size(len(data), "The document")
    z = SafeZip(data, "Word document")
    if not z.has("[Content_Types].xml") or not z.has("word/document.xml"):
        raise ImportRejected(_("the file is not a Word .docx document."))
    content_types = z.read("[Content_Types].xml")
    parse_xml(content_types, "[Content_Types].xml")
    if any(name.lower().endswith("vbaproject.bin") for name in z.names) or any(
        marker.encode() in content_types for marker in _MACRO_TYPES
    ):
        raise ImportRejected(
            _(
                "the document contains macros; save it as a plain .docx without macros and "
                "try again."
            )
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
        raise ImportRejected(
            _("the Word document cannot be read (%(error)s).") % {"error": type(exc).__name__}
        )
    root = parse_html_document(f"<html><body>{result.value}</body></html>")
    body = root.find(".//body")
    notes = _take_notes(body)
    found_title, parsed.chapters = split_chapters(body, work_title=parsed.title)
    if notes:
        _notes_to_chapters(parsed.chapters, notes)
    parsed.title = parsed.title or found_title or title_from_filename(filename)
    if not parsed.chapters:
        raise ImportRejected(_("the document has no text."))
    return parsed


_NOTE_ID_RE = re.compile(r"^(?:footnote|endnote)-\d+$")


def _take_notes(body: etree._Element) -> dict[str, etree._Element]:
    """mammoth's footnote and endnote items (`<li id="footnote-N">`), removed from the
    body: id -> item."""
    notes: dict[str, etree._Element] = {}
    for li in list(body.iter("li")):
        if _NOTE_ID_RE.match(li.get("id") or ""):
            notes[li.get("id")] = li
            ol = li.getparent()
            ol.remove(li)
            if len(ol) == 0 and ol.getparent() is not None:
                ol.getparent().remove(ol)
    return notes


def _notes_to_chapters(chapters: list[ParsedChapter], notes: dict[str, etree._Element]) -> None:
    """Each chapter ends with the notes it refers to; ids become named anchors."""
    for chapter in chapters:
        root = lxml_html.fragment_fromstring(chapter.body_html, create_parent="div")
        used: list[str] = []
        for a in root.iter("a"):
            if a.get("id"):
                a.set("name", a.attrib.pop("id"))
            target = (a.get("href") or "").removeprefix("#")
            if target in notes and target not in used:
                used.append(target)
        if not used:
            continue
        ol = etree.SubElement(root, "ol", {"class": "footnotes"})
        for note_id in used:
            li = copy.deepcopy(notes[note_id])
            li.attrib.pop("id", None)
            anchor = etree.Element("a", name=note_id)
            anchor.tail, li.text = li.text, None
            li.insert(0, anchor)
            ol.append(li)
        chapter.body_html = inner_html(root)
