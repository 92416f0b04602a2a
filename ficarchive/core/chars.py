"""Which characters a name (tag, pseud, user name, title) may hold, for every script.

Unicode *format* characters are part of real words: the zero-width non-joiner (U+200C)
and joiner (U+200D) in Persian, Urdu and Indic words and in emoji sequences (🏳️‍🌈,
👩‍👩‍👧), the word joiner (U+2060), the direction marks (U+200E, U+200F, U+061C), variation
selectors and emoji tag characters (🏴󠁧󠁢󠁳󠁣󠁴󠁿). They are kept, as AO3 keeps them.

Refused (UNSAFE_RE), because they change how *other* text is shown or hide what a name
says (Unicode Technical Report #36, and the "Trojan Source" bidi attacks, CVE-2021-42574):
C0 and C1 control characters and DEL, line and paragraph separators, the bidi
embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069), the zero-width space
and byte-order mark (invisible; they make look-alike names), the deprecated format
characters U+206A-U+206F, interlinear annotations U+FFF9-U+FFFB, noncharacters and lone
surrogates."""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING

import regex
from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible

if TYPE_CHECKING:  # django-stubs, installed with the dev tools only
    from django_stubs_ext import StrOrPromise

UNSAFE_RE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b\u2028\u2029\u202a-\u202e\u2066-\u206f"
    "\ufeff\ufff9-\ufffb\ufdd0-\ufdef\ufffe\uffff\ud800-\udfff]"
)


def unsafe_chars(name: str) -> list[str]:
    """The characters of UNSAFE_RE in name, each once, as "U+XXXX" strings (for messages)."""
    seen: list[str] = []
    for ch in UNSAFE_RE.findall(name.replace("\t", " ").replace("\n", " ").replace("\r", " ")):
        code = f"U+{ord(ch):04X}"
        if code not in seen:
            seen.append(code)
    return seen


def name_tidy(name: str) -> str:
    """A name in NFC (so a decomposed "Zoë" and a composed one are the same name, while
    "Zoë" and "Zoé" stay two), runs of white space as one space, ends stripped."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", name)).strip()


def name_repair(raw: str) -> str:
    """name_tidy after dropping the characters of UNSAFE_RE (controls become spaces)."""
    return name_tidy(UNSAFE_RE.sub(lambda m: " " if m.group() < "\x20" else "", raw))


@deconstructible
class UnicodeNameValidator:
    """A name validator with the `regex` library's Unicode classes (\\p{L} letters,
    \\p{M} combining marks, \\p{N} digits), which Python's `re` lacks; the name is
    checked in NFC. Raises ValidationError(message, code="invalid")."""

    def __init__(self, pattern: str, message: StrOrPromise) -> None:
        self.pattern = pattern
        self.message = message
        self._re = regex.compile(pattern)

    def __call__(self, value: str) -> None:
        if not self._re.match(unicodedata.normalize("NFC", str(value))) or unsafe_chars(value):
            raise ValidationError(self.message, code="invalid")

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, UnicodeNameValidator)
            and other.pattern == self.pattern
            and other.message == self.message
        )

    def __hash__(self) -> int:
        return hash((self.pattern, self.message))
