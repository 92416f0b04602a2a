"""AO3's own downloads (HTML, and EPUB as Calibre converts that same HTML).

AO3's download HTML has three parts: `#preface` (a `dl.tags` of dt/dd pairs: rating,
warnings, categories, fandoms, relationships, characters, additional tags, language,
series, collections, stats; then the h1 title, `.byline`, "Summary" and "Notes" each
followed by a blockquote), `#chapters` (per chapter a `.meta` with `h2.heading`
"Chapter N: Title", optional "Chapter Summary"/"Chapter Notes" blockquotes, then the
`.userstuff` body, then "Chapter End Notes"), and `#afterword` ("End Notes"). Calibre's
EPUB keeps the ids, headings and texts but renames classes and splits the file, so this
reader goes by structure and labels, not by class names, over a list of documents."""

from __future__ import annotations

import re
from collections.abc import Sequence

from lxml import etree

from .base import ParsedChapter, ParsedWork
from .htmlutil import (
    chapter_title_from_heading,
    classes,
    inner_html,
    language_code,
    parse_date,
    text_of,
)

_WORK_URL_RE = re.compile(r"https?://(?:www\.)?archiveofourown\.org/works/(\d+)")
_FIELD_KEYS = {
    "rating": "rating",
    "ratings": "rating",
    "archive warning": "warnings",
    "archive warnings": "warnings",
    "warning": "warnings",
    "warnings": "warnings",
    "category": "categories",
    "categories": "categories",
    "fandom": "fandoms",
    "fandoms": "fandoms",
    "relationship": "relationships",
    "relationships": "relationships",
    "character": "characters",
    "characters": "characters",
    "additional tags": "freeforms",
    "additional tag": "freeforms",
    "freeform": "freeforms",
    "language": "language",
    "series": "series",
    "collections": "collections",
    "collection": "collections",
    "stats": "stats",
}
_LABELS = {
    "summary": ("work", "summary"),
    "notes": ("work", "notes"),
    "end notes": ("work", "end_notes"),
    "chapter summary": ("chapter", "summary"),
    "chapter notes": ("chapter", "notes"),
    "chapter end notes": ("chapter", "end_notes"),
}


def is_ao3_document(roots: Sequence[etree._Element]) -> bool:
    """AO3 downloads name the archive in the preface and carry the tags list."""
    for root in roots:
        preface = root.find(".//*[@id='preface']")
        if preface is not None and "archiveofourown.org" in etree.tostring(
            preface, encoding="unicode"
        ):
            return True
        for dt_el in root.iter("dt"):
            if text_of(dt_el).rstrip(":").lower() in {"archive warning", "archive warnings"}:
                return True
    return False


def _section(el: etree._Element) -> str:
    node = el
    while node is not None:
        node_id = node.get("id") if isinstance(node.tag, str) else None
        if node_id in {"preface", "chapters", "afterword"}:
            return node_id
        node = node.getparent()
    return ""


def _dd_names(dd: etree._Element) -> list[str]:
    links = [text_of(a) for a in dd.iter("a")]
    if links:
        return [n for n in links if n]
    return [n.strip() for n in text_of(dd).split(",") if n.strip()]


def _read_tags(roots: Sequence[etree._Element], parsed: ParsedWork) -> None:
    for root in roots:
        for dl in root.iter("dl"):
            pairs = []
            for dt_el in dl.iter("dt"):
                dd = dt_el.getnext()
                while dd is not None and dd.tag != "dd":
                    dd = dd.getnext() if dd.tag != "dt" else None
                if dd is not None:
                    pairs.append((text_of(dt_el).rstrip(":").strip().lower(), dd))
            if not any(key in _FIELD_KEYS for key, _ in pairs):
                continue
            for key, dd in pairs:
                field = _FIELD_KEYS.get(key)
                if field is None:
                    continue
                if field == "rating":
                    names = _dd_names(dd)
                    parsed.rating = names[0] if names else ""
                elif field == "language":
                    parsed.language = language_code(text_of(dd))
                elif field == "series":
                    _read_series(dd, parsed)
                elif field == "stats":
                    _read_stats(text_of(dd), parsed)
                else:
                    getattr(parsed, field).extend(_dd_names(dd))
            return


