"""EPUB 2 and 3: chapters from the spine, metadata from the OPF's Dublin Core.

Readers, tried in order: AO3's downloads (Calibre-made from AO3's HTML: everything AO3
puts in them), FanFicFare's (a title page of "Label: value" lines, chapters with an
h3/h2 title), and any other EPUB (Calibre, Sigil, EbookLib, Gutenberg ...): each spine
document is a chapter, titled by its first heading or else by the table of contents;
navigation, cover and title-page documents with no text are skipped, and Calibre's
`_split_NNN` continuation files are joined to the chapter they continue. Calibre's
`calibre:series`/`calibre:series_index` give the series."""

from __future__ import annotations

import posixpath
import re
import urllib.parse

from django.utils.translation import gettext as _
from lxml import etree

from .ao3 import is_ao3_document, parse_ao3
from .base import ImportRejected, ParsedChapter, ParsedWork
from .htmlutil import (
    chapter_title_from_heading,
    drop_unwanted,
    inner_html,
    language_code,
    parse_date,
    text_of,
)
from .office import apply_css_emphasis, css_class_styles
from .safety import SafeZip, check_size, parse_html_document, parse_xml

NS = {
    "c": "urn:oasis:names:tc:opendocument:xmlns:container",
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
    "ncx": "http://www.daisy.org/z3986/2005/ncx/",
}
_HTML_TYPES = {"application/xhtml+xml", "text/html", "application/x-dtbook+xml"}
_SPLIT_RE = re.compile(r"_split_\d+\.x?html?$", re.I)
_SKIP_IDS = {"title_page", "toc_page", "log_page", "titlepage", "cover", "nav", "toc"}
_FFF_FIELDS = {
    "category": "fandoms",
    "fandom": "fandoms",
    "fandoms": "fandoms",
    "characters": "characters",
    "character": "characters",
    "relationships": "relationships",
    "pairing": "relationships",
    "pairings": "relationships",
    "ships": "relationships",
    "genre": "freeforms",
    "genres": "freeforms",
    "tags": "freeforms",
    "freeform": "freeforms",
    "freeformtags": "freeforms",
    "warnings": "warnings",
    "warning": "warnings",
    "rating": "rating",
    "language": "language",
    "summary": "summary",
    "published": "published",
    "updated": "updated",
    "status": "status",
    "chapters": "chapters",
    "series": "series",
    "author": "author",
    "collections": "collections",
}


def _href_path(base: str, href: str) -> str:
    href = urllib.parse.unquote(href.split("#", 1)[0])
    return posixpath.normpath(posixpath.join(posixpath.dirname(base), href)).lstrip("/")


def _dc(meta: etree._Element | None, name: str) -> list[etree._Element]:
    if meta is None:
        return []
    return meta.findall(f"dc:{name}", NS)


def _meta_named(meta: etree._Element | None, name: str) -> str:
    if meta is None:
        return ""
    for el in meta.findall("opf:meta", NS):
        if el.get("name") == name:
            return el.get("content") or ""
        if el.get("property") == name:
            return (el.text or "").strip()
    return ""


def _read_opf(z: SafeZip) -> tuple[str, etree._Element]:
    container = parse_xml(z.read("META-INF/container.xml"), "META-INF/container.xml")
    rootfile = container.find(".//c:rootfile", NS)
    if rootfile is None or not rootfile.get("full-path"):
        raise ImportRejected(_("the EPUB's container.xml names no package file."))
    opf_path = rootfile.get("full-path")
    return opf_path, parse_xml(z.read(opf_path), opf_path)


