"""Author HTML goes through one allowlist, modelled on AO3's, before it is stored."""

from __future__ import annotations

import html as html_lib
import re

import nh3

# AO3's allowed elements for work text, summaries and notes (no style, no forms, no media
# but images, no scripts of any kind).
ALLOWED_TAGS = {
    "a",
    "abbr",
    "acronym",
    "address",
    "b",
    "big",
    "blockquote",
    "br",
    "caption",
    "center",
    "cite",
    "code",
    "col",
    "colgroup",
    "dd",
    "del",
    "details",
    "dfn",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "ins",
    "kbd",
    "li",
    "ol",
    "p",
    "pre",
    "q",
    "rp",
    "rt",
    "ruby",
    "s",
    "samp",
    "small",
    "span",
    "strike",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "tt",
    "u",
    "ul",
    "var",
}
_COMMON_ATTRIBUTES = {"align", "title", "dir", "lang", "class"}
ALLOWED_ATTRIBUTES = {
    "*": _COMMON_ATTRIBUTES,
    "a": {"href", "name"},
    "img": {"src", "alt", "width", "height"},
    "ol": {"start", "type"},
    "ul": {"type"},
    "li": {"value"},
    "blockquote": {"cite"},
    "q": {"cite"},
    "del": {"cite", "datetime"},
    "ins": {"cite", "datetime"},
    "table": {"summary", "width", "border"},
    "td": {"colspan", "rowspan", "width", "valign", "abbr", "headers"},
    "th": {"colspan", "rowspan", "width", "valign", "abbr", "headers", "scope"},
    "col": {"span", "width"},
    "colgroup": {"span", "width"},
    "details": {"open"},
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}

# Comments and bookmark notes get a smaller set: inline emphasis, links, paragraphs, quotes.
COMMENT_TAGS = {
    "a",
    "abbr",
    "b",
    "big",
    "blockquote",
    "br",
    "cite",
    "code",
    "del",
    "em",
    "i",
    "ins",
    "p",
    "q",
    "s",
    "small",
    "strike",
    "strong",
    "sub",
    "sup",
    "u",
    "img",
}


def sanitize_html(raw: str, *, tags: set[str] | None = None) -> str:
    """Return author HTML with only allowlisted elements, attributes and URL schemes."""
    allowed = ALLOWED_TAGS if tags is None else tags
    attributes = {k: v for k, v in ALLOWED_ATTRIBUTES.items() if k == "*" or k in allowed}
    return nh3.clean(
        raw,
        tags=allowed,
        attributes=attributes,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="nofollow noopener noreferrer",
        strip_comments=True,
    ).strip()


def sanitize_comment_html(raw: str) -> str:
    return sanitize_html(raw, tags=COMMENT_TAGS)


_BLOCK_TAG_RE = re.compile(r"<\s*(p|div|br|blockquote|h[1-6]|ul|ol|table|pre|hr)\b", re.I)


def has_block_markup(text: str) -> bool:
    """True when the text carries block markup of its own (paragraphs, breaks, lists...)."""
    return bool(_BLOCK_TAG_RE.search(text))


def escape(text: str) -> str:
    return html_lib.escape(text, quote=True)
