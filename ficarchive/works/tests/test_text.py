"""Unit tests of the text pipeline: paragraphs, scene breaks, sanitizing, word counts."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ficarchive.works.text import (
    body_to_html,
    count_words,
    count_words_in_text,
    decode_text,
    html_to_text,
    is_scene_break,
    looks_like_html,
    plain_text_to_html,
)

SCENE_BREAKS = [
    "*",
    "**",
    "***",
    "* * *",
    "*  *  *",
    "~",
    "~~~",
    "~ ~ ~",
    "-",
    "---",
    "- - -",
    "----------",
    "#",
    "###",
    "# # #",
    "o0o",
    "oOo",
    "OoOoO",
    "xXx",
    "XxX",
    "0o0",
    "=====",
    "+",
    "* ~ *",
    "~*~*~",
    "•",
    "◇◇◇",
    "§",
    "___",
    "-~-~-",
    "  ***  ",
]
NOT_BREAKS = ["...", "…", "ooo", "xxx", "Oh.", "No!", "—Hi", "a", "* word *", "2-3", "I", "OK"]


@pytest.mark.parametrize("line", SCENE_BREAKS)
def test_scene_break_lines_are_recognised(line):
    """Every common ornament alone on a line is a scene break."""
    assert is_scene_break(line)


@pytest.mark.parametrize("line", NOT_BREAKS)
def test_prose_lines_are_not_scene_breaks(line):
    """Short lines of prose or dialogue are not taken for ornaments."""
    assert not is_scene_break(line)


@pytest.mark.parametrize("line", SCENE_BREAKS)
def test_scene_break_becomes_hr_between_paragraphs(line):
    """In plain text, an ornament line becomes <hr> and the paragraphs around it stay."""
    html = body_to_html(f"Before the break.\n\n{line}\n\nAfter the break.", text_format="text")
    assert html == "<p>Before the break.</p>\n<hr>\n<p>After the break.</p>"


def test_scene_break_without_blank_lines():
    """Single-line-break text still gets its ornament turned into a rule."""
    html = body_to_html("One.\n* * *\nTwo.", text_format="text")
    assert html == "<p>One.</p>\n<hr>\n<p>Two.</p>"


def test_scene_break_paragraph_in_html_becomes_hr():
    """An HTML paragraph holding only an ornament becomes <hr> too."""
    html = body_to_html("<p>One.</p><p><b>~ ~ ~</b></p><p>Two.</p>", text_format="html")
    assert html == "<p>One.</p><hr><p>Two.</p>"


def test_blank_lines_make_paragraphs_and_single_breaks_br():
    """Blank lines separate paragraphs; a single break inside one is a <br>."""
    html = plain_text_to_html("First line\nsame paragraph\n\nSecond paragraph")
    assert html == "<p>First line<br>same paragraph</p>\n<p>Second paragraph</p>"


def test_text_without_blank_lines_makes_every_line_a_paragraph():
    """With no blank line anywhere, each line is its own paragraph."""
    assert plain_text_to_html("a\nb\nc") == "<p>a</p>\n<p>b</p>\n<p>c</p>"


def test_windows_and_mac_line_endings():
    """CRLF and CR line endings give the same paragraphs as LF."""
    assert plain_text_to_html("a\rb") == "<p>a</p>\n<p>b</p>"
    assert plain_text_to_html("a\r\n\r\nb") == "<p>a</p>\n<p>b</p>"


def test_hard_wrapped_prose_is_joined():
    """Gutenberg-style hard-wrapped paragraphs are joined into flowing paragraphs."""
    line = "word " * 13
    para = "\n".join([line.strip()] * 5)
    html = plain_text_to_html(f"{para}\n\n{para}")
    assert html.count("<p>") == 2
    assert "<br>" not in html


def test_emphasis_markers():
    """*word* and _word_ become emphasis in plain text."""
    assert plain_text_to_html("a *very* _good_ day") == "<p>a <em>very</em> <em>good</em> day</p>"


def test_plain_text_angle_brackets_are_escaped_not_dropped():
    """Plain text with < and > keeps them as text."""
    html = body_to_html("I <3 you\n\na < b > c", text_format="auto")
    assert html_to_text(html) == "I <3 you\n\na < b > c"


def test_plain_text_format_escapes_tags():
    """With the plain-text format, tag-like text is shown, not interpreted."""
    html = body_to_html("<b>bold?</b>", text_format="text")
    assert "&lt;b&gt;" in html


def test_auto_detects_html():
    """Detect automatically takes real tags for HTML and everything else for text."""
    assert looks_like_html("<p>Hi</p>")
    assert looks_like_html("Hi <em>there</em>")
    assert not looks_like_html("a < b and c > d")
    assert not looks_like_html("I <3 you")
    assert not looks_like_html("<notatag>")


def test_inline_html_gets_paragraphs():
    """HTML with only inline markup gets paragraphs from its line breaks."""
    html = body_to_html("Hello <b>world</b>\n\nSecond", text_format="auto")
    assert html == "<p>Hello <b>world</b></p>\n<p>Second</p>"


def test_unknown_format_is_refused():
    """A text format other than html, text, markdown or auto is a programming error."""
    with pytest.raises(ValueError):
        body_to_html("x", text_format="rtf")


@pytest.mark.parametrize(
    "dirty",
    [
        "<script>alert(1)</script><p>kept</p>",
        '<p onclick="alert(1)">kept</p>',
        '<img src="x" onerror="alert(1)"><p>kept</p>',
        '<a href="javascript:alert(1)">kept</a>',
        '<a href="JaVaScRiPt:alert(1)">kept</a>',
        '<a href="&#106;avascript:alert(1)">kept</a>',
        '<p style="background:url(javascript:alert(1))">kept</p>',
        '<iframe src="https://evil.example"></iframe><p>kept</p>',
        '<svg onload="alert(1)"><p>kept</p></svg>',
        "<p>kept</p><style>body{display:none}</style>",
        '<form action="https://evil.example"><input name="x"></form><p>kept</p>',
        '<object data="x.swf"></object><p>kept</p>',
        "<p>kept</p><!-- <script>alert(1)</script> -->",
        '<a href="data:text/html,<script>alert(1)</script>">kept</a>',
        '<math><mi xlink:href="javascript:alert(1)">x</mi></math><p>kept</p>',
    ],
)
def test_sanitizer_removes_scripts_handlers_and_js_urls(dirty):
    """Scripts, event handlers, styles and javascript:/data: URLs never reach the page."""
    html = body_to_html(dirty, text_format="html")
    lowered = html.lower()
    assert "<script" not in lowered
    assert not re.search(r"\son\w+\s*=", lowered)
    assert "javascript:" not in lowered
    assert "style=" not in lowered
    assert "<iframe" not in lowered and "<form" not in lowered and "<object" not in lowered
    assert "data:" not in lowered
    assert "kept" in html


def test_sanitizer_keeps_ao3_formatting():
    """Allowed formatting (emphasis, lists, tables, links, alignment) survives."""
    src = (
        '<p align="center"><em>a</em> <strong>b</strong> <a href="https://example.org">c</a></p>'
        "<ul><li>d</li></ul><table><tr><td>e</td></tr></table><blockquote>f</blockquote>"
    )
    html = body_to_html(src, text_format="html")
    for piece in (
        'align="center"',
        "<em>a</em>",
        "<strong>b</strong>",
        'href="https://example.org"',
        "<li>d</li>",
        "<td>e</td>",
        "<blockquote>f</blockquote>",
    ):
        assert piece in html


# --- Word counting -------------------------------------------------------------------
@pytest.mark.parametrize(
    "text,expected",
    [
        ("one two three", 3),
        ("don't", 1),
        ("Don’t", 1),
        ("well-known", 1),
        ("mother-in-law's", 1),
        ("rock'n'roll", 1),
        ("'quoted'", 1),
        ("word - word", 2),
        ("word — word", 2),
        ("word—word", 2),
        ("42 and 3.14", 4),
        ("...", 0),
        ("* * *", 0),
        ("", 0),
        ("café naïve Ærø", 3),
        ("Привет, мир", 2),
        ("日本語", 3),
        ("snake_case", 2),
    ],
)
def test_word_count_rule(text, expected):
    """Words as a reader sees them: hyphen and apostrophe words count once, punctuation not."""
    assert count_words_in_text(text) == expected


def test_word_count_ignores_markup():
    """Tags and attributes are not words; text split by inline tags is not split."""
    html = '<p class="a b c">Hello <em>wor</em>ld</p><p><a href="https://x.example/a-b">link</a></p><hr>'
    assert count_words(html) == 3


def test_word_count_separates_paragraphs():
    """Words in adjacent paragraphs or around <br> are not glued together."""
    assert count_words("<p>one</p><p>two</p>") == 2
    assert count_words("<p>one<br>two</p>") == 2


def test_word_count_of_stored_chapter_matches_text():
    """A chapter's stored count is the count of its plain text."""
    text = "It was a dark and stormy night.\n\n* * *\n\nThe end, wasn't it?"
    assert count_words(body_to_html(text)) == 11