def _toc_titles(
    z: SafeZip, opf_path: str, manifest: dict[str, tuple[str, str, str]], spine_toc: str | None
) -> dict[str, str]:
    """Document path -> title from the NCX (EPUB 2) when there is one."""
    titles: dict[str, str] = {}
    ncx_id = spine_toc or next(
        (i for i, (_, mt, _) in manifest.items() if mt == "application/x-dtbncx+xml"), None
    )
    if ncx_id and ncx_id in manifest:
        path = manifest[ncx_id][0]
        if z.has(path):
            try:
                ncx = parse_xml(z.read(path), path)
            except ImportRejected:
                return titles
            for point in ncx.iter(f"{{{NS['ncx']}}}navPoint"):
                label = point.find("ncx:navLabel/ncx:text", NS)
                content = point.find("ncx:content", NS)
                if label is not None and content is not None and content.get("src"):
                    titles.setdefault(
                        _href_path(path, content.get("src")), " ".join((label.text or "").split())
                    )
    return titles


def _nav_titles(z: SafeZip, manifest: dict[str, tuple[str, str, str]]) -> dict[str, str]:
    """Document path -> title from the EPUB 3 navigation document's table of contents
    (`<nav epub:type="toc">`, EPUB 3.3 section 7). Empty when there is none."""
    nav_path = next((p for p, _, props in manifest.values() if "nav" in props.split()), None)
    if not nav_path or not z.has(nav_path):
        return {}
    try:
        root = parse_html_document(z.read(nav_path))
    except ImportRejected:
        return {}
    navs = list(root.iter("nav"))
    toc_nav = next(
        (n for n in navs if any(k.endswith("type") and v == "toc" for k, v in n.items())),
        navs[0] if navs else None,
    )
    titles: dict[str, str] = {}
    for a in toc_nav.iter("a") if toc_nav is not None else ():
        href = (a.get("href") or "").strip()
        label = text_of(a)
        if href and label and not href.startswith(("http:", "https:", "mailto:")):
            titles.setdefault(_href_path(nav_path, href), label)
    return titles


def parse_epub(data: bytes) -> ParsedWork:
    """Read an EPUB 2 or 3 file (see the module doc). Raises ImportRejected on files that
    are not EPUBs, are corrupt, or are hostile (entities, zip bombs, oversize)."""
    check_size(len(data), "The EPUB")
    z = SafeZip(data, "EPUB")
    opf_path, opf = _read_opf(z)
    meta = opf.find("opf:metadata", NS)
    manifest: dict[str, tuple[str, str, str]] = {}
    for item in opf.findall("opf:manifest/opf:item", NS):
        if item.get("id") and item.get("href"):
            manifest[item.get("id")] = (
                _href_path(opf_path, item.get("href")),
                item.get("media-type") or "",
                item.get("properties") or "",
            )
    spine_el = opf.find("opf:spine", NS)
    if spine_el is None:
        raise ImportRejected(_("the EPUB has no spine (reading order)."))
    spine = []
    for ref in spine_el.findall("opf:itemref", NS):
        entry = manifest.get(ref.get("idref") or "")
        if entry and entry[1] in _HTML_TYPES and "nav" not in entry[2].split():
            spine.append((ref.get("idref"), entry[0]))
    if not spine:
        raise ImportRejected(_("the EPUB's spine lists no readable documents."))
    # Calibre (and RTF or Word documents converted by it) keeps emphasis in classes of
    # its linked style sheets; read them as office HTML is read (office.py).
    styles = css_class_styles(
        "\n".join(
            z.read(path).decode("utf-8", "replace")
            for path, mime, _ in manifest.values()
            if mime == "text/css" and z.has(path)
        )
    )
    docs = []
    for idref, path in spine:
        if not z.has(path):
            continue
        root = parse_html_document(z.read(path))
        body = root.find(".//body")
        if styles and body is not None:
            apply_css_emphasis(body, styles)
        _drop_calibre_classes(root)
        docs.append((idref, path, root))

    roots = [root for _, _, root in docs]
    if is_ao3_document(roots):
        parsed = parse_ao3(roots, source_format="ao3-epub")
    else:
        contributors = " ".join(text_of(el) for el in _dc(meta, "contributor"))
        fff = (
            "fanficfare" in contributors.lower()
            or "fanficdownloader" in contributors.lower()
            or any(idref == "title_page" for idref, _ in spine)
        )
        parsed = ParsedWork(source_format="fanficfare-epub" if fff else "epub")
        # The navigation document is EPUB 3's table of contents; the NCX is kept only for
        # old readers and tools such as Sigil leave it stale, so the nav wins.
        toc = _toc_titles(z, opf_path, manifest, spine_el.get("toc"))
        toc.update(_nav_titles(z, manifest))
        if fff:
            _read_fanficfare_title_page(docs, parsed)
        _read_chapters(docs, parsed, toc, skip_front=fff)
    _read_dublin_core(meta, parsed)
    if not parsed.chapters:
        raise ImportRejected(_("the EPUB has no chapter with readable text."))
    return parsed


