"""Shared set-up for the download and OPDS tests."""

from __future__ import annotations

import io
import zipfile

from ficarchive.tags.vocabulary import ArchiveWarning, Category, Rating
from ficarchive.testing import make_work
from ficarchive.works.services import ChapterInput, chapter_add

CHAPTER_ONE = (
    "The fog lay thick upon Baker Street when the knock came.\n\n"
    "Holmes did not look up from his *chemicals*.\n\n"
    "* * *\n\n"
    "By noon the client had told us everything, and nothing."
)
CHAPTER_TWO = (
    "<p>The second morning was clear.</p><p>\u201cData,\u201d said Holmes, \u201cdata!\u201d</p>"
)


def make_demo_like_work(author, *, title: str = "The Fog Upon Baker Street", **meta):
    """A two-chapter work with a scene break, tags of every kind, notes and end notes."""
    work = make_work(
        author,
        title=title,
        chapters=[CHAPTER_ONE],
        rating=Rating.TEEN,
        warnings=[ArchiveWarning.NONE_APPLY],
        fandoms=["Sherlock Holmes - Arthur Conan Doyle"],
        categories=[Category.GEN],
        relationships=["Sherlock Holmes & John Watson"],
        characters=["Sherlock Holmes", "John Watson"],
        freeforms=["Fog", "Case Fic"],
        summary="Holmes and Watson and a <em>very</em> foggy morning.",
        notes="Written for the archive's tests.",
        end_notes="Thank you for reading!",
        **meta,
    )
    chapter_add(
        actor=author, work=work, chapter=ChapterInput(body=CHAPTER_TWO, title="Clear Skies")
    )
    work.refresh_from_db()
    return work


def epub_texts(data: bytes) -> dict[str, str]:
    """Every file of an EPUB, decoded (for assertions on its content)."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {name: zf.read(name).decode("utf-8", "replace") for name in zf.namelist()}
