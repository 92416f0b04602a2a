"""Search snippets: a short passage of each work around the first query word."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

from django.utils.safestring import SafeString, mark_safe

from ficarchive.works.models import Chapter, Work

from .engine import html_text
from .tokens import is_by_character

SNIPPET_WORDS = 36
SNIPPET_CHARS = 240


def make_snippets(works: Sequence[Work], words: Sequence[str]) -> dict[int, SafeString]:
    """Work id → a passage around the first query word (summary first, then the posted
    chapters), words marked with <mark>. Made here rather than by the full-text engine so
    both databases show the same snippet. Works where no word is found have none."""
    if not words or not works:
        return {}
    pattern = re.compile(
        "(" + "|".join(_bounded(w) for w in sorted(words, key=len, reverse=True)) + ")",
        re.IGNORECASE,
    )
    found: dict[int, SafeString] = {}
    pending = []
    for work in works:
        snippet = _snippet(html_text(work.summary), pattern)
        if snippet:
            found[work.pk] = snippet
        else:
            pending.append(work.pk)
    if pending:
        bodies = (
            Chapter.objects.filter(work_id__in=pending, posted=True)
            .order_by("work_id", "position")
            .values_list("work_id", "body")
        )
        for work_id, body in bodies:
            if work_id in found:
                continue
            snippet = _snippet(html_text(body), pattern)
            if snippet:
                found[work_id] = snippet
    return found


def _bounded(word: str) -> str:
    """The word as a pattern matching whole words only; an edge in Chinese, Japanese or
    Thai, whose words touch their neighbours, needs no boundary (tokens.py)."""
    before = "" if is_by_character(word[:1]) else r"(?<![^\W_])"
    after = "" if is_by_character(word[-1:]) else r"(?![^\W_])"
    return before + re.escape(word) + after


def _snippet(text: str, pattern: re.Pattern[str]) -> SafeString | None:
    match = pattern.search(text)
    if not match:
        return None
    before = text[: match.start()].split()
    after = text[match.start() :].split()
    lead = before[-(SNIPPET_WORDS // 3) :]
    tail = after[: SNIPPET_WORDS - len(lead)]
    passage = " ".join(lead + tail)
    prefix = "… " if len(before) > len(lead) else ""
    suffix = " …" if len(after) > len(tail) else ""
    if len(passage) > SNIPPET_CHARS:
        # Scripts without spaces (Chinese, Japanese, Thai) have no words to count: cut
        # by characters around the match instead.
        start = max(0, match.start() - SNIPPET_CHARS // 4)
        end = min(len(text), start + SNIPPET_CHARS)
        passage = text[start:end]
        prefix, suffix = ("… " if start else ""), (" …" if end < len(text) else "")
    escaped = html.escape(passage, quote=False)
    marked = pattern.sub(lambda m: f"<mark>{m.group(0)}</mark>", escaped)
    return mark_safe(prefix + marked + suffix)  # noqa: S308 - escaped above
