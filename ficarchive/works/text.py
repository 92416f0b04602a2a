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
punctuation separate words ("e.g." is two, "3.14" is two). As on AO3, each Han,
Hiragana, Katakana and Thai character counts as a word, and in other scripts a word is a
run of letters *and combining marks* (Devanagari vowel signs, decomposed accents); Hangul
is spaced like Latin.

Control characters (form feed, vertical tab, Ctrl-Z, stray C0 bytes) become the break
they meant or are dropped (clean_control_chars), before any parser sees them.

Markdown (`.md` uploads, the "Markdown" format, Markdown imports) is rendered by
markdown_to_html: CommonMark with strikethrough, raw HTML passed on to the sanitizer.

This module is the one text pipeline: the posting form, the API and every importer decode
bytes with decode_text, tell HTML from text with looks_like_html, render with
plain_text_to_html or markdown_to_html, store through body_to_html, and read text back out
with html_to_text (word counts, limits, search snippets, suggestions, .txt downloads).
"""

from __future__ import annotations

import codecs
import re
import statistics

import ftfy
import lxml.html
import regex
from charset_normalizer import from_bytes
from lxml import etree
from markdown_it import MarkdownIt

from ficarchive.core.html import ALLOWED_TAGS, escape, has_block_markup, sanitize_html

TEXT_FORMATS = ("auto", "html", "text", "markdown")

_ORNAMENT_CHARS = set("*~-_=+#.•·◇◆❖§°—–/\\|<>^:")
_OXO_RE = re.compile(r"(?i)^(?:[o0x]{3,})$")


def is_scene_break(line: str) -> bool:
    """A line that is only an ornament separating scenes."""
    compact = re.sub(r"\s+", "", line)
    if len(compact) < 3:
        return compact in {
            "*",
            "**",
            "~",
            "~~",
            "#",
            "##",
            "-",
            "--",
            "§",
            "+",
            "=",
            "==",
            "•",
            "◇",
            "◆",
            "❖",
        }
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
        if len(p) and any(
            child.tag not in {"b", "strong", "i", "em", "span", "center"}
            for child in p.iter()
            if child is not p
        ):
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
    "script",
    "style",
    "iframe",
    "html",
    "body",
    "head",
    "svg",
    "math",
    "object",
    "embed",
    "form",
    "input",
    "meta",
    "link",
    "base",
    "font",
    "frame",
    "frameset",
    "textarea",
    "button",
    "select",
}


def looks_like_html(text: str) -> bool:
    """True when the text holds real HTML tags (else "auto" treats it as plain text)."""
    return any(m.group(1).lower() in _HTML_NAMES for m in _TAG_RE.finditer(text))


_BOMS = [
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
]


def decode_text(data: bytes) -> str:
    """Text from bytes in whatever encoding, or mix of encodings, they came in.

    A BOM wins; then UTF-16 without BOM (zero bytes every other byte). Otherwise each line
    that is valid UTF-8 is read as UTF-8 and only the other lines are decoded as the
    legacy encoding charset-normalizer guesses for them (Windows-1252 when it cannot
    say), so one Windows-1252 line no longer turns a UTF-8 file into mojibake. ftfy then
    repairs mojibake left by earlier tools ("CafÃ©" -> "Café") without touching quotes,
    HTML entities or line breaks, and clean_control_chars turns control characters into
    the breaks they meant. Never raises."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return repair_text(data.decode(codec, errors="replace"))
    sample = data[:4096]
    if len(sample) >= 4:
        even_zeros = sample[0::2].count(0)
        odd_zeros = sample[1::2].count(0)
        half = len(sample) // 2
        if odd_zeros > half * 0.3 and even_zeros < half * 0.05:
            return repair_text(data.decode("utf-16-le", errors="replace"))
        if even_zeros > half * 0.3 and odd_zeros < half * 0.05:
            return repair_text(data.decode("utf-16-be", errors="replace"))
    try:
        return repair_text(data.decode("utf-8"))
    except UnicodeDecodeError:
        pass
    lines = data.splitlines(keepends=True)
    bad = [i for i, line in enumerate(lines) if not _is_utf8(line)]
    codec = _legacy_codec(b"".join(lines[i] for i in bad))
    out = [line.decode("utf-8") if _is_utf8(line) else "" for line in lines]
    for i in bad:
        text = lines[i].decode(codec, errors="replace")
        # A line may hold both: UTF-8 bytes read as Windows-1252 are mojibake ftfy undoes.
        out[i] = ftfy.fix_encoding(text) if codec in _LATIN_CODECS else text
    return repair_text("".join(out))


_LATIN_CODECS = {"sloppy-windows-1252", "cp1252", "latin_1", "iso8859_15", "iso8859_1"}


