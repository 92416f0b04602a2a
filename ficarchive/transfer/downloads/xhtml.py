"""From the rendered HTML to strict XHTML 5, as EPUB readers and epubcheck want it.

Stored work text keeps AO3's allowlist, which includes elements and attributes HTML5
made obsolete (center, big, tt, align=...). Here they become classes the download
stylesheet styles, remote images become links (EPUB forbids remote resources), and
in-document links that point nowhere lose their href."""

from __future__ import annotations

import re
from urllib.parse import quote, urlsplit

import lxml.html
from lxml import etree

XHTML_NS = "http://www.w3.org/1999/xhtml"

_RENAME = {
    "center": ("div", "center"),
    "big": ("span", "big"),
    "tt": ("span", "tt"),
    "strike": ("s", ""),
    "acronym": ("abbr", ""),
}
# Attributes kept per element (plus the global ones); anything else is dropped.
_GLOBAL = {"class", "title", "dir", "lang", "id"}
_KEEP = {
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "ol": {"start", "type", "reversed"},
    "li": {"value"},
    "td": {"colspan", "rowspan", "headers"},
    "th": {"colspan", "rowspan", "headers", "scope", "abbr"},
    "col": {"span"},
    "colgroup": {"span"},
    "details": {"open"},
    "meta": {"charset"},
}
_INTEGER_ATTRS = {"start", "value", "colspan", "rowspan", "span", "width", "height"}
_ID_RE = re.compile(r"[^A-Za-z0-9_.\-]")


def _url_safe(url: str) -> str:
    return quote(url.strip(), safe=":/?#[]@!$&'()*+,;=%~")


def _clean_element(el: etree._Element, ids: set[str]) -> None:
    tag = el.tag
    if tag in _RENAME:
        new_tag, cls = _RENAME[tag]
        el.tag = new_tag
        if cls:
            el.set("class", (el.get("class", "") + " " + cls).strip())
        tag = new_tag
    align = el.attrib.pop("align", None)
    if align and align.strip().lower() in {"center", "right", "left", "justify"}:
        el.set("class", (el.get("class", "") + " align-" + align.strip().lower()).strip())
    if tag == "a" and el.get("name") and not el.get("id"):
        el.set("id", el.get("name"))
    allowed = _GLOBAL | _KEEP.get(tag, set())
    for name in list(el.attrib):
        value = el.attrib[name]
        if name not in allowed:
            del el.attrib[name]
        elif name in _INTEGER_ATTRS and not value.strip().isdigit():
            del el.attrib[name]
        elif name == "dir" and value not in {"ltr", "rtl", "auto"}:
            del el.attrib[name]
        elif name == "type" and value not in {"1", "a", "A", "i", "I"}:
            del el.attrib[name]
        elif name == "scope" and value not in {"row", "col", "rowgroup", "colgroup"}:
            del el.attrib[name]
        elif name == "lang":
            el.set("{http://www.w3.org/XML/1998/namespace}lang", value)
    if "id" in el.attrib:
        ident = _ID_RE.sub("-", el.get("id", ""))
        if not ident or not ident[0].isalpha():
            ident = "x" + ident
        while ident in ids:
            ident += "-1"
        ids.add(ident)
        el.set("id", ident)
    if tag == "a" and "href" in el.attrib:
        el.set("href", _url_safe(el.get("href", "")))
    if tag == "img":
        src = el.get("src", "")
        alt = el.get("alt") or "image"
        # Remote resources are not allowed in EPUB: the picture becomes a link to it.
        link = etree.Element("a")
        link.text = f"[{alt}]"
        if urlsplit(src).scheme in {"http", "https"}:
            link.set("href", _url_safe(src))
        link.tail = el.tail
        el.getparent().replace(el, link)


def html_document_to_tree(html: str) -> etree._Element:
    """Parse the rendered download and clean it for XHTML (obsolete markup, ids, images)."""
    parser = lxml.html.HTMLParser(encoding="utf-8", huge_tree=True, remove_comments=True)
    root = lxml.html.document_fromstring(html.encode("utf-8"), parser=parser)
    for el in root.iter("script", "style"):
        el.getparent().remove(el)
    ids: set[str] = set()
    for el in list(root.iter()):
        if isinstance(el.tag, str):
            _clean_element(el, ids)
    return root


def element_to_xhtml(el: etree._Element) -> str:
    """One element as XHTML markup (no namespace: the enclosing document declares it)."""
    return etree.tostring(el, method="xml", encoding="unicode", with_tail=False)


def xhtml_page(
    *,
    title: str,
    language: str,
    body: str,
    css_href: str = "style.css",
    epub_ns: bool = False,
    direction: str = "ltr",
) -> str:
    """A complete XHTML 5 document around body markup; ``direction`` ("ltr" or "rtl") is
    the base direction of the work's language, which ``lang`` alone does not set."""
    from django.utils.html import escape

    epub = ' xmlns:epub="http://www.idpf.org/2007/ops"' if epub_ns else ""
    lang = escape(language)
    dir_ = "rtl" if direction == "rtl" else "ltr"
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html>\n'
        f'<html xmlns="{XHTML_NS}"{epub} lang="{lang}" xml:lang="{lang}" dir="{dir_}">\n'
        f'<head>\n<meta charset="utf-8"/>\n<title>{escape(title)}</title>\n'
        f'<link rel="stylesheet" type="text/css" href="{css_href}"/>\n</head>\n'
        f"<body>\n{body}\n</body>\n</html>\n"
    )