def _read_series(dd: etree._Element, parsed: ParsedWork) -> None:
    for a in dd.iter("a"):
        before = ""
        prev = a.getprevious()
        before = (prev.tail if prev is not None else dd.text) or ""
        m = re.search(r"Part\s+(\d+)\s+of\s*$", before)
        parsed.series.append((text_of(a), int(m.group(1)) if m else None))


def _read_stats(stats: str, parsed: ParsedWork) -> None:
    published = re.search(r"Published:\s*(\S+)", stats)
    updated = re.search(r"(?:Updated|Completed):\s*(\S+)", stats)
    chapters = re.search(r"Chapters:\s*(\d+)\s*/\s*(\d+|\?)", stats)
    if published:
        parsed.published_at = parse_date(published.group(1))
    if updated:
        parsed.revised_at = parse_date(updated.group(1))
    if chapters:
        if chapters.group(2) == "?":
            parsed.in_progress = True
            parsed.expected_chapters = None
        else:
            parsed.expected_chapters = max(int(chapters.group(2)), int(chapters.group(1)))


def _is_body(el: etree._Element) -> bool:
    if el.tag != "div" or el.get("id") == "chapters":
        return False
    if not any(c.startswith("userstuff") for c in classes(el)):
        return False
    parent = el.getparent()
    while parent is not None:
        if parent.tag == "blockquote" or (
            parent.tag == "div"
            and parent.get("id") != "chapters"
            and any(c.startswith("userstuff") for c in classes(parent))
        ):
            return False
        parent = parent.getparent()
    return True


def _following_blockquote(p: etree._Element) -> etree._Element | None:
    nxt = p.getnext()
    return nxt if nxt is not None and nxt.tag == "blockquote" else None


def parse_ao3(roots: Sequence[etree._Element], *, source_format: str) -> ParsedWork:
    """Read an AO3 download given as one or more parsed documents, in reading order."""
    parsed = ParsedWork(source_format=source_format)
    _read_tags(roots, parsed)
    current: ParsedChapter | None = None
    for root in roots:
        for el in root.iter():
            if not isinstance(el.tag, str):
                continue
            section = _section(el)
            if el.tag == "h1" and not parsed.title and section != "chapters":
                parsed.title = text_of(el)
            elif el.tag == "div" and "byline" in classes(el) and not parsed.creators:
                names = [text_of(a) for a in el.iter("a")]
                if not names:
                    names = [re.sub(r"^by\s+", "", text_of(el))]
                parsed.creators = [n for n in names if n]
            elif el.tag == "a" and not parsed.source_url:
                m = _WORK_URL_RE.match(el.get("href") or "")
                if m and section == "preface":
                    parsed.source_url = f"https://archiveofourown.org/works/{m.group(1)}"
            elif el.tag == "h2" and section == "chapters" and "heading" in classes(el):
                current = ParsedChapter(body_html="", title=chapter_title_from_heading(text_of(el)))
                parsed.chapters.append(current)
            elif el.tag == "p" and text_of(el).lower() in _LABELS:
                level, attr = _LABELS[text_of(el).lower()]
                quote = _following_blockquote(el)
                if quote is None:
                    continue
                content = inner_html(quote)
                if level == "work" and section == "chapters":
                    level = "chapter"
                if level == "chapter":
                    if current is None:
                        current = ParsedChapter(body_html="")
                        parsed.chapters.append(current)
                    setattr(current, attr, content)
                else:
                    setattr(parsed, attr, content)
            elif section == "chapters" and _is_body(el):
                if current is None or current.body_html:
                    current = ParsedChapter(body_html="")
                    parsed.chapters.append(current)
                current.body_html = inner_html(el)
    parsed.chapters = [c for c in parsed.chapters if c.body_html.strip()]
    if not parsed.source_url:
        for root in roots:
            m = _WORK_URL_RE.search(etree.tostring(root, encoding="unicode")[:20000])
            if m:
                parsed.source_url = f"https://archiveofourown.org/works/{m.group(1)}"
                break
    if parsed.expected_chapters is not None and parsed.expected_chapters < len(parsed.chapters):
        parsed.expected_chapters = len(parsed.chapters)
    return parsed
