"""Web pages saved by word processors: Google Docs ("Download → Web page (.html)"),
Microsoft Word ("Save as Web Page") and LibreOffice ("Save as HTML").

These keep emphasis in CSS rather than in <em> and <strong>: Google Docs puts it in
classes (`.c2{font-style:italic}` in the page's <style>), Word and LibreOffice often in
`style=` attributes. The sanitizer keeps no classes or styles, so emphasis is turned into
elements first: italic -> <em>, bold (weight 600 and up, or `bold`) -> <strong>,
`line-through` -> <s>, `underline` -> <u> (links excepted: they are underlined anyway).
The title is the document's Title paragraph (Google Docs `p.title`, Word `p.MsoTitle`);
Google's redirect links (`https://www.google.com/url?q=REAL&...`) are unwrapped.

CSS is read by tinycss2; only simple class selectors (`.c2`, `p.c2`, lists of them) are
taken, which is what these tools write."""

from __future__ import annotations

import re
import urllib.parse

import tinycss2
from lxml import etree

from .htmlutil import classes, is_chapter_heading, text_of

Style = frozenset[str]  # of "em", "strong", "s", "u"

_SIMPLE_CLASS = re.compile(r"^\s*(?:[a-zA-Z][a-zA-Z0-9]*)?\.(-?[_a-zA-Z][\w-]*)\s*$")
_TITLE_CLASSES = {"title", "MsoTitle"}
_WRAP_ORDER = ("strong", "em", "s", "u")


def _style_of(declarations: str | list) -> set[str]:
    """The emphasis a CSS declaration list asks for."""
    found: set[str] = set()
    items = tinycss2.parse_declaration_list(declarations, skip_comments=True, skip_whitespace=True)
    for decl in items:
        if decl.type != "declaration":
            continue
        value = tinycss2.serialize(decl.value).strip().lower()
        name = decl.lower_name
        if name == "font-style" and value in {"italic", "oblique"}:
            found.add("em")
        elif name == "font-weight" and (
            value in {"bold", "bolder"} or (value.isdigit() and int(value) >= 600)
        ):
            found.add("strong")
        elif name in {"text-decoration", "text-decoration-line"}:
            if "line-through" in value:
                found.add("s")
            if "underline" in value:
                found.add("u")
    return found


def class_styles(root: etree._Element) -> dict[str, Style]:
    """Class name -> emphasis, from every <style> element of the document."""
    return css_class_styles("\n".join("".join(el.itertext()) for el in root.iter("style")))


def css_class_styles(css: str) -> dict[str, Style]:
    """Class name -> emphasis, from a style sheet's text (an EPUB's linked CSS, say).
    A class whose rules say `font-style: normal` after italic is still italic: the
    tools this reads write one rule per class."""
    styles: dict[str, set[str]] = {}
    for rule in tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True):
        if rule.type != "qualified-rule":
            continue
        emphasis = _style_of(rule.content)
        if not emphasis:
            continue
        for selector in tinycss2.serialize(rule.prelude).split(","):
            m = _SIMPLE_CLASS.match(selector)
            if m:
                styles.setdefault(m.group(1), set()).update(emphasis)
    return {name: frozenset(v) for name, v in styles.items()}


def promote_chapter_paragraphs(body: etree._Element) -> None:
    """Word processors' chapter headings are often bold paragraphs, not headings: when
    at least two paragraphs read as chapter headings by the plain-text rule
    ("Chapter One: Fog", "Chapter 2", "Prologue"), they become <h2> so the chapter split
    finds them. A document with real h1-h3 headings is left alone."""
    if next(body.iter("h1", "h2", "h3"), None) is not None:
        return
    found = [p for p in body.iter("p") if is_chapter_heading(text_of(p)) and len(text_of(p)) <= 100]
    if len(found) >= 2:
        for p in found:
            p.tag = "h2"


def apply_css_emphasis(body: etree._Element, styles: dict[str, Style]) -> None:
    """Wrap the content of every element whose classes or style attribute ask for
    emphasis in the matching elements (see the module doc). Headings are left alone:
    their weight is the heading's."""
    for el in list(body.iter()):
        if not isinstance(el.tag, str) or el.tag in {"h1", "h2", "h3", "h4", "h5", "h6"}:
            continue
        wanted: set[str] = set()
        for name in classes(el):
            wanted |= styles.get(name, frozenset())
        if el.get("style"):
            wanted |= _style_of(el.get("style") or "")
        if el.tag == "a" or el.find(".//a") is not None:
            wanted.discard("u")
        wanted -= {el.tag, "strong" if el.tag == "b" else "", "em" if el.tag == "i" else ""}
        if wanted:
            _wrap_content(el, [t for t in _WRAP_ORDER if t in wanted])


def _wrap_content(el: etree._Element, tags: list[str]) -> None:
    outer = inner = etree.Element(tags[0])
    for tag in tags[1:]:
        inner = etree.SubElement(inner, tag)
    inner.text, el.text = el.text, None
    for child in list(el):
        inner.append(child)
    el.append(outer)


def unwrap_redirects(body: etree._Element) -> None:
    """Google's click-tracking links point at their real address again."""
    for a in body.iter("a"):
        href = a.get("href") or ""
        parts = urllib.parse.urlsplit(href)
        host = parts.hostname or ""
        if parts.path == "/url" and (host == "google.com" or host.endswith(".google.com")):
            target = urllib.parse.parse_qs(parts.query).get("q", [""])[0]
            if target.startswith(("http://", "https://", "mailto:")):
                a.set("href", target)


def take_title_paragraph(body: etree._Element) -> str:
    """The text of the document's Title paragraph, removed from the body; "" if none."""
    for el in body.iter("p", "div"):
        if classes(el) & _TITLE_CLASSES:
            title = text_of(el)
            el.drop_tree()
            return title
    return ""


def read_office_html(root: etree._Element, body: etree._Element) -> str:
    """Everything above on one parsed page; returns the Title paragraph's text ("" if
    none). Harmless on pages from other tools (no classes, no redirects)."""
    apply_css_emphasis(body, class_styles(root))
    unwrap_redirects(body)
    title = take_title_paragraph(body)
    promote_chapter_paragraphs(body)
    return title