def _drop_calibre_classes(root: etree._Element) -> None:
    """Calibre's generated class names ("calibre7") carry no meaning outside its CSS."""
    for el in root.iter():
        if not isinstance(el.tag, str) or not el.get("class"):
            continue
        kept = [c for c in el.get("class").split() if not _CALIBRE_CLASS_RE.match(c)]
        if kept:
            el.set("class", " ".join(kept))
        else:
            del el.attrib["class"]


_CALIBRE_CLASS_RE = re.compile(r"^calibre\d*$")


def _read_dublin_core(meta: etree._Element | None, parsed: ParsedWork) -> None:
    """Fill what the reader did not find in the text from the OPF metadata."""
    if not parsed.title:
        parsed.title = next((text_of(t) for t in _dc(meta, "title") if text_of(t)), "")
    if not parsed.creators:
        names = []
        for el in _dc(meta, "creator"):
            role = el.get(f"{{{NS['opf']}}}role") or "aut"
            if role == "aut" and text_of(el):
                names.append(text_of(el))
        parsed.creators = names
    if not parsed.language:
        parsed.language = language_code(next((text_of(t) for t in _dc(meta, "language")), ""))
    if not parsed.summary:
        desc = next((t.text or "" for t in _dc(meta, "description")), "")
        parsed.summary = desc.strip()
    if parsed.published_at is None:
        for el in _dc(meta, "date"):
            event = el.get(f"{{{NS['opf']}}}event") or ""
            if event in {"", "publication", "original-publication"}:
                parsed.published_at = parse_date(el.text or "")
                if parsed.published_at:
                    break
    if not parsed.source_url:
        for el in _dc(meta, "source") + _dc(meta, "identifier"):
            value = (el.text or "").strip()
            if value.startswith(("http://", "https://")):
                parsed.source_url = value
                break
    if parsed.source_format not in {"ao3-epub"}:
        if not parsed.series:
            series = _meta_named(meta, "calibre:series")
            if series:
                index = _meta_named(meta, "calibre:series_index")
                try:
                    position = int(float(index)) if index else None
                except ValueError:
                    position = None
                parsed.series.append((series, position))
        if not parsed.freeforms and parsed.source_format == "epub":
            parsed.freeforms = [text_of(s) for s in _dc(meta, "subject") if text_of(s)]


def _first_heading(body: etree._Element) -> etree._Element | None:
    for el in body.iter("h1", "h2", "h3"):
        return el
    return None


def _read_chapters(docs, parsed: ParsedWork, toc: dict[str, str], *, skip_front: bool) -> None:
    for idref, path, root in docs:
        if skip_front and (idref or "").lower() in _SKIP_IDS:
            continue
        body = root.find(".//body")
        if body is None:
            continue
        drop_unwanted(body)
        heading = _first_heading(body)
        heading_text = text_of(heading) if heading is not None else ""
        if heading is not None and heading_text:
            heading.drop_tree()
        html = inner_html(body)
        has_text = bool(text_of(body))
        if not has_text:
            continue  # cover, title page image, blank separator
        title = chapter_title_from_heading(heading_text) if heading_text else ""
        if not heading_text and parsed.chapters and _SPLIT_RE.search(path) and path not in toc:
            parsed.chapters[-1].body_html += "\n" + html
            continue
        if not title:
            title = chapter_title_from_heading(toc.get(path, ""))
            html = _drop_repeated_title(body, title) if title else html
        parsed.chapters.append(ParsedChapter(body_html=html, title=title))


