"""EPUB 3 from the rendered download: one file for the preface, one per chapter, one for
the afterword (the split AO3's Calibre-made EPUBs have), with a navigation document, an
NCX for EPUB 2 readers, and OPF metadata a library app can sort by."""

from __future__ import annotations

import io
import re
import uuid
import zipfile

from django.utils.html import escape
from lxml import etree

from .document import ExportWork
from .xhtml import element_to_xhtml, html_document_to_tree, xhtml_page

_LANG_RE = re.compile(r"^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$")

CONTAINER_XML = """<?xml version="1.0" encoding="utf-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <rootfiles>
    <rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/>
  </rootfiles>
</container>
"""


def epub_language(code: str) -> str:
    """A well-formed BCP 47 tag for the OPF (authors type free text; "und" when it is not)."""
    code = (code or "").strip().replace("_", "-")
    return code if _LANG_RE.match(code) else "und"


def epub_identifier(export: ExportWork) -> str:
    """A stable identifier: the same work from the same site keeps it across revisions."""
    return "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, export.url))


def _parts(root: etree._Element) -> list[tuple[str, str, etree._Element, str | None]]:
    """(file name, table-of-contents label, element, wrapper id) for each EPUB page."""
    body = root.find("body")
    parts: list[tuple[str, str, etree._Element, str | None]] = []
    preface = body.find("div[@id='preface']")
    if preface is not None:
        parts.append(("preface.xhtml", "Preface", preface, None))
    chapters = body.find("div[@id='chapters']")
    if chapters is not None:
        for i, ch in enumerate(chapters.findall("div"), start=1):
            heading = ch.find(".//h2")
            label = " ".join(
                (heading.text_content() if heading is not None else f"Chapter {i}").split()
            )
            parts.append((f"chapter-{i:03d}.xhtml", label, ch, "chapters"))
    afterword = body.find("div[@id='afterword']")
    if afterword is not None:
        parts.append(("afterword.xhtml", "Afterword", afterword, None))
    return parts


def _link_fragments(parts: list[tuple[str, str, etree._Element, str | None]]) -> None:
    """Point in-document links (#id) at the page that now holds the id; drop dead ones."""
    where: dict[str, str] = {}
    for name, _label, el, _wrap in parts:
        for node in el.iter():
            if isinstance(node.tag, str) and node.get("id"):
                where.setdefault(node.get("id"), name)
    for _name, _label, el, _wrap in parts:
        for a in el.iter("a"):
            href = a.get("href", "")
            if href.startswith("#"):
                target = where.get(href[1:])
                if target:
                    a.set("href", f"{target}{href}")
                else:
                    del a.attrib["href"]


def _opf(export: ExportWork, identifier: str, language: str, files: list[str]) -> str:
    meta = [
        f'<dc:identifier id="uid">{identifier}</dc:identifier>',
        f"<dc:title>{escape(export.title)}</dc:title>",
    ]
    for i, name in enumerate(export.creators, start=1):
        meta.append(f'<dc:creator id="creator{i}">{escape(name)}</dc:creator>')
        meta.append(
            f'<meta refines="#creator{i}" property="role" scheme="marc:relators">aut</meta>'
        )
    meta.append(f"<dc:language>{language}</dc:language>")
    if export.summary:
        meta.append(f"<dc:description>{escape(export.summary)}</dc:description>")
    meta.append(f"<dc:publisher>{escape(export.site_name)}</dc:publisher>")
    meta.append(f"<dc:source>{escape(export.url)}</dc:source>")
    meta.append(f"<dc:date>{export.published}</dc:date>")
    for tag in export.all_tag_names:
        meta.append(f"<dc:subject>{escape(tag)}</dc:subject>")
    meta.append(f'<meta property="dcterms:modified">{export.modified_iso}</meta>')
    for position, title, _url in export.series:
        meta.append(
            f'<meta property="belongs-to-collection" id="series{position}">{escape(title)}</meta>'
        )
        meta.append(f'<meta refines="#series{position}" property="collection-type">series</meta>')
        meta.append(
            f'<meta refines="#series{position}" property="group-position">{position}</meta>'
        )
    manifest = [
        '<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>',
        '<item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/>',
        '<item id="css" href="style.css" media-type="text/css"/>',
    ]
    spine = []
    for i, name in enumerate(files):
        manifest.append(f'<item id="page{i}" href="{name}" media-type="application/xhtml+xml"/>')
        spine.append(f'<itemref idref="page{i}"/>')
    nl = "\n    "
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f'<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="uid" xml:lang="{language}">\n'
        '  <metadata xmlns:dc="http://purl.org/dc/elements/1.1/">\n    '
        + nl.join(meta)
        + "\n  </metadata>\n  <manifest>\n    "
        + nl.join(manifest)
        + "\n  </manifest>\n  <spine"
        # EPUB 3: a right-to-left work's pages turn from right to left.
        + (' page-progression-direction="rtl"' if export.direction == "rtl" else "")
        + ' toc="ncx">\n    '
        + nl.join(spine)
        + "\n  </spine>\n</package>\n"
    )


