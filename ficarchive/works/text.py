"""How a story's text becomes the HTML readers see, and how its words are counted.

Plain text: paragraphs are separated by blank lines; where the text has no blank lines at
all, every line is a paragraph. Inside a paragraph, single line breaks are kept as <br>,
unless the whole text is hard-wrapped prose (as Project Gutenberg files are), when wrapped
lines are joined. A line that is only a scene-break ornament (`*`, `***`, `* * *`, `~`,
`~~~`, `-`, `---`, `#`, `###`, `o0o`, `xXx`, `=====`, `* ~ *`, ...) becomes <hr>; a lone
`...` is a pause in dialogue and stays text. `*word*` and `_word_` become emphasis. Every
paragraph of the input is in the output (a property test checks it).

"Detect automatically" takes the input for HTML when it holds a real tag of an HTML
element (`<p>`, `<em>`, `</div>`...); `a < b`, `I <3 you` and `<notatag>` stay plain text.
HTML goes through the nh3 allowlist in core/html.py; HTML with inline markup only gets
its paragraphs from its line breaks.

Word count: the words a reader sees, markup ignored; a word is a run of letters or digits,
and apostrophes or hyphens inside a word do not split it ("don't", "well-known",
"mother-in-law's" are one word each); dashes with spaces, em dashes, dots and other
punctuation separate words ("e.g." is two, "3.14" is two); each CJK character counts as a
word, as on AO3.

Uploads are decoded by decode_upload: UTF-8 (BOM or not), UTF-16 with a BOM, else
Windows-1252.
"""

from __future__ import annotations

import re
import statistics

import lxml.html
from lxml import etree

from ficarchive.core.html import ALLOWED_TAGS, escape, has_block_markup, html_to_text, sanitize_html

_ORNAMENT_CHARS = set("*~-_=+#.•·◇◆❖§°—–/\\|<>^:")
_OXO_RE = re.compile(r"(?i)^(?:[o0x]{3,})$")


def is_scene_break(line: str) -> bool:
    """A line that is only an ornament separating scenes."""
    compact = re.sub(r"\s+", "", line)
    if len(compact) < 3:
        return compact in {"*", "**", "~", "~~", "#", "##", "-", "--", "§", "+", "=", "==", "•", "◇", "◆", "❖"}
    if all(ch in _ORNAMENT_CHARS for ch in compact) and len(set(compact)) <= 3:
        # A lone "..." (or "…") is a pause in dialogue, not a scene break.
        return not (set(compact) == {"."} and len(compact) <= 3 and compact == line.strip())
    if set(compact) == {"…"}:
        return False
    # o0o, oOo, OoOoO, xXx: mixed case or digits, so "ooo" in dialogue is not taken.
    return bool(_OXO_RE.match(compact)) and len(set(compact)) >= 2


_EMPHASIS_RE = re.compile(r"(?<![\w*])([*_])(?=\S)(.+?)(?<=\S)\1(?![\w*])")


def _inline(text: str) -> str:
    escaped = escape(text).replace("&quot;", '"').replace("&#x27;", "'")
    return _EMPHASIS_RE.sub(r"<em>\2</em>", escaped)


def _is_hard_wrapped(blocks: list[list[str]]) -> bool:
    lengths = [len(line) for block in blocks if len(block) > 1 for line in block[:-1]]
    if len(lengths) < 8:
        return False
    median = statistics.median(lengths)
    near = sum(1 for n in lengths if median - 20 <= n <= median + 8)
    return 50 <= median <= 80 and near / len(lengths) >= 0.8


