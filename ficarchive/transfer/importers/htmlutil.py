"""Small helpers shared by the HTML, EPUB and AO3 readers."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from lxml import etree
from lxml import html as lxml_html

# Elements whose content is never story text.
DROP_TAGS = (
    "script",
    "style",
    "noscript",
    "template",
    "iframe",
    "object",
    "embed",
    "form",
    "svg",
    "math",
    "head",
    "title",
    "meta",
    "link",
)


def text_of(el: etree._Element | None) -> str:
    if el is None:
        return ""
    return " ".join(
        (el.text_content() if hasattr(el, "text_content") else "".join(el.itertext())).split()
    )


def inner_html(el: etree._Element | None) -> str:
    """The element's content as HTML (without the element itself)."""
    if el is None:
        return ""
    parts = [_escape(el.text or "")]
    for child in el:
        parts.append(lxml_html.tostring(child, encoding="unicode", with_tail=True))
    return "".join(parts).strip()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def drop_unwanted(root: etree._Element) -> None:
    for el in list(root.iter(*DROP_TAGS)):
        if el is not root and el.getparent() is not None:
            el.drop_tree() if hasattr(el, "drop_tree") else el.getparent().remove(el)


def classes(el: etree._Element) -> set[str]:
    return set((el.get("class") or "").split())


_DATE_RE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2}))?)?")


def parse_date(text: str) -> dt.datetime | None:
    """An aware datetime (UTC) from "2020-03-04" or an ISO timestamp; None when absent."""
    m = _DATE_RE.search(text or "")
    if not m:
        return None
    year, month, day = int(m.group(1)), int(m.group(2)), int(m.group(3))
    hour, minute, second = (int(m.group(i) or 0) for i in (4, 5, 6))
    try:
        return dt.datetime(year, month, day, hour, minute, second, tzinfo=dt.UTC)
    except ValueError:
        return None


_UNITS = (
    "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen"
    "|fifteen|sixteen|seventeen|eighteen|nineteen"
)
_TENS = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
# Digits, Roman numerals or English number words up to ninety-nine.
NUMBER = rf"(?:\d+|[ivxlcdm]+|(?:{_TENS})(?:[- ](?:{_UNITS}))?|{_UNITS})"
_CHAPTER_HEADING_RE = re.compile(
    rf"^\s*Chapter\s+{NUMBER}\s*(?:[:.\-–—]\s*(?P<title>.*))?$", re.I | re.S
)


# The plain-text chapter-heading rule (see importers/text.py), shared by word processors'
# documents whose headings are paragraphs.
CHAPTER_HEADING_RE = re.compile(
    rf"^\s*(?:(?:chapter|chap\.?|part)\s+{NUMBER}|prologue|epilogue)"
    rf"\s*(?:[.:\-–—]\s*(?P<title>.*?))?\s*[.:]?\s*$",
    re.I,
)


def is_chapter_heading(line: str) -> bool:
    """True for a line of at most 100 characters that reads as a chapter heading."""
    return len(line.strip()) <= 100 and bool(CHAPTER_HEADING_RE.match(line))


def title_from_filename(filename: str) -> str:
    """A title from a file name: "the_quiet-light.html" -> "the quiet light"."""
    stem = Path(filename or "Untitled").stem
    stem = re.sub(r"[_]+", " ", stem)
    stem = re.sub(r"(?<=[a-z])-(?=[a-z])", " ", stem) if " " not in stem else stem
    return " ".join(stem.split()) or "Untitled"


def chapter_title_from_heading(heading: str) -> str:
    """Headings say "Chapter 2: Title", "Chapter Two - Title" or "Chapter 2" (AO3,
    word processors); keep the title part ("" when there is none)."""
    heading = " ".join(heading.split())
    m = _CHAPTER_HEADING_RE.match(heading)
    if m:
        return (m.group("title") or "").strip()
    return heading


LANGUAGE_CODES = {
    "english": "en",
    "español": "es",
    "spanish": "es",
    "français": "fr",
    "french": "fr",
    "deutsch": "de",
    "german": "de",
    "italiano": "it",
    "italian": "it",
    "português": "pt",
    "português brasileiro": "pt-BR",
    "русский": "ru",
    "russian": "ru",
    "中文-普通话 國語": "zh",
    "中文": "zh",
    "日本語": "ja",
    "japanese": "ja",
    "한국어": "ko",
    "korean": "ko",
    "polski": "pl",
    "polish": "pl",
    "nederlands": "nl",
    "dutch": "nl",
    "svenska": "sv",
    "suomi": "fi",
    "norsk": "no",
    "dansk": "da",
    "čeština": "cs",
    "magyar": "hu",
    "türkçe": "tr",
    "tiếng việt": "vi",
    "bahasa indonesia": "id",
    "العربية": "ar",
    "עברית": "he",
    "ελληνικά": "el",
    "українська": "uk",
    "català": "ca",
    "latine": "la",
}


def language_code(name: str) -> str:
    """A language code from AO3's language name (or a code already)."""
    name = " ".join((name or "").split())
    if not name:
        return ""
    if (
        re.fullmatch(r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*", name)
        and len(name) <= 10
        and name.lower() not in LANGUAGE_CODES
    ):
        return name.replace("_", "-")
    return LANGUAGE_CODES.get(name.lower(), name[:20])
