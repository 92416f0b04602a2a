"""What the translation checks share: the apps and templates, a reader of GNU gettext .po
files, and the scan of a template for text that is not marked for translation (issue 18).

The .po reader is a few lines of the PO format (GNU gettext manual, "The Format of PO
Files"): comments and flags, ``msgctxt``, ``msgid``, ``msgid_plural``, ``msgstr`` and
``msgstr[N]``, strings continued over lines, obsolete ``#~`` entries."""

from __future__ import annotations

import ast
import dataclasses
import re
from html.parser import HTMLParser
from pathlib import Path

from django.template.base import Lexer, TokenType

REPO = Path(__file__).resolve().parents[3]
PACKAGE = REPO / "ficarchive"
LANGUAGES = ("fr", "ar")

# Apps whose interface other helpers are marking and translating on their own branches this
# round (issue 18); the lead empties these two lists when the branches are merged.
I18N_PENDING_APPS: set[str] = set()
I18N_PENDING_TEMPLATES: set[str] = set()

# Attributes a reader sees or hears; `value` only on input buttons (see _visible_value).
TEXT_ATTRIBUTES = {"title", "placeholder", "aria-label", "alt"}
# Text that is the same in every language: symbols, and the names of formats and
# standards (proper names, as AO3 leaves them untranslated). Kept short on purpose.
ALLOWED_TEXT = {"OPDS", "EPUB", "AZW3", "MOBI", "PDF", "HTML", "JSON", "API", "Atom", "URL"}
# Elements whose text is code, not language: scripts, styles, and code shown as it is typed.
RAW_TAGS = {"script", "style", "code", "kbd", "samp"}
# One placeholder for anything the template engine fills in or that is translated: not a
# letter, so it is never reported itself.
HOLE = "\ue000"


def template_files() -> list[Path]:
    """Every template of every app (HTML pages and the plain-text mails)."""
    return sorted(
        p for p in PACKAGE.glob("*/templates/**/*") if p.is_file() and p.suffix in {".html", ".txt"}
    )


def pending(path: Path) -> bool:
    """Whether ``path`` is in an app or template another branch is still marking."""
    rel = path.relative_to(PACKAGE)
    return rel.parts[0] in I18N_PENDING_APPS or rel.as_posix() in I18N_PENDING_TEMPLATES


def _opening(contents: str) -> str:
    return contents.split(None, 1)[0] if contents else ""


def flatten(source: str) -> str:
    """The template's literal text, with each variable, tag, comment and whole
    ``{% blocktranslate %}``/``{% comment %}`` block replaced by ``HOLE``."""
    out: list[str] = []
    closing: str | None = None
    for token in Lexer(source).tokenize():
        if closing is not None:
            if token.token_type == TokenType.BLOCK and _opening(token.contents) == closing:
                closing = None
            continue
        if token.token_type == TokenType.TEXT:
            out.append(token.contents)
            continue
        if token.token_type == TokenType.BLOCK:
            word = _opening(token.contents)
            if word in {"blocktranslate", "blocktrans", "comment", "verbatim"}:
                closing = "end" + word
        out.append(HOLE)
    return "".join(out)


def wordy(text: str) -> bool:
    """Whether ``text`` holds a word a reader would need translated."""
    text = " ".join(text.replace(HOLE, " ").split())
    if not any(ch.isalpha() for ch in text):
        return False
    words = {w.strip(".,:;()[]·|/") for w in text.split()}
    return not words <= ALLOWED_TEXT | {""}


def _visible_value(tag: str, attrs: dict[str, str | None]) -> bool:
    """An input button shows its value as its label (a <button>'s value is only sent)."""
    kind = (attrs.get("type") or "").lower()
    return tag == "input" and kind in {"submit", "button", "reset"}


class _TextFinder(HTMLParser):
    """Collects the text nodes and reader-facing attributes that still hold words."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._raw = 0  # inside <script>, <style> or code (<code>, <kbd>, <samp>)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for name, value in attrs:
            shown = name in TEXT_ATTRIBUTES or (name == "value" and _visible_value(tag, values))
            if shown and value and wordy(value):
                self.found.append(f'{name}="{value.strip()}"')
        if tag in RAW_TAGS:
            self._raw += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in RAW_TAGS and self._raw:
            self._raw -= 1

    def handle_data(self, data: str) -> None:
        if not self._raw and wordy(data):
            self.found.append(" ".join(data.replace(HOLE, "…").split()))


def unmarked_text(path: Path) -> list[str]:
    """The pieces of text in the template at ``path`` a reader would see untranslated."""
    flat = flatten(path.read_text())
    if path.suffix == ".txt":
        return [
            " ".join(line.replace(HOLE, "…").split()) for line in flat.splitlines() if wordy(line)
        ]
    finder = _TextFinder()
    finder.feed(flat)
    finder.close()
    return finder.found


# --- .po files -------------------------------------------------------------------------
@dataclasses.dataclass
class Entry:
    """One message of a .po file: its context, id, plural id, translations and flags."""

    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: dict[int, str] = dataclasses.field(default_factory=dict)
    flags: set[str] = dataclasses.field(default_factory=set)
    obsolete: bool = False

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.msgctxt, self.msgid)

    @property
    def untranslated(self) -> bool:
        return not self.msgstr or any(not s for s in self.msgstr.values())


_KEYWORD = re.compile(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(\".*\")\s*$")


def read_po(path: Path) -> list[Entry]:
    """The entries of the .po file at ``path``, the header (msgid "") included."""
    entries: list[Entry] = []
    entry = Entry()
    field: tuple[str, int | None] | None = None
    started = False

    def finish() -> None:
        nonlocal entry, started, field
        if started:
            entries.append(entry)
        entry, started, field = Entry(), False, None

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        obsolete = line.startswith("#~")
        if obsolete:
            line = line[2:].strip()
        if not line:
            finish()
            continue
        if line.startswith("#"):
            if started and field is not None and field[0] == "msgstr":
                finish()
            if line.startswith("#,"):
                entry.flags |= {f.strip() for f in line[2:].split(",")}
            continue
        match = _KEYWORD.match(line)
        if match:
            name, index, literal = match.groups()
            if name in {"msgctxt", "msgid"} and started and field and field[0] == "msgstr":
                finish()
            started = True
            entry.obsolete = entry.obsolete or obsolete
            text = ast.literal_eval(literal)
            if name.startswith("msgstr"):
                field = ("msgstr", int(index) if index is not None else 0)
                entry.msgstr[field[1]] = text
            else:
                field = (name, None)
                setattr(entry, name, text)
        elif line.startswith('"') and field is not None:
            text = ast.literal_eval(line)
            if field[0] == "msgstr":
                entry.msgstr[field[1] or 0] += text
            else:
                setattr(entry, field[0], (getattr(entry, field[0]) or "") + text)
    finish()
    return entries


def catalogues() -> list[Path]:
    """Every committed .po file of every app."""
    return sorted(PACKAGE.glob("*/locale/*/LC_MESSAGES/*.po"))


def locale_apps() -> list[Path]:
    """The app folders that keep catalogues (a ``locale`` folder)."""
    return sorted(p.parent for p in PACKAGE.glob("*/locale") if p.is_dir())