def _nav(export: ExportWork, language: str, toc: list[tuple[str, str]]) -> str:
    items = "\n".join(f'<li><a href="{href}">{escape(label)}</a></li>' for href, label in toc)
    body = (
        f'<nav epub:type="toc" id="toc">\n<h1>Contents</h1>\n<ol>\n{items}\n</ol>\n</nav>\n'
        '<nav epub:type="landmarks" id="landmarks" hidden="hidden">\n<h2>Landmarks</h2>\n<ol>\n'
        f'<li><a epub:type="bodymatter" href="{toc[1][0] if len(toc) > 1 else toc[0][0]}">Start of content</a></li>\n'
        "</ol>\n</nav>"
    )
    return xhtml_page(
        title=export.title,
        language=language,
        body=body,
        epub_ns=True,
        direction=export.direction,
    )


def _ncx(export: ExportWork, identifier: str, toc: list[tuple[str, str]]) -> str:
    points = "\n".join(
        f'<navPoint id="np{i}" playOrder="{i}"><navLabel><text>{escape(label)}</text></navLabel>'
        f'<content src="{href}"/></navPoint>'
        for i, (href, label) in enumerate(toc, start=1)
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" version="2005-1">\n'
        f'<head><meta name="dtb:uid" content="{identifier}"/><meta name="dtb:depth" content="1"/>'
        '<meta name="dtb:totalPageCount" content="0"/><meta name="dtb:maxPageNumber" content="0"/></head>\n'
        f"<docTitle><text>{escape(export.title)}</text></docTitle>\n"
        f"<navMap>\n{points}\n</navMap>\n</ncx>\n"
    )


def html_to_epub(html: str, export: ExportWork, css: str) -> bytes:
    """Convert the rendered download into an EPUB 3 file (bytes)."""
    root = html_document_to_tree(html)
    parts = _parts(root)
    _link_fragments(parts)
    language = epub_language(export.language)
    identifier = epub_identifier(export)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        # The mimetype entry comes first and uncompressed, as OCF requires.
        zf.writestr(
            zipfile.ZipInfo("mimetype"), "application/epub+zip", compress_type=zipfile.ZIP_STORED
        )
        zf.writestr("META-INF/container.xml", CONTAINER_XML, compress_type=zipfile.ZIP_DEFLATED)
        files, toc = [], []
        for name, label, el, wrapper in parts:
            markup = element_to_xhtml(el)
            if wrapper:
                markup = f'<div id="{wrapper}" class="userstuff">\n{markup}\n</div>'
            page = xhtml_page(
                title=export.title, language=language, body=markup, direction=export.direction
            )
            zf.writestr(f"OEBPS/{name}", page, compress_type=zipfile.ZIP_DEFLATED)
            files.append(name)
            toc.append((name, label))
        zf.writestr("OEBPS/style.css", css, compress_type=zipfile.ZIP_DEFLATED)
        zf.writestr(
            "OEBPS/nav.xhtml", _nav(export, language, toc), compress_type=zipfile.ZIP_DEFLATED
        )
        zf.writestr(
            "OEBPS/toc.ncx", _ncx(export, identifier, toc), compress_type=zipfile.ZIP_DEFLATED
        )
        zf.writestr(
            "OEBPS/content.opf",
            _opf(export, identifier, language, files),
            compress_type=zipfile.ZIP_DEFLATED,
        )
    return buffer.getvalue()
