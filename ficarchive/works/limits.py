"""Size limits, in one place: how much text a work, a chapter, a comment or an imported file
may hold. Every door calls these: the posting forms and the API through the works and
feedback services, the importers and eFiction through `transfer.services_import` (before
any file is parsed).

The text limits are AO3's (otwarchive `config/config.yml`: TITLE_MAX 255, SUMMARY_MAX
1250, NOTES_MAX 5000, CONTENT_MAX 510000, COMMENT_MAX 10000, USER_DEFINED_TAGS_MAX 75);
a chapter is measured as AO3 does, in characters of its (sanitized) HTML, and may be
raised with FICARCHIVE_MAX_CHAPTER_CHARS. The byte limits on imported files are ours:
a file is refused before parsing when the text it would unpack to is larger than
FICARCHIVE_MAX_IMPORT_TEXT_BYTES, or an archive unpacks to more than MAX_UNPACK_RATIO
times its own size (a zip bomb: an 82 KB EPUB once became a 6-million-word work).
"""

from __future__ import annotations

import io
import zipfile

from django.conf import settings

TITLE_MAX = 255
SUMMARY_MAX = 1250
NOTES_MAX = 5000
COMMENT_MAX = 10_000
USER_TAGS_MAX = 75  # fandoms, relationships, characters and additional tags together
# Ours: a work planned at more chapters than this is a typo or a probe (AO3 sets none;
# its database column is a 4-byte integer).
EXPECTED_CHAPTERS_MAX = 10_000
# The whole archive's members may unpack to this many times the archive's size; text
# compresses 3-10x, so a real EPUB or DOCX is far below it.
MAX_UNPACK_RATIO = 50
# Below this many unpacked bytes the ratio is not asked (a tiny file of repeated text).
_RATIO_FLOOR = 2 * 1024 * 1024

_ZIP_MAGIC = b"PK\x03\x04"


def chapter_max() -> int:
    """The longest chapter, in characters of sanitized HTML (AO3: 510,000)."""
    return int(getattr(settings, "FICARCHIVE_MAX_CHAPTER_CHARS", 510_000))


def import_text_max() -> int:
    """The most bytes of text one imported file may unpack to (HTML, text, or all the
    members of an EPUB or DOCX together)."""
    return int(getattr(settings, "FICARCHIVE_MAX_IMPORT_TEXT_BYTES", 16 * 1024 * 1024))


def _mb(size: int) -> str:
    return f"{size / 1_048_576:.1f} MB"


def file_size_problem(data: bytes, name: str = "the file") -> str | None:
    """Why this file is too large to parse, in one sentence, or None. Reads only the zip's
    central directory for EPUB and DOCX (no member is inflated)."""
    limit = import_text_max()
    if data[:4] != _ZIP_MAGIC:
        if len(data) > limit:
            return (
                f"{name} is {_mb(len(data))}; a story file may hold at most {_mb(limit)} "
                "of text. Split it into several works."
            )
        return None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError):
        return None  # the parser says what is wrong with it
    if unpacked > limit:
        return (
            f"{name} unpacks to {_mb(unpacked)}; a story file may unpack to at most "
            f"{_mb(limit)}. Split it into several works."
        )
    if unpacked > _RATIO_FLOOR and unpacked > MAX_UNPACK_RATIO * max(1, len(data)):
        return (
            f"{name} unpacks to {unpacked // max(1, len(data))} times its size "
            f"({_mb(unpacked)}), which no real e-book does; it is refused as a zip bomb."
        )
    return None


def user_tags_problem(count: int) -> str | None:
    """The message when a work has more than AO3's 75 user-defined tags, or None."""
    if count > USER_TAGS_MAX:
        return (
            f"A work can have at most {USER_TAGS_MAX} fandom, relationship, character and "
            f"additional tags together; this one has {count}."
        )
    return None
