"""Work skin CSS: what is kept, scoped under #workskin, and the payloads that must go."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import tinycss2

from ficarchive.skins.sanitize import MAX_CSS_CHARS, sanitize_work_css

# Each payload must leave nothing of its attack in the CSS readers get. The forbidden
# markers are checked case-insensitively against the output.
PAYLOADS = [
    ("url", ".a { background: url(http://evil.example/x.png) }", ["url", "evil"]),
    ("url quoted", '.a { background-image: url("javascript:alert(1)") }', ["url", "javascript"]),
    ("import", "@import url(http://evil.example/x.css); .a { color: red }", ["@import", "evil"]),
    ("import string", '@import "http://evil.example/x.css";', ["@import", "evil"]),
    ("font-face", "@font-face { font-family: x; src: url(x.woff) }", ["@font-face", "url"]),
    ("namespace", "@namespace svg url(http://www.w3.org/2000/svg);", ["@namespace", "url"]),
    ("keyframes", "@keyframes k { from { color: red } }", ["@keyframes"]),
    ("expression", ".a { width: expression(alert(1)) }", ["expression", "alert"]),
    ("behavior", ".a { behavior: url(x.htc) }", ["behavior", "url"]),
    ("moz-binding", ".a { -moz-binding: url(http://x/xss.xml#xss) }", ["binding", "url"]),
    (
        "position fixed",
        ".a { position: fixed; top: 0; left: 0; width: 100% }",
        ["fixed", "top", "left"],
    ),
    ("position sticky", ".a { position: sticky }", ["sticky"]),
    ("position absolute", ".a { position: absolute }", ["absolute"]),
    ("escaped url", r".a { background: \75 rl(http://evil.example/) }", ["evil", "rl("]),
    ("escaped url 2", r".a { background: \000075rl(x) }", ["rl(", "x)"]),
    ("escaped expression", r".a { width: \65 xpression(alert(1)) }", ["xpression", "alert"]),
    ("comment in url", ".a { background: ur/**/l(http://evil.example/) }", ["evil", "l("]),
    ("comment in expression", ".a { width: exp/**/ression(alert(1)) }", ["ression", "alert"]),
    ("comment in property", ".a { beh/**/avior: url(x) }", ["avior", "url"]),
    ("escaped property", r".a { \62 ehavior: url(x.htc) }", ["behavior", "ehavior", "url"]),
    ("escaped allowed property", r".a { col\6f r: red }", ["red"]),
    ("escaped position value", r".a { position: fi\78 ed }", ["fixed", "ed"]),
    ("z-index abuse", ".a { z-index: 2147483647 }", ["z-index"]),
    ("negative z-index", ".a { z-index: -1 }", ["z-index"]),
    ("negative margin", ".a { margin-top: -9999px }", ["margin"]),
    ("offsets", ".a { position: relative; top: -500px }", ["top"]),
    ("transform", ".a { transform: translate(-100vw, -100vh) }", ["transform", "translate"]),
    ("sibling after container", "#workskin ~ footer { display: none }", ["footer"]),
    ("leading sibling", "+ footer { display: none }", ["footer"]),
    ("leading general sibling", "~ * { display: none }", ["display"]),
    ("has", "div:has(+ footer) { display: none }", ["has", "footer"]),
    ("root", ":root { --bg: red }", ["root", "--bg"]),
    ("custom property", ".a { --x: url(x) }", ["--x", "url"]),
    ("var", ".a { color: var(--x) }", ["var("]),
    ("attr", ".a { width: attr(data-w) }", ["attr("]),
    ("image-set", ".a { background: image-set('x.png' 1x) }", ["image-set", "x.png"]),
    ("content", '.a::before { content: "gotcha" }', ["content", "gotcha"]),
    ("javascript keyword", ".a { color: javascript }", ["javascript"]),
    ("unicode escaped id", r"#work\73 kin ~ footer { color: red }", ["footer"]),
    ("html body", "html, body { background: red }", ["html", "body"]),
    ("attribute selector", '[href^="javascript"] { color: red }', ["javascript"]),
    ("charset", '@charset "utf-7"; .a { color: red }', ["@charset", "utf-7"]),
    ("supports", "@supports (display: grid) { .a { position: fixed } }", ["@supports", "fixed"]),
    ("media with url", "@media url(x) { .a { color: red } }", ["url"]),
    (
        "nested import in media",
        "@media screen { @import url(x); .a { color: red } }",
        ["@import", "url"],
    ),
    ("unclosed block", ".a { color: red; background: url(x)", ["url"]),
    ("string with escape", r'.a { font-family: "\75 rl" }', ["url", "rl"]),
    ("page cursor url", ".a { cursor: url(x.cur), auto }", ["url"]),
    (
        "list-style-image",
        "li { list-style-image: url(javascript:alert(1)) }",
        ["url", "javascript"],
    ),
    ("border-image", ".a { border-image: url(x.png) 30 }", ["url", "border-image"]),
    ("filter", ".a { filter: url(#x) }", ["url", "filter"]),
    ("mask", ".a { mask: url(x.svg) }", ["url", "mask"]),
    ("calc smuggle", ".a { width: calc(100vw + url(x)) }", ["url", "calc"]),
    (
        "style end tag",
        ".a { font-family: '</style><script>alert(1)</script>' }",
        ["script", "</style"],
    ),
]


@pytest.mark.parametrize(("name", "css", "markers"), PAYLOADS, ids=[p[0] for p in PAYLOADS])
def test_payload_is_removed(name, css, markers):
    """Nothing of the attack is left, and the removal is reported."""
    result = sanitize_work_css(css)
    low = result.css.lower()
    for marker in markers:
        assert marker.lower() not in low, (name, result.css)
    assert result.removed, name
    _every_selector_is_scoped(result.css)


def _every_selector_is_scoped(css):
    """Every rule of the output starts at #workskin (inside @media too)."""
    for rule in tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True):
        if rule.type == "at-rule":
            assert rule.lower_at_keyword == "media"
            _every_selector_is_scoped(tinycss2.serialize(rule.content))
            continue
        assert rule.type == "qualified-rule", rule
        for sel in tinycss2.serialize(rule.prelude).split(","):
            sel = sel.strip()
            assert sel.startswith("#workskin"), css
            assert not sel[len("#workskin") :].lstrip().startswith(("+", "~")), css