# --- Paragraphs are never dropped (property) ------------------------------------------
_word = st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCXYZéß0123456789'-", min_size=1, max_size=10)
_punct = st.sampled_from(
    [" ", " ", " ", ", ", ". ", "! ", " & ", " < ", " > ", ' "', " *", "_ ", "; "]
)
_paragraph = st.lists(st.tuples(_word, _punct), min_size=1, max_size=12).map(
    lambda parts: "".join(w + p for w, p in parts).strip()
)


def _words(text: str) -> list[str]:
    from ficarchive.works.text import _WORD_RE

    return _WORD_RE.findall(text)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(_paragraph, min_size=1, max_size=8),
    st.sampled_from(["\n\n", "\n", "\r\n\r\n"]),
    st.sampled_from(["text", "auto"]),
)
def test_every_paragraph_survives(paragraphs, separator, text_format):
    """Every non-empty input paragraph's words appear, in order, in the output."""
    source = separator.join(paragraphs)
    out_words = _words(html_to_text(body_to_html(source, text_format=text_format)))
    for paragraph in paragraphs:
        if is_scene_break(paragraph):
            continue
        words = _words(paragraph)
        if not words:
            continue
        joined = " ".join(out_words)
        assert " ".join(words) in joined, (paragraph, joined)


@settings(max_examples=100, deadline=None)
@given(st.lists(_paragraph, min_size=1, max_size=6))
def test_every_html_paragraph_survives(paragraphs):
    """In HTML input, every paragraph's words survive sanitizing."""
    source = "".join(
        f"<p>{p.replace('&', '&amp;').replace('<', '&lt;').replace('>', '&gt;')}</p>"
        for p in paragraphs
    )
    out = " ".join(_words(html_to_text(body_to_html(source, text_format="html"))))
    for paragraph in paragraphs:
        if is_scene_break(paragraph) or not _words(paragraph):
            continue
        assert " ".join(_words(paragraph)) in out