def plain_text_to_html(text: str) -> str:
    """Turn plain text into paragraphs, line breaks, rules and emphasis (see module doc)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n")
    lines = [line.rstrip() for line in text.split("\n")]
    has_blank_lines = any(not line.strip() for line in lines[1:-1]) if len(lines) > 2 else False

    blocks: list[list[str] | None] = []  # None marks a scene break
    current: list[str] = []

    def flush() -> None:
        nonlocal current
        if current:
            blocks.append(current)
            current = []

    for line in lines:
        if not line.strip():
            flush()
        elif is_scene_break(line):
            flush()
            blocks.append(None)
        elif has_blank_lines:
            current.append(line.strip())
        else:
            blocks.append([line.strip()])
    flush()

    wrapped = _is_hard_wrapped([b for b in blocks if b is not None])
    out: list[str] = []
    for block in blocks:
        if block is None:
            out.append("<hr>")
        elif wrapped:
            out.append("<p>" + _inline(" ".join(block)) + "</p>")
        else:
            out.append("<p>" + "<br>".join(_inline(line) for line in block) + "</p>")
    return "\n".join(out)


def _replace_scene_break_paragraphs(fragment: str) -> str:
    """In author HTML, a paragraph holding only an ornament becomes <hr> as well."""
    if not fragment:
        return fragment
    root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    changed = False
    for p in list(root.iter("p", "div", "center")):
        if len(p) and any(child.tag not in {"b", "strong", "i", "em", "span", "center"} for child in p.iter() if child is not p):
            continue
        if is_scene_break(p.text_content()):
            hr = etree.Element("hr")
            hr.tail = p.tail
            p.getparent().replace(p, hr)
            changed = True
    if not changed:
        return fragment
    inner = (root.text or "") and escape(root.text or "")
    return inner + "".join(lxml.html.tostring(child, encoding="unicode") for child in root)


# A real start or end tag: "<b>", "</p>", "<a href=...>", never "< b >" or "a <3".
_TAG_RE = re.compile(r"</?([a-zA-Z][a-zA-Z0-9]*)(?:\s[^<>]*)?/?>")
_HTML_NAMES = ALLOWED_TAGS | {
    "script", "style", "iframe", "html", "body", "head", "svg", "math", "object", "embed", "form",
    "input", "meta", "link", "base", "font", "frame", "frameset", "textarea", "button", "select",
}


def looks_like_html(text: str) -> bool:
    """True when the text holds real HTML tags (else "auto" treats it as plain text)."""
    return any(m.group(1).lower() in _HTML_NAMES for m in _TAG_RE.finditer(text))


def decode_upload(data: bytes) -> str:
    """Text of an uploaded file: UTF-8 (with or without BOM), UTF-16 with a BOM, else
    Windows-1252, the encoding older archives and word processors wrote."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def body_to_html(text: str, *, text_format: str = "auto") -> str:
    """The stored HTML for a chapter body, summary or notes, from author input.

    text_format is "html", "text" or "auto" (HTML when the input carries block markup)."""
    if text_format not in {"html", "text", "auto"}:
        raise ValueError(f"unknown text format {text_format!r}")
    is_html = text_format == "html" or (text_format == "auto" and looks_like_html(text))
    if is_html:
        cleaned = sanitize_html(text)
        if cleaned and not has_block_markup(cleaned):
            # HTML with inline markup only: its line breaks carry the paragraphs.
            cleaned = sanitize_html(plain_text_to_html_keep_inline(cleaned))
        return _replace_scene_break_paragraphs(cleaned)
    return sanitize_html(plain_text_to_html(text))


def plain_text_to_html_keep_inline(cleaned_html: str) -> str:
    """Paragraphs from line breaks in HTML that has inline tags but no blocks."""
    paragraphs = re.split(r"\n\s*\n", cleaned_html.strip())
    if len(paragraphs) == 1:
        paragraphs = cleaned_html.strip().split("\n")
    return "\n".join(
        "<p>" + p.strip().replace("\n", "<br>") + "</p>" if not is_scene_break(p) else "<hr>"
        for p in paragraphs
        if p.strip()
    )


_WORD_RE = re.compile(
    r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]"
    r"|[^\W_\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]+"
    r"(?:['’\-‐][^\W_\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]+)*"
)


def count_words_in_text(text: str) -> int:
    return len(_WORD_RE.findall(text))


def count_words(fragment: str) -> int:
    """Words in stored HTML, by the rule in the module docstring."""
    return count_words_in_text(html_to_text(fragment))
