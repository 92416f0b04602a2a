"""Structural checks that a piece of HTML can run nothing: parsed with lxml, not grepped."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import lxml.html

DATA = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "html-edge"

FORBIDDEN_TAGS = {
    "script",
    "style",
    "meta",
    "form",
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "svg",
    "math",
    "base",
    "link",
    "applet",
    "input",
    "button",
    "textarea",
    "select",
    "noscript",
    "template",
    "xml",
    "xss",
    "video",
    "audio",
    "source",
    "param",
    "title",
    "body",
    "html",
    "head",
}
URL_ATTRIBUTES = {
    "href",
    "src",
    "cite",
    "action",
    "formaction",
    "background",
    "poster",
    "lowsrc",
    "dynsrc",
    "data",
    "codebase",
    "xlink:href",
    "srcset",
    "longdesc",
    "usemap",
    "manifest",
}
BAD_SCHEMES = ("javascript:", "vbscript:", "data:", "livescript:", "mocha:")
# As the WHATWG URL parser does: tabs and newlines vanish anywhere, C0 controls and spaces
# are stripped from the ends; anything else (U+200B, U+1680...) makes a harmless relative URL.
_TAB_NEWLINE = re.compile(r"[\t\n\r]")
_C0_SPACE = "".join(chr(c) for c in range(0x21))


# Django's JavaScript translation catalogue, which base.html loads on every page (issue 18).
JS_CATALOGUE = "/jsi18n/"


def problems(fragment: str, *, allow_scripts_from: str | None = None) -> list[str]:
    """What in `fragment` could execute: forbidden elements, event handlers, style attributes,
    script-capable URLs. With allow_scripts_from, <script src="/static/..."> of the site's own
    (and its JavaScript catalogue, JS_CATALOGUE) is allowed (for whole pages), inline script
    bodies never."""
    found: list[str] = []
    if not fragment.strip():
        return found
    try:
        root = (
            lxml.html.fromstring(f"<div>{fragment}</div>")
            if allow_scripts_from is None
            else lxml.html.document_fromstring(fragment)
        )
    except Exception as exc:  # an unparsable fragment is itself a finding
        return [f"unparsable: {exc}"]
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        tag = el.tag.lower().rsplit("}", 1)[-1]
        if allow_scripts_from is not None:
            if tag == "script":
                src = el.get("src", "")
                own = src.startswith(allow_scripts_from) or src.split("?")[0] == JS_CATALOGUE
                if not own or (el.text or "").strip():
                    found.append(f"script element {src!r}")
                continue
            if tag in {
                "html",
                "head",
                "body",
                "title",
                "meta",
                "link",
                "form",
                "input",
                "button",
                "textarea",
                "select",
                "style",
            }:
                if tag == "meta" and el.get("http-equiv", "").lower() == "refresh":
                    found.append("meta refresh")
                if tag == "link" and el.get("href", "").lower().lstrip().startswith(BAD_SCHEMES):
                    found.append("link with script URL")
                if tag == "form" and el.get("action", "").lower().lstrip().startswith(BAD_SCHEMES):
                    found.append("form action with script URL")
                if (
                    tag == "style"
                    and el.text
                    and ("expression(" in el.text.lower() or "javascript:" in el.text.lower())
                ):
                    found.append("style with expression")
                pass
            elif tag in FORBIDDEN_TAGS:
                found.append(f"element <{tag}>")
        elif tag in FORBIDDEN_TAGS:
            found.append(f"element <{tag}>")
        for name, value in el.attrib.items():
            lname = name.lower().rsplit("}", 1)[-1]
            if lname.startswith("on"):
                found.append(f"event handler {name}")
            if lname == "style" and allow_scripts_from is None:
                found.append("style attribute")
            if lname in URL_ATTRIBUTES or name.lower() in URL_ATTRIBUTES:
                normal = _TAB_NEWLINE.sub("", html.unescape(value)).strip(_C0_SPACE).lower()
                if normal.startswith(BAD_SCHEMES):
                    found.append(f"{name}={value[:40]!r}")
            if lname == "http-equiv" and value.lower() == "refresh":
                found.append("meta refresh")
    return found


def published_vectors() -> list[tuple[str, str]]:
    """(name, html) for every XSS vector in ../shared/data/html-edge (none in a clone that
    has no ../shared beside it)."""
    vectors: list[tuple[str, str]] = []
    if not DATA.is_dir():
        return vectors
    for case in json.loads((DATA / "html5lib-tests" / "sanitizer-tests1.dat").read_text()):
        vectors.append((f"html5lib:{case['name']}", case["input"]))
    for path in sorted((DATA / "bleach" / "regression-tests").glob("*.test")):
        vectors.append((f"bleach:{path.name}", path.read_text(errors="replace")))
    for path in sorted((DATA / "bleach" / "dompurify-cases-wip").glob("*.test")):
        vectors.append((f"dompurify:{path.name}", path.read_text(errors="replace")))
    return vectors
