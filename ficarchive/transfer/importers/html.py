"""Generic HTML (word processors' pages included, see office.py), and the chapter split shared by HTML, Markdown and EPUB documents.

Chapters split on headings: the highest heading level (h1, h2, h3) that occurs at least
twice in the body marks chapters, its text the chapter title ("Chapter 2: The Ball" keeps
"The Ball"; "Chapter 2" alone gives an untitled chapter). A single h1 at the top is the
work's title. Text before the first chapter heading is kept as its own first chapter when
it has more than 50 words (a preface), else dropped (a title page)."""

from __future__ import annotations

import re

from django.utils.translation import gettext as _
from lxml import etree
from lxml import html as lxml_html

from ficarchive.works.text import count_words_in_text, decode_text

from .ao3 import is_ao3_document, parse_ao3
from .base import ImportRejected, ParsedChapter, ParsedWork
from .htmlutil import (
    chapter_title_from_heading,
    drop_unwanted,
    inner_html,
    language_code,
    text_of,
    title_from_filename,
)
from .office import read_office_html
from .safety import parse_html_document

_UNTITLED_RE = re.compile(r"^\s*(?:untitled(?: document)?|document\d*|)\s*$", re.I)
_MARK = "\u2063FICARCHIVE-SPLIT\u2063"
PREFACE_MIN_WORDS = 50


def _words(fragment: str) -> int:
    if not fragment.strip():
        return 0
    try:
        root = lxml_html.fragment_fromstring(fragment, create_parent="div")
    except etree.ParserError:
        return 0
    text = root.text_content()
    # AO3's rule, so a CJK preface counts; text of emoji or dots alone is still text.
    return count_words_in_text(text) or int(bool(text.strip()))


def split_chapters(
    body: etree._Element, *, work_title: str = ""
) -> tuple[str, list[ParsedChapter]]:
    """Split a body element into chapters at headings (see module doc). Returns the title
    found (a lone leading h1) and the chapters. The element is modified."""
    drop_unwanted(body)
    headings = {level: [h for h in body.iter(level)] for level in ("h1", "h2", "h3")}
    title = ""
    h1s = headings["h1"]
    if len(h1s) == 1:
        title = text_of(h1s[0])
        h1s[0].drop_tree()
        headings["h1"] = []
    level = next((lv for lv in ("h1", "h2", "h3") if len(headings[lv]) >= 2), None)
    if level is None:
        html = inner_html(body)
        return title, [ParsedChapter(body_html=html)] if _words(html) or "<img" in html else []
    titles = []
    for h in headings[level]:
        titles.append(chapter_title_from_heading(text_of(h)))
        marker = etree.Element("span")
        marker.text = _MARK
        marker.tail = h.tail
        h.getparent().replace(h, marker)
    parts = inner_html(body).split(_MARK)
    chapters: list[ParsedChapter] = []
    preface = parts[0]
    # The marker sits inside a <span>: cut the stray tags around it.
    pieces = [p.removeprefix("</span>") for p in parts[1:]]
    preface = preface.removesuffix("<span>")
    pieces = [p.removesuffix("<span>") for p in pieces]
    if _words(preface) > PREFACE_MIN_WORDS:
        chapters.append(ParsedChapter(body_html=preface, title=""))
    for chapter_title, piece in zip(titles, pieces, strict=False):
        chapters.append(
            ParsedChapter(
                body_html=piece, title=chapter_title if chapter_title != work_title else ""
            )
        )
    return title, [c for c in chapters if _words(c.body_html) or "<img" in c.body_html]


def parse_html(data: bytes | str, *, filename: str = "") -> ParsedWork:
    """An HTML file: AO3's download format when it is one, else any HTML page."""
    text = data if isinstance(data, str) else decode_text(data)
    root = parse_html_document(text)
    if is_ao3_document([root]):
        return parse_ao3([root], source_format="ao3-html")
    parsed = ParsedWork(source_format="html")
    head_title = root.find(".//title")
    parsed.title = text_of(head_title)
    html_el = root if root.tag == "html" else root.find(".//html")
    if html_el is not None and html_el.get("lang"):
        parsed.language = language_code(html_el.get("lang"))
    for meta in root.iter("meta"):
        name = (meta.get("name") or "").lower()
        content = (meta.get("content") or "").strip()
        if name in {"author", "dc.creator"} and content:
            parsed.creators.append(content)
        elif name in {"description", "dc.description"} and content:
            parsed.summary = content
        elif name == "keywords" and content:
            parsed.freeforms.extend(k.strip() for k in content.split(",") if k.strip())
    body = root.find(".//body")
    if body is None:
        raise ImportRejected(_("the HTML has no body."))
    paragraph_title = read_office_html(root, body)
    if _UNTITLED_RE.match(parsed.title):
        parsed.title = ""  # Google Docs and Word name unnamed documents so
    found_title, parsed.chapters = split_chapters(body, work_title=parsed.title)
    parsed.title = paragraph_title or found_title or parsed.title or title_from_filename(filename)
    if not parsed.chapters:
        raise ImportRejected(_("the HTML has no readable text."))
    return parsed