def _drop_repeated_title(body: etree._Element, title: str) -> str:
    """The body without a first paragraph that only repeats the chapter title (Sigil's
    `<p class="chaptitle">`), as HTML."""
    first = next((el for el in body if isinstance(el.tag, str)), None)
    if first is not None and first.tag in {"p", "div"} and text_of(first) == title:
        first.drop_tree()
    return inner_html(body)


def _fff_value(label: etree._Element, *, whole: bool) -> tuple[str, str]:
    """The value after a FanFicFare label, as (text, HTML). In the table layout
    (`titlepage_use_table`) it is the next cell of the label's row; in the default layout
    the text after the label up to the next <br> (with ``whole``, up to the next label:
    a summary's own line breaks and paragraphs are part of it)."""
    cell = next((a for a in label.iterancestors() if a.tag in {"td", "th"}), None)
    if cell is not None:
        value_cell = cell.getnext()
        while value_cell is not None and value_cell.tag not in {"td", "th"}:
            value_cell = value_cell.getnext()
        if value_cell is None:
            return "", ""
        return " ".join(text_of(value_cell).split()), inner_html(value_cell)
    texts, pieces = [label.tail or ""], [_escape_text(label.tail or "")]
    nxt = label.getnext()
    while nxt is not None:
        is_label = nxt.tag in {"b", "strong"} and text_of(nxt).rstrip().endswith(":")
        if (
            is_label
            or (nxt.tag in {"b", "strong"} and not whole)
            or (nxt.tag == "br" and not whole)
        ):
            break
        texts.append(text_of(nxt) + (nxt.tail or ""))
        pieces.append(etree.tostring(nxt, encoding="unicode", method="html", with_tail=True))
        nxt = nxt.getnext()
    html = "".join(pieces).strip()
    html = re.sub(r"(?:<br\s*/?>\s*)+$", "", html)  # the line's own closing <br>
    return " ".join("".join(texts).split()), html


def _escape_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _read_fanficfare_title_page(docs, parsed: ParsedWork) -> None:
    """FanFicFare's title page, in its default layout ("<b>Label:</b> value<br/>" lines)
    or its table layout (a row per label), and the story link."""
    page = next((root for idref, _, root in docs if (idref or "").lower() == "title_page"), None)
    if page is None:
        return
    body = page.find(".//body")
    if body is None:
        return
    for a in body.iter("a"):
        href = a.get("href") or ""
        if href.startswith("http") and not parsed.source_url:
            parsed.source_url = href
            parsed.title = text_of(a)
            break
    for b in body.iter("b", "strong"):
        label = text_of(b).rstrip(":").strip().lower().replace(" ", "")
        field = _FFF_FIELDS.get(label)
        if field is None:
            continue
        value, value_html = _fff_value(b, whole=field == "summary")
        if not value:
            continue
        if field == "rating":
            parsed.rating = value
        elif field == "language":
            parsed.language = language_code(value)
        elif field == "summary":
            parsed.summary = value_html  # its paragraphs kept
        elif field == "published":
            parsed.published_at = parse_date(value)
        elif field == "updated":
            parsed.revised_at = parse_date(value)
        elif field == "status":
            parsed.in_progress = value.lower().startswith("in")
        elif field == "author":
            parsed.creators = [v.strip() for v in value.split(",") if v.strip()]
        elif field == "series":
            m = re.match(r"(.*?)\s*\[(\d+)\]\s*$", value)
            parsed.series.append((m.group(1), int(m.group(2))) if m else (value, None))
        elif field == "chapters":
            continue
        else:
            getattr(parsed, field).extend(v.strip() for v in value.split(",") if v.strip())