def test_allowed_css_is_kept_and_scoped():
    """An AO3-style skin keeps its rules, each put under #workskin."""
    css = """
    #workskin .chat { font-family: "Courier New", monospace; color: #333; }
    .text-message { background-color: rgb(220, 248, 198); border-radius: 8px; padding: .5em 1em; }
    p > span.sms:first-child, .note::first-letter { font-size: 2em !important; }
    li:nth-child(2n+1) { color: hsl(120, 50%, 40%) }
    @media (max-width: 40em) { .chat { margin: 0 auto; position: relative; z-index: 2 } }
    """
    result = sanitize_work_css(css)
    assert result.removed == []
    assert '#workskin .chat { font-family: "Courier New", monospace; color: #333; }' in result.css
    assert "#workskin .text-message { background-color: rgb(220, 248, 198);" in result.css
    assert "#workskin p > span.sms:first-child, #workskin .note::first-letter" in result.css
    assert "font-size: 2em !important;" in result.css
    assert "#workskin li:nth-child(2n" in result.css  # tinycss2 writes 2n/**/+1
    assert "@media (max-width: 40em) {" in result.css
    assert "position: relative;" in result.css and "z-index: 2;" in result.css
    _every_selector_is_scoped(result.css)


def test_bad_declaration_goes_alone():
    """One bad declaration goes; the rest of its rule stays."""
    result = sanitize_work_css(".a { color: red; position: fixed; font-weight: bold }")
    assert result.css == "#workskin .a { color: red; font-weight: bold; }"
    assert result.removed == ["value of position: 'fixed'"]


def test_too_long_is_refused():
    with pytest.raises(ValueError, match="at most"):
        sanitize_work_css("a" * (MAX_CSS_CHARS + 1))


SANITIZER_TESTS = (
    Path(__file__).resolve().parents[4]
    / "shared/data/html-edge/html5lib-tests/sanitizer-tests1.dat"
)


def _html5lib_style_cases():
    """The style attributes of html5lib's sanitizer cases, as declarations of one rule."""
    if not SANITIZER_TESTS.exists():
        return []
    from lxml import html as lxml_html

    cases = []
    for case in json.loads(SANITIZER_TESTS.read_text()):
        if "style=" not in case["input"]:
            continue
        try:
            root = lxml_html.fragment_fromstring(case["input"], create_parent="div")
        except Exception:  # noqa: BLE001, S112 - an unparsable case has no style to test
            continue
        for el in root.iter():
            style = el.get("style")
            if style:
                cases.append((case["name"], style))
    return cases


def test_html5lib_sanitizer_styles():
    """html5lib's sanitizer cases (../shared/data) that carry a style attribute: as work
    skin declarations, none leaves url, expression, binding or a position over the page."""
    cases = _html5lib_style_cases()
    if not cases:
        pytest.skip("../shared/data/html-edge is not here")
    for name, style in cases:
        result = sanitize_work_css(f".x {{ {style} }}").css.lower()
        for marker in ("url", "expression", "binding", "absolute", "fixed", "javascript"):
            assert marker not in result, (name, style, result)


def test_container_keeps_one_id():
    """No selector on the container may name #workskin twice (the served sheet's own rule
    on #workskin#workskin must outrank every creator's rule)."""
    result = sanitize_work_css("#workskin#workskin, #workskin #workskin { overflow: visible }")
    assert result.css == ""
    assert len(result.removed) == 2