# --- Decoding uploads ----------------------------------------------------------------
def test_decode_utf8_with_and_without_bom():
    """UTF-8 files decode with or without a byte-order mark."""
    assert decode_text("Café — “quoted”".encode()) == "Café — “quoted”"
    assert decode_text(b"\xef\xbb\xbf" + "Café".encode()) == "Café"


def test_decode_utf16_with_bom():
    """UTF-16 files (little and big endian) with a BOM decode."""
    assert decode_text("Naïve “text”".encode("utf-16")) == "Naïve “text”"
    assert decode_text(b"\xfe\xff" + "Naïve".encode("utf-16-be")) == "Naïve"


def test_decode_cp1252_fallback():
    """Bytes that are not UTF-8 are read as Windows-1252 (smart quotes, dashes)."""
    assert decode_text("“Don’t” — café".encode("cp1252")) == "“Don’t” — café"


# --- Real XSS payloads (bleach's regression inputs and DOMPurify cases) -----------------
def _xss_inputs() -> list:
    from pathlib import Path

    root = Path(__file__).resolve().parents[4] / "shared" / "data" / "html-edge" / "bleach"
    if not root.is_dir():
        root = Path("/work/shared/data/html-edge/bleach")
    files = sorted(root.glob("regression-tests/*.test")) + sorted(
        root.glob("dompurify-cases-wip/*.test")
    )
    return [
        pytest.param(
            p.read_text(encoding="utf-8", errors="replace"), id=f"{p.parent.name}/{p.name}"
        )
        for p in files
    ]


_BAD_TAGS = {
    "script",
    "iframe",
    "object",
    "embed",
    "style",
    "form",
    "svg",
    "math",
    "base",
    "meta",
    "link",
    "input",
}


def _executable_bits(fragment: str) -> list[str]:
    """What a browser could run in this HTML: bad elements, event handlers, script URLs
    (URLs read as a browser does: leading ASCII whitespace and controls dropped)."""
    import lxml.html

    if not fragment.strip():
        return []
    root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    found = []
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        if el.tag.lower() in _BAD_TAGS:
            found.append(el.tag)
        for name, value in el.attrib.items():
            if name.lower().startswith("on") or name.lower() == "style":
                found.append(name)
            if name.lower() in {"href", "src", "action", "formaction", "xlink:href", "cite"}:
                url = re.sub(r"[\x00-\x20]", "", value).lower()
                if url.startswith(("javascript:", "vbscript:", "data:")):
                    found.append(f"{name}={value}")
    return found


@pytest.mark.parametrize(
    "payload", _xss_inputs() or [pytest.param("", marks=pytest.mark.skip("no shared data"))]
)
def test_real_xss_payloads_come_out_safe(payload):
    """Known XSS payloads, as HTML or detected, come out with nothing a browser would run."""
    for fmt in ("html", "auto", "text"):
        out = body_to_html(payload, text_format=fmt)
        assert _executable_bits(out) == [], out[:300]


def test_executable_check_catches_unsafe_html():
    """The safety check used above does flag handlers, script URLs and script elements."""
    assert _executable_bits('<a href=" javascript:x()">a</a>') == ["href= javascript:x()"]
    assert _executable_bits('<p onclick="x()">a</p>') == ["onclick"]
    assert _executable_bits("<script>x()</script>") == ["script"]
    assert _executable_bits("<p>fine</p>") == []
