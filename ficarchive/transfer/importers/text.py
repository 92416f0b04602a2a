"""Plain text and Markdown.

Plain text, chapter rule: a line is a chapter heading when it stands alone (a blank line
or the start of the text before it, a blank line or the end after it, and at most 100
characters) and reads "Chapter 1", "Chapter One", "CHAPTER I.", "Chap. 12", "Part 2",
optionally followed by ":", ".", "-" or "—" and a title ("Chapter One: The Storm"), or is
"Prologue" or "Epilogue" (optionally with ": Title"). Numbers are digits, Roman numerals or
English number words up to ninety-nine. Text before the first heading becomes its own
chapter when it has more than 50 words. With fewer than two headings the text is one
chapter.

Title rule (plain text and Markdown): the first line is the title when it is short (at
most 100 characters and 15 words), has no terminal punctuation (. , ; : ! ?), is not a
chapter heading, and is followed by a blank line, optionally after a "by NAME" line (which
names the creator; a blank line may stand between the title and that line when one
follows it too). Else the title comes from the file name.

Markdown may start with front matter between `---` lines (`title:`, `author:`, `rating:`,
`fandom:`, `tags:` comma-separated, `summary:`, `language:`); it is rendered by
works.text.markdown_to_html (the posting form's renderer too), then split like HTML."""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from ficarchive.works.text import (
    count_words_in_text,
    decode_text,
    markdown_to_html,
    plain_text_to_html,
)

from .base import ImportRejected, ParsedChapter, ParsedWork
from .html import split_chapters
from .htmlutil import CHAPTER_HEADING_RE, is_chapter_heading, title_from_filename
from .safety import parse_html_document

TERMINAL_PUNCTUATION = ".,;:!?"
PREFACE_MIN_WORDS = 50


def _heading_title(line: str) -> str:
    m = CHAPTER_HEADING_RE.match(line)
    title = (m.group("title") or "").strip() if m else ""
    word = line.strip().split()[0].lower() if line.strip() else ""
    if word in {"prologue", "epilogue"} and not title:
        return line.strip().rstrip(".:").title()
    return title


def is_title_line(line: str) -> bool:
    line = line.strip()
    return (
        bool(line)
        and len(line) <= 100
        and len(line.split()) <= 15
        and line[-1] not in TERMINAL_PUNCTUATION
        and not is_chapter_heading(line)
    )


def take_title(lines: list[str]) -> tuple[str, str, list[str]]:
    """(title, creator, remaining lines) by the title rule in the module doc."""
    i = 0
    while i < len(lines) and not lines[i].strip():
        i += 1
    if i >= len(lines) or not is_title_line(lines[i]):
        return "", "", lines
    title = lines[i].strip().strip("#").strip()
    j = i + 1
    creator = ""
    k = j
    while k < len(lines) and not lines[k].strip() and k - j < 2:
        k += 1  # "by NAME" may follow the title directly or after a blank line
    if k < len(lines) and re.match(r"^\s*by\s+\S", lines[k], re.I) and len(lines[k].strip()) <= 80:
        if k == j or k + 1 >= len(lines) or not lines[k + 1].strip():
            creator = re.sub(r"^\s*by\s+", "", lines[k].strip(), flags=re.I)
            j = k + 1
    if j < len(lines) and lines[j].strip():
        return "", "", lines
    return title, creator, lines[j:]


def split_text_chapters(lines: list[str]) -> list[tuple[str, list[str]]]:
    """[(chapter title, lines)] by the chapter rule in the module doc."""
    heads = []
    for i, line in enumerate(lines):
        if not is_chapter_heading(line):
            continue
        before_ok = i == 0 or not lines[i - 1].strip()
        after_ok = i + 1 >= len(lines) or not lines[i + 1].strip()
        if before_ok and after_ok:
            heads.append(i)
    if len(heads) < 2:
        return [("", lines)]
    out: list[tuple[str, list[str]]] = []
    preface = lines[: heads[0]]
    if count_words_in_text(" ".join(preface)) > PREFACE_MIN_WORDS:
        out.append(("", preface))
    for n, start in enumerate(heads):
        end = heads[n + 1] if n + 1 < len(heads) else len(lines)
        out.append((_heading_title(lines[start]), lines[start + 1 : end]))
    return out


def parse_text(data: bytes | str, *, filename: str = "") -> ParsedWork:
    """A plain-text file (any common encoding) split into chapters by headings."""
    text = data if isinstance(data, str) else decode_text(data)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    lines = text.split("\n")
    title, creator, lines = take_title(lines)
    parsed = ParsedWork(title=title or title_from_filename(filename), source_format="text")
    if creator:
        parsed.creators = [creator]
    for chapter_title, chapter_lines in split_text_chapters(lines):
        body = "\n".join(chapter_lines).strip("\n")
        if body.strip():
            parsed.chapters.append(
                ParsedChapter(body_html=plain_text_to_html(body), title=chapter_title)
            )
    if not parsed.chapters:
        raise ImportRejected(_("the file has no text."))
    return parsed


_FRONT_MATTER_RE = re.compile(r"\A---\s*\n(.*?)\n---\s*\n", re.S)


def _front_matter(text: str, parsed: ParsedWork) -> str:
    m = _FRONT_MATTER_RE.match(text)
    if not m:
        return text
    for line in m.group(1).split("\n"):
        if ":" not in line:
            continue
        key, value = (s.strip() for s in line.split(":", 1))
        value = value.strip("\"'")
        key = key.lower()
        if not value:
            continue
        if key == "title":
            parsed.title = value
        elif key in {"author", "authors", "creator", "creators"}:
            parsed.creators = [v.strip() for v in value.split(",") if v.strip()]
        elif key == "rating":
            parsed.rating = value
        elif key in {"fandom", "fandoms"}:
            parsed.fandoms = [v.strip() for v in value.split(",") if v.strip()]
        elif key in {"tags", "freeforms", "additional tags"}:
            parsed.freeforms = [v.strip() for v in value.split(",") if v.strip()]
        elif key in {"characters"}:
            parsed.characters = [v.strip() for v in value.split(",") if v.strip()]
        elif key in {"relationships"}:
            parsed.relationships = [v.strip() for v in value.split(",") if v.strip()]
        elif key == "summary":
            parsed.summary = value
        elif key == "language":
            parsed.language = value
    return text[m.end() :]


def parse_markdown(data: bytes | str, *, filename: str = "") -> ParsedWork:
    """A Markdown file: front matter, a leading "# Title", chapters at headings."""
    text = data if isinstance(data, str) else decode_text(data)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    parsed = ParsedWork(source_format="markdown")
    text = _front_matter(text, parsed)
    if not parsed.title:
        lines = text.split("\n")
        first = next((ln for ln in lines if ln.strip()), "")
        if not first.startswith("#"):
            title, creator, rest = take_title(lines)
            if title:
                parsed.title = title
                parsed.creators = parsed.creators or ([creator] if creator else [])
                text = "\n".join(rest)
    rendered = markdown_to_html(text)
    root = parse_html_document(f"<html><body>{rendered}</body></html>")
    body = root.find(".//body")
    found_title, parsed.chapters = split_chapters(body, work_title=parsed.title)
    if found_title and not parsed.title:
        parsed.title = found_title
    elif found_title and found_title != parsed.title:
        pass
    parsed.title = parsed.title or title_from_filename(filename)
    if not parsed.chapters:
        raise ImportRejected(_("the file has no text."))
    return parsed
