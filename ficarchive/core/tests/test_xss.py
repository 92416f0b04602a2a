"""Nothing executable survives sanitizing: every published XSS vector and random tag soup,
through every sanitizer that stores or shows user HTML."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ficarchive.core.html import sanitize_comment_html, sanitize_html
from ficarchive.works.text import body_to_html

from .xsscheck import DATA, problems, published_vectors

SANITIZERS = {
    "sanitize_html": sanitize_html,
    "sanitize_comment_html": sanitize_comment_html,
    "body_to_html": body_to_html,
    "body_to_html(html)": lambda raw: body_to_html(raw, text_format="html"),
}
VECTORS = published_vectors()
needs_shared_data = pytest.mark.skipif(
    not DATA.is_dir(), reason=f"shared test data absent at {DATA}"
)


@needs_shared_data
def test_the_published_vector_lists_are_all_there():
    """The three published lists are read in full (72 html5lib cases, 20 bleach, ~200 DOMPurify)."""
    assert DATA.is_dir()
    sources = {name.split(":")[0] for name, _ in VECTORS}
    assert sources == {"html5lib", "bleach", "dompurify"}
    assert len(VECTORS) >= 72 + 20 + 150


def test_the_checker_catches_what_it_should():
    """The checker itself flags scripts, handlers, script URLs, SVG and meta refresh."""
    assert problems("<script>alert(1)</script>")
    assert problems('<img src=x onerror="alert(1)">')
    assert problems('<a href=" jav&#x09;ascript:alert(1)">x</a>')
    assert problems('<a href="data:text/html,<script>alert(1)</script>">x</a>')
    assert problems("<svg><script>alert(1)</script></svg>")
    assert problems('<meta http-equiv="refresh" content="0;url=javascript:alert(1)">')
    assert problems('<p style="width: expression(alert(1))">x</p>')
    assert problems('<form action="/x"><button>x</button></form>')
    assert not problems('<p><a href="https://example.org">ok</a> <em>fine</em></p>')


@needs_shared_data
@pytest.mark.parametrize("sanitizer", sorted(SANITIZERS))
def test_no_published_vector_survives(sanitizer):
    """For each vector from html5lib, bleach and DOMPurify, the sanitized output holds no
    script, handler, script URL, style, meta, form, frame, object, embed, SVG, MathML, base or link."""
    clean = SANITIZERS[sanitizer]
    failures = {}
    for name, raw in VECTORS:
        output = clean(raw)
        found = problems(output)
        # Sanitizing twice must be as safe as once (stored text is edited and saved again).
        found += problems(clean(output))
        if found:
            failures[name] = (found, output[:200])
    assert not failures, failures


TAGS = [
    "script",
    "img",
    "a",
    "svg",
    "math",
    "style",
    "iframe",
    "p",
    "div",
    "object",
    "embed",
    "form",
    "input",
    "meta",
    "base",
    "link",
    "b",
    "table",
    "td",
    "details",
    "summary",
    "video",
    "template",
    "noscript",
    "xmp",
    "plaintext",
    "textarea",
    "title",
    "select",
    "option",
    "iframe srcdoc",
]
ATTRS = [
    "onerror",
    "onload",
    "onclick",
    "href",
    "src",
    "style",
    "action",
    "formaction",
    "xlink:href",
    "srcdoc",
    "background",
    "dynsrc",
    "lowsrc",
    "class",
    "title",
    "data",
    "OnMouseOver",
    "cite",
]
VALUES = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " java\tscript:alert(1)",
    "&#106;avascript:alert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "vbscript:msgbox(1)",
    "alert(1)",
    "expression(alert(1))",
    "https://example.org/",
    "x",
    '"><script>alert(1)</script>',
    "&#0000106",
]

QUOTES = ['"', "'", ""]


@st.composite
def tag_soup(draw):
    pieces = []
    for _ in range(draw(st.integers(1, 12))):
        kind = draw(st.integers(0, 4))
        if kind == 0:
            pieces.append(draw(st.text(alphabet="<>&\"'/=` abc\n", max_size=8)))
        elif kind == 4:
            pieces.append(f"</{draw(st.sampled_from(TAGS)).split()[0]}>")
        else:
            tag = draw(st.sampled_from(TAGS))
            parts = []
            for _ in range(draw(st.integers(0, 3))):
                name = draw(st.sampled_from(ATTRS))
                equals = draw(st.sampled_from(["=", " = ", "="]))
                quote = draw(st.sampled_from(QUOTES))
                value = draw(st.sampled_from(VALUES))
                end = draw(st.sampled_from(QUOTES[:2] + [" "]))
                parts.append(f"{name}{equals}{quote}{value}{end}")
            attrs = " ".join(parts)
            close = draw(st.sampled_from([">", "/>", "", " >"]))
            pieces.append(f"<{tag} {attrs}{close}")
    return "".join(pieces)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(soup=tag_soup())
def test_random_tag_soup_never_yields_executable_html(soup):
    """Hypothesis-made soups of dangerous tags, handlers and script URLs come out inert from
    every sanitizer."""
    for name, clean in SANITIZERS.items():
        output = clean(soup)
        assert not problems(output), (name, soup, output)