def _is_utf8(line: bytes) -> bool:
    try:
        line.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _legacy_codec(sample: bytes) -> str:
    """The encoding of the lines that are not UTF-8: charset-normalizer's guess when it
    makes one Python knows, else ftfy's "sloppy" Windows-1252 (which decodes every byte).
    Where Windows-1252 fits as well as the best guess (Western text often fits Central
    European code pages equally), Windows-1252 wins: old fic archives and word processors
    mostly wrote it."""
    if len(sample) < 32:
        return "sloppy-windows-1252"
    matches = from_bytes(sample[:200_000])
    best = matches.best()
    if best is None:
        return "sloppy-windows-1252"
    if any(
        m.encoding == "cp1252" and m.chaos <= best.chaos and m.coherence >= best.coherence
        for m in matches
    ):
        return "sloppy-windows-1252"
    if best.encoding not in {"utf_8", "ascii"}:
        try:
            codecs.lookup(best.encoding)
            return best.encoding
        except LookupError:
            pass
    return "sloppy-windows-1252"


# ftfy's encoding repairs only: quotes, HTML entities, line breaks, widths and
# ligatures are the author's; control characters are clean_control_chars's job.
_FTFY_CONFIG = ftfy.TextFixerConfig(
    unescape_html=False,
    fix_latin_ligatures=False,
    fix_character_width=False,
    uncurl_quotes=False,
    fix_line_breaks=False,
    remove_control_chars=False,
    normalization=None,
    explain=False,
)


# What mojibake always holds: a UTF-8 lead byte read as Latin-1 or Windows-1252 ("Ã",
# "Â", "â", "Ð"...) followed by a continuation byte read so (U+0080-U+00BF or the
# Windows-1252 letters and punctuation in 0x80-0x9F), or a C1 control. ftfy is slow
# (seconds per megabyte), so text without this pattern skips it.
_MOJIBAKE_HINT = re.compile(
    "[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e"
    "\u0192\u02c6\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030"
    "\u2039\u203a\u20ac\u2122]|[\x80-\x9f]"
)


def repair_text(text: str) -> str:
    """Decoded text made fit to store: mojibake repaired by ftfy (encoding fixes only, see
    _FTFY_CONFIG) where _MOJIBAKE_HINT finds any, then clean_control_chars."""
    if _MOJIBAKE_HINT.search(text):
        text = ftfy.fix_text(text, _FTFY_CONFIG)
    return clean_control_chars(text)


# What control characters meant in the files that carry them: a form feed is a page
# break and a vertical tab a line break (Word writes it for Shift+Enter); a next-line
# control is a line end; DOS's end-of-file Ctrl-Z, the other C0 and C1 controls, DEL,
# noncharacters and lone surrogates are dropped. Tab, LF and CR stay.
_CONTROL_MAP = {0x0C: "\n\n", 0x0B: "\n", 0x85: "\n"}
_CONTROL_RE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufdd0-\ufdef\ufffe\uffff\ud800-\udfff]"
)


def clean_control_chars(text: str) -> str:
    """Control characters turned into the break they meant or dropped (see _CONTROL_MAP);
    U+FFFD replacement characters left by a lossy decoder are dropped too. Idempotent."""
    if not _CONTROL_RE.search(text) and "\ufffd" not in text:
        return text
    text = _CONTROL_RE.sub(lambda m: _CONTROL_MAP.get(ord(m.group()), ""), text)
    return text.replace("\ufffd", "")


_MARKDOWN = MarkdownIt("commonmark", {"html": True, "typographer": False}).enable("strikethrough")


def markdown_to_html(text: str) -> str:
    """Markdown (CommonMark plus ~~strikethrough~~) as HTML, not yet sanitized: raw HTML in
    the source is passed on, for body_to_html's sanitizer to judge."""
    return _MARKDOWN.render(clean_control_chars(text.replace("\r\n", "\n").replace("\r", "\n")))


_BODY_RE = re.compile(r"<\s*body\b", re.I)


def _document_body(text: str) -> str:
    """A whole HTML document's body content; anything else unchanged. The <title> and
    <head> of an uploaded page are not story text (the importer reads them as metadata)."""
    if not _BODY_RE.search(text):
        return text
    root = lxml.html.document_fromstring(text.encode("utf-8"), parser=_HTML_PARSER)
    body = root.find(".//body")
    if body is None:
        return text
    parts = [escape(body.text or "")]
    parts.extend(lxml.html.tostring(child, encoding="unicode", with_tail=True) for child in body)
    return "".join(parts).strip()


def body_to_html(text: str, *, text_format: str = "auto") -> str:
    """The stored HTML for a chapter body, summary or notes, from author input.

    text_format is one of TEXT_FORMATS: "html", "text", "markdown" or "auto" (HTML when
    the input holds real HTML tags, else plain text). Raises ValueError for any other."""
    if text_format not in TEXT_FORMATS:
        raise ValueError(f"unknown text format {text_format!r}")
    text = clean_control_chars(text)
    if text_format == "markdown":
        text, text_format = markdown_to_html(text), "html"
    is_html = text_format == "html" or (text_format == "auto" and looks_like_html(text))
    if is_html:
        cleaned = sanitize_html(_document_body(text))
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


