"""Work skins: the CSS a creator writes for a work, cut down to what stays inside it.

AO3's Work Skins (https://archiveofourown.org/admin_posts/...; its ``CssCleaner``) let a
creator style the text of a work with an allowlist of properties. Here the CSS is parsed
with tinycss2 (the CSS Syntax Level 3 tokenizer and parser), never with regular
expressions, and rebuilt from the parsed tokens, so what the browser reads is exactly what
was checked:

- only qualified rules and ``@media`` blocks survive; ``@import``, ``@font-face``,
  ``@namespace``, ``@keyframes`` and every other at-rule go;
- each selector is put under the work's text container, ``#workskin``, and may only use
  type, class and id selectors, ``*``, the descendant and child combinators (the sibling
  combinators could reach the page after the container) and a short list of
  pseudo-classes;
- each declaration's property is on the allowlist below and its value is made of
  keywords, numbers, lengths in the allowed units, colours and ``rgb()``/``hsl()``;
  ``url()``, ``expression()``, ``image-set()``, ``var()``, ``attr()`` and any other
  function go, as do ``behavior`` and ``-moz-binding`` (not on the list);
- ``position`` is only ``static`` or ``relative`` and the offsets (``top`` ...) are not
  allowed, margins are never negative, ``z-index`` is 0 to 10: nothing is drawn over the
  page around the work;
- a name or value written with escapes (``\\75 rl(``, ``col\\6f r``) is removed: it is
  compared with the source text, since tinycss2 hands back the unescaped value;
  comments inside a token split it (``ur/**/l(`` is ``ur`` and ``l(``), and the pieces
  fail the allowlist.

Whatever is removed is named in ``SanitizedCss.removed`` so the creator can be told.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import tinycss2
from tinycss2 import ast

CONTAINER = "workskin"
# AO3 limits a skin's CSS; a work skin is a few kilobytes in practice.
MAX_CSS_CHARS = 100_000
MAX_Z_INDEX = 10

# Properties a work skin may set (AO3's list, less what can move content out of the work).
_SIDES = ("", "-top", "-right", "-bottom", "-left")
ALLOWED_PROPERTIES = frozenset(
    {
        "background",
        "background-color",
        "color",
        "opacity",
        "font",
        "font-family",
        "font-size",
        "font-style",
        "font-variant",
        "font-weight",
        "letter-spacing",
        "line-height",
        "text-align",
        "text-decoration",
        "text-decoration-color",
        "text-decoration-line",
        "text-decoration-style",
        "text-indent",
        "text-shadow",
        "text-transform",
        "vertical-align",
        "white-space",
        "word-spacing",
        "word-break",
        "overflow-wrap",
        "hyphens",
        "font-feature-settings",
        "display",
        "float",
        "clear",
        "position",
        "z-index",
        "visibility",
        "overflow",
        "overflow-x",
        "overflow-y",
        "width",
        "min-width",
        "max-width",
        "height",
        "min-height",
        "max-height",
        "box-sizing",
        "border-collapse",
        "border-spacing",
        "caption-side",
        "empty-cells",
        "table-layout",
        "list-style-type",
        "list-style-position",
        "columns",
        "column-count",
        "column-gap",
        "column-width",
        "column-rule",
        "border-radius",
        "box-shadow",
        "outline",
        "cursor",
        "flex",
        "flex-direction",
        "flex-wrap",
        "justify-content",
        "align-items",
        "align-self",
        "gap",
        "order",
    }
    | {f"margin{s}" for s in _SIDES}
    | {f"padding{s}" for s in _SIDES}
    | {f"border{s}{p}" for s in _SIDES for p in ("", "-width", "-style", "-color")}
)
# Keywords limited per property: the rest of the value grammar is shared.
ALLOWED_KEYWORDS = {
    "position": frozenset({"static", "relative"}),
    "display": frozenset(
        {
            "none",
            "block",
            "inline",
            "inline-block",
            "flex",
            "inline-flex",
            "grid",
            "list-item",
            "table",
            "table-row",
            "table-cell",
            "table-caption",
        }
    ),
}
UNITS = frozenset({"px", "em", "rem", "ex", "ch", "pt", "pc", "cm", "mm", "in", "vw", "vh", "deg"})
FUNCTIONS = frozenset({"rgb", "rgba", "hsl", "hsla"})
PSEUDO_CLASSES = frozenset(
    {
        "first-child",
        "last-child",
        "only-child",
        "first-of-type",
        "last-of-type",
        "only-of-type",
        "empty",
        "hover",
        "focus",
        "active",
        "first-letter",
        "first-line",
        "link",
        "visited",
    }
)
PSEUDO_FUNCTIONS = frozenset({"nth-child", "nth-last-child", "nth-of-type", "nth-last-of-type"})
# Keywords that are never a value here (old IE, Mozilla bindings, JavaScript).
FORBIDDEN_WORDS = ("expression", "javascript", "behavior", "binding", "url")


@dataclass
class SanitizedCss:
    """The CSS to serve (every selector under ``#workskin``) and what was removed, one
    short English description per item (shown to the creator, not translated: it
    quotes their CSS)."""

    css: str
    removed: list[str] = field(default_factory=list)


class _Source:
    """The creator's text by (line, column), to see whether a token was escaped."""

    def __init__(self, css: str) -> None:
        self.lines = css.split("\n")

    def at(self, node: Any, length: int) -> str:
        line = self.lines[node.source_line - 1] if node.source_line <= len(self.lines) else ""
        return line[node.source_column - 1 : node.source_column - 1 + length]

    def written_as_is(self, node: Any) -> bool:
        """The token reads in the source as it serializes: no escapes in it."""
        if isinstance(node, ast.StringToken):
            return "\\" not in self.at(node, len(node.value) + 2)
        if isinstance(node, (ast.IdentToken, ast.FunctionBlock, ast.HashToken)):
            text = node.serialize()
            if isinstance(node, ast.FunctionBlock):
                text = tinycss2.serialize([ast.IdentToken(1, 1, node.name)]) + "("
            return self.at(node, len(text)) == text
        if isinstance(node, ast.Declaration):
            return self.at(node, len(node.name)) == node.name
        return True


def sanitize_work_css(css: str) -> SanitizedCss:
    """Parse ``css`` (a creator's work skin) and return the allowed part, scoped under
    ``#workskin``. Raises ValueError when the text is longer than MAX_CSS_CHARS
    characters (nothing is parsed then)."""
    if len(css) > MAX_CSS_CHARS:
        raise ValueError(f"A work skin can be at most {MAX_CSS_CHARS:,} characters.")
    src = _Source(css.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n"))
    rules = tinycss2.parse_stylesheet(
        "\n".join(src.lines), skip_comments=True, skip_whitespace=True
    )
    out = SanitizedCss(css="")
    out.css = "\n".join(_rules(rules, src, out.removed))
    return out


def _rules(rules: list[Any], src: _Source, removed: list[str]) -> list[str]:
    blocks = []
    for rule in rules:
        if isinstance(rule, ast.QualifiedRule):
            block = _qualified(rule, src, removed)
        elif isinstance(rule, ast.AtRule) and rule.lower_at_keyword == "media":
            block = _media(rule, src, removed)
        elif isinstance(rule, ast.AtRule):
            removed.append(f"@{rule.at_keyword} rule")
            block = None
        else:  # a parse error: an unclosed block, a stray token
            removed.append("unreadable CSS")
            block = None
        if block:
            blocks.append(block)
    return blocks


def _media(rule: ast.AtRule, src: _Source, removed: list[str]) -> str | None:
    prelude = [t for t in rule.prelude if not isinstance(t, ast.Comment)]
    if rule.content is None or not _media_query_ok(prelude, src):
        removed.append("@media rule with an unreadable query")
        return None
    inner = tinycss2.parse_rule_list(rule.content, skip_comments=True, skip_whitespace=True)
    nested = [r for r in inner if not (isinstance(r, ast.AtRule))]
    if len(nested) != len(inner):
        removed.append("@-rule inside @media")
    body = _rules(nested, src, removed)
    if not body:
        return None
    return "@media " + tinycss2.serialize(prelude).strip() + " {\n" + "\n".join(body) + "\n}"


def _media_query_ok(tokens: list[Any], src: _Source) -> bool:
    for tok in tokens:
        if isinstance(tok, ast.ParenthesesBlock):
            if not _media_query_ok(tok.content, src):
                return False
        elif isinstance(tok, ast.IdentToken):
            if not src.written_as_is(tok):
                return False
        elif isinstance(tok, ast.DimensionToken):
            if tok.lower_unit not in UNITS:
                return False
        elif isinstance(tok, ast.LiteralToken):
            if tok.value not in {":", ",", "/"}:
                return False
        elif not isinstance(tok, (ast.WhitespaceToken, ast.NumberToken)):
            return False
    return True


def _qualified(rule: ast.QualifiedRule, src: _Source, removed: list[str]) -> str | None:
    selectors = _selectors(rule.prelude, src, removed)
    if not selectors:
        return None
    decls = []
    for item in tinycss2.parse_blocks_contents(
        rule.content, skip_comments=True, skip_whitespace=True
    ):
        if isinstance(item, ast.Declaration):
            decl = _declaration(item, src, removed)
            if decl:
                decls.append(decl)
        else:
            removed.append("nested rule or unreadable declaration")
    if not decls:
        return None
    return ", ".join(selectors) + " { " + " ".join(decls) + " }"


def _split_commas(tokens: list[Any]) -> list[list[Any]]:
    parts: list[list[Any]] = [[]]
    for tok in tokens:
        if isinstance(tok, ast.LiteralToken) and tok.value == ",":
            parts.append([])
        elif not isinstance(tok, ast.Comment):
            parts[-1].append(tok)
    return parts


def _selectors(prelude: list[Any], src: _Source, removed: list[str]) -> list[str]:
    out = []
    for raw in _split_commas(prelude):
        text = tinycss2.serialize(raw).strip()
        scoped = _scoped_selector(_strip_ws(raw), src)
        if scoped is None:
            removed.append(f"selector {text[:60]!r}")
        else:
            out.append(scoped)
    return out


def _strip_ws(tokens: list[Any]) -> list[Any]:
    while tokens and isinstance(tokens[0], ast.WhitespaceToken):
        tokens = tokens[1:]
    while tokens and isinstance(tokens[-1], ast.WhitespaceToken):
        tokens = tokens[:-1]
    return tokens


def _scoped_selector(tokens: list[Any], src: _Source) -> str | None:
    """``#workskin`` + the selector, or None when any part of it is not allowed. A
    selector that starts with ``#workskin`` keeps it (AO3's skins are written so)."""
    if not tokens or not _pseudo_ok(tokens):
        return None
    if not all(_selector_token_ok(t, src) for t in tokens):
        return None
    rest = tokens
    if isinstance(tokens[0], ast.HashToken) and tokens[0].value == CONTAINER:
        rest = tokens[1:]
    body = _strip_ws(rest)
    # Sibling combinators right after the container reach the page after it; a leading
    # one would do the same once the container is put in front.
    if body and isinstance(body[0], ast.LiteralToken) and body[0].value in {"+", "~"}:
        return None
    if any(isinstance(t, ast.HashToken) and t.value == CONTAINER for t in body):
        return None
    if rest is not tokens and rest and not isinstance(rest[0], ast.WhitespaceToken):
        # "#workskin.x", "#workskin > p", "#workskin:hover": kept as written.
        return "#" + CONTAINER + tinycss2.serialize(rest)
    return ("#" + CONTAINER + " " + tinycss2.serialize(body)).strip()


def _pseudo_ok(tokens: list[Any]) -> bool:
    """After ``:`` or ``::`` comes an allowed pseudo-class; functions come nowhere else."""
    after_colon = False
    for tok in tokens:
        if isinstance(tok, ast.LiteralToken) and tok.value == ":":
            after_colon = True
            continue
        if after_colon:
            if isinstance(tok, ast.IdentToken) and tok.lower_value in PSEUDO_CLASSES:
                pass
            elif not (isinstance(tok, ast.FunctionBlock) and tok.lower_name in PSEUDO_FUNCTIONS):
                return False
        elif isinstance(tok, ast.FunctionBlock):
            return False
        after_colon = False
    return not after_colon


def _selector_token_ok(tok: Any, src: _Source) -> bool:
    if isinstance(tok, (ast.WhitespaceToken,)):
        return True
    if isinstance(tok, ast.IdentToken):
        return src.written_as_is(tok) and tok.lower_value not in {"html", "body", "head"}
    if isinstance(tok, ast.HashToken):
        return src.written_as_is(tok)
    if isinstance(tok, ast.LiteralToken):
        return tok.value in {".", ">", "+", "~", "*", ":"}
    if isinstance(tok, ast.FunctionBlock):
        return (
            src.written_as_is(tok)
            and tok.lower_name in PSEUDO_FUNCTIONS
            and all(
                isinstance(a, (ast.NumberToken, ast.WhitespaceToken))
                or (isinstance(a, ast.DimensionToken) and a.lower_unit in {"n", "n-"})
                or (isinstance(a, ast.IdentToken) and a.lower_value in {"odd", "even", "n", "-n"})
                or (isinstance(a, ast.LiteralToken) and a.value in {"+", "-"})
                for a in tok.arguments
            )
        )
    return False


def _declaration(decl: ast.Declaration, src: _Source, removed: list[str]) -> str | None:
    name = decl.lower_name
    if not src.written_as_is(decl) or name not in ALLOWED_PROPERTIES:
        removed.append(f"property {decl.name[:40]!r}")
        return None
    value = [t for t in decl.value if not isinstance(t, ast.Comment)]
    value = _strip_ws(value)
    if not value or not all(_value_token_ok(name, t, src) for t in value):
        removed.append(f"value of {name}: {tinycss2.serialize(value).strip()[:60]!r}")
        return None
    important = " !important" if decl.important else ""
    return f"{name}: {tinycss2.serialize(value)}{important};"


def _value_token_ok(prop: str, tok: Any, src: _Source) -> bool:
    if isinstance(tok, ast.WhitespaceToken):
        return True
    if isinstance(tok, ast.IdentToken):
        word = tok.lower_value
        allowed = ALLOWED_KEYWORDS.get(prop)
        return (
            src.written_as_is(tok)
            and not any(bad in word for bad in FORBIDDEN_WORDS)
            and (allowed is None or word in allowed)
        )
    if isinstance(tok, (ast.NumberToken, ast.PercentageToken, ast.DimensionToken)):
        return _number_ok(prop, tok)
    if isinstance(tok, ast.HashToken):
        # Colours only: #rgb, #rgba, #rrggbb, #rrggbbaa.
        return len(tok.value) in {3, 4, 6, 8} and all(
            c in "0123456789abcdefABCDEF" for c in tok.value
        )
    if isinstance(tok, ast.StringToken):
        # Font family names only.
        return (
            prop in {"font-family", "font"}
            and src.written_as_is(tok)
            and all(c.isalnum() or c in " -_" for c in tok.value)
        )
    if isinstance(tok, ast.LiteralToken):
        return tok.value in {",", "/"}
    if isinstance(tok, ast.FunctionBlock):
        return (
            src.written_as_is(tok)
            and tok.lower_name in FUNCTIONS
            and all(
                isinstance(a, (ast.WhitespaceToken, ast.NumberToken, ast.PercentageToken))
                or (isinstance(a, ast.LiteralToken) and a.value in {",", "/"})
                or (isinstance(a, ast.DimensionToken) and a.lower_unit == "deg")
                or (isinstance(a, ast.IdentToken) and a.lower_value == "none")
                for a in tok.arguments
            )
        )
    return False


def _number_ok(prop: str, tok: Any) -> bool:
    if isinstance(tok, ast.DimensionToken) and tok.lower_unit not in UNITS:
        return False
    if prop.startswith("margin") and tok.value < 0:
        return False  # a negative margin pulls the text over what is around the work
    if prop == "z-index":
        return (
            isinstance(tok, ast.NumberToken)
            and tok.is_integer
            and 0 <= tok.int_value <= MAX_Z_INDEX
        )
    return True