# AO3's word counter (otwarchive's WordCounter): scripts written without spaces count
# each character as a word; elsewhere a word is a run of letters, combining marks
# (Devanagari vowel signs, decomposed accents) and digits, joined by inner apostrophes
# and hyphens. ZWJ and ZWNJ sit inside Persian and Indic words and do not split them.
_BY_CHARACTER = r"\p{Han}\p{Hiragana}\p{Katakana}\p{Thai}"
# Variation selectors are marks too, but belong to emoji (🏳️), not to words.
_WORD_CHAR = rf"[[\p{{L}}\p{{M}}\p{{N}}]--[{_BY_CHARACTER}\ufe00-\ufe0f\U000e0100-\U000e01ef]]"
_WORD_RE = regex.compile(
    rf"[{_BY_CHARACTER}]|{_WORD_CHAR}+(?:['’\-‐\u200c\u200d]{_WORD_CHAR}+)*", flags=regex.V1
)


def count_words_in_text(text: str) -> int:
    """Words in plain text (the output of html_to_text), by the rule in the module doc."""
    return len(_WORD_RE.findall(text))


def count_words(fragment: str) -> int:
    """Words in stored HTML, by the rule in the module docstring."""
    return count_words_in_text(html_to_text(fragment))


# --- HTML to text ----------------------------------------------------------------------
_HTML_PARSER = lxml.html.HTMLParser(
    no_network=True, remove_pis=True, huge_tree=True, encoding="utf-8"
)
# Elements whose start and end break a paragraph; (before, after) where it is not a blank line.
_BLOCK_TAGS = frozenset(
    "p div blockquote h1 h2 h3 h4 h5 h6 li ul ol dl dt dd pre table tr td th hr "
    "section article aside header footer figure figcaption center details summary".split()
)
_BLANK_LINE = ("\n\n", "\n\n")
_BREAKS = {"li": ("\n", ""), "dt": ("\n\n", " "), "dd": ("", "\n\n")}
_SKIP_TAGS = frozenset({"script", "style", "template", "noscript", "head", "title"})
_INLINE_SPACE = re.compile(r"[ \t\f\v\r\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_SPACE_AROUND_NEWLINE = re.compile(r" *\n *")
_MANY_NEWLINES = re.compile(r"\n{3,}")
_DOCUMENT_RE = re.compile(r"<\s*(?:html|body)\b", re.I)


def normalize_text(raw: str) -> str:
    """Runs of spaces (tabs, no-break spaces) become one space, spaces next to a newline
    go, three or more newlines become two, and the ends are stripped."""
    raw = _INLINE_SPACE.sub(" ", raw)
    raw = _SPACE_AROUND_NEWLINE.sub("\n", raw)
    return _MANY_NEWLINES.sub("\n\n", raw).strip()


def html_to_text(html: str, *, scene_break: str = "") -> str:
    """The text a reader sees in an HTML fragment or document, as one string.

    Script, style, head and title contents and comments are dropped; block elements
    (paragraphs, headings, list items, table rows...) are separated by a blank line (list
    items by a line break, a <dt> runs on into its <dd>); <br> is a line break; source line
    breaks are spaces, as a browser shows them; <hr> is a blank line, or scene_break on a
    line of its own when given. Spaces are normalized as normalize_text does, so applying
    the function to its own output changes nothing. Used for word counts, length limits,
    search text and snippets, suggestions and the .txt download. HTML that lxml cannot
    parse at all has its tags replaced by spaces."""
    if not html or not html.strip():
        return ""
    html = clean_control_chars(html)
    try:
        if _DOCUMENT_RE.search(html):
            root = lxml.html.document_fromstring(html.encode("utf-8"), parser=_HTML_PARSER)
        else:
            root = lxml.html.fragment_fromstring(html, create_parent="div")
    except (etree.ParserError, ValueError):
        return normalize_text(re.sub(r"<[^>]*>", " ", html))
    return element_text(root, scene_break=scene_break)


def element_text(root: etree._Element, *, scene_break: str = "") -> str:
    """html_to_text of an already parsed element (for callers that prune the tree first)."""
    parts: list[str] = []
    skipping = 0
    for event, el in etree.iterwalk(root, events=("start", "end", "comment", "pi")):
        tag = el.tag.rsplit("}", 1)[-1].lower() if isinstance(el.tag, str) else ""
        if not tag:  # comments and processing instructions: drop, keep their tail once
            if event in ("start", "comment", "pi") and el.tail and not skipping:
                parts.append(el.tail.replace("\n", " "))
            continue
        if event == "start":
            if tag in _SKIP_TAGS:
                skipping += 1
                continue
            if skipping:
                continue
            if tag == "hr" and scene_break:
                parts.append(f"\n\n{scene_break}\n\n")
            elif tag in _BLOCK_TAGS:
                parts.append(_BREAKS.get(tag, _BLANK_LINE)[0])
            elif tag == "br":
                parts.append("\n")
            if el.text:
                parts.append(el.text if tag == "pre" else el.text.replace("\n", " "))
        else:
            if tag in _SKIP_TAGS:
                skipping -= 1
            elif skipping:
                continue
            elif tag in _BLOCK_TAGS:
                parts.append(_BREAKS.get(tag, _BLANK_LINE)[1])
            if el.tail and not skipping and el is not root:
                parts.append(el.tail.replace("\n", " "))
    return normalize_text("".join(parts))
