"""Round trip: every demo work exported to EPUB and imported back keeps its text, chapters,
titles and tags."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command

from ficarchive.transfer.downloads import download_bytes
from ficarchive.transfer.downloads.document import export_chapters, export_work_load
from ficarchive.works.models import Work
from ficarchive.works.text import html_to_text

importers = pytest.importorskip("ficarchive.transfer.importers")


def paragraphs(fragment: str) -> list[str]:
    """The text of each block, whitespace collapsed, empty ones and scene breaks dropped."""
    return [
        " ".join(block.split())
        for block in re.split(r"\n\s*\n", html_to_text(fragment))
        if block.strip()
    ]


def _tags(work: Work) -> dict[str, list[str]]:
    return {
        "rating": [work.rating],
        "warnings": sorted(t.name for t in work.warnings),
        "categories": sorted(t.name for t in work.categories),
        "fandoms": sorted(t.name for t in work.fandoms),
        "relationships": sorted(t.name for t in work.relationships),
        "characters": sorted(t.name for t in work.characters),
        "freeforms": sorted(t.name for t in work.freeforms),
    }


def _parsed_tags(parsed) -> dict[str, list[str]]:
    return {
        "rating": [parsed.rating],
        "warnings": sorted(parsed.warnings),
        "categories": sorted(parsed.categories),
        "fandoms": sorted(parsed.fandoms),
        "relationships": sorted(parsed.relationships),
        "characters": sorted(parsed.characters),
        "freeforms": sorted(parsed.freeforms),
    }


@pytest.fixture
def demo_works(db, settings, tmp_path):
    settings.DOWNLOADS_ROOT = tmp_path / "downloads"
    call_command("demo", verbosity=0)
    works = list(Work.objects.prefetch_related("taggings__tag").order_by("pk"))
    assert works, "the demo command loaded no works"
    return works


def test_every_demo_work_survives_epub_round_trip(demo_works):
    """Exported to EPUB and parsed back, each demo work has the same title, chapters, chapter titles, paragraphs and tags."""
    for work in demo_works:
        data = download_bytes(export_work_load(work), "epub")
        parsed = importers.parse_epub(data)
        chapters = export_chapters(work)
        label = f"work {work.pk} {work.title!r}"
        assert parsed.title == work.title, label
        assert len(parsed.chapters) == len(chapters), label
        for original, back in zip(chapters, parsed.chapters, strict=True):
            assert back.title == original.title, f"{label} chapter {original.position}"
            assert paragraphs(back.body_html) == paragraphs(original.body), (
                f"{label} chapter {original.position}"
            )
        assert _parsed_tags(parsed) == _tags(work), label


def test_round_trip_of_multi_chapter_work_with_notes(author):
    """A two-chapter work with a scene break, notes and tags round-trips the same way."""
    from .download_helpers import make_demo_like_work

    work = make_demo_like_work(author)
    parsed = importers.parse_epub(download_bytes(export_work_load(work), "epub"))
    chapters = export_chapters(work)
    assert [c.title for c in parsed.chapters] == [c.title for c in chapters]
    for original, back in zip(chapters, parsed.chapters, strict=True):
        assert paragraphs(back.body_html) == paragraphs(original.body)
    assert _parsed_tags(parsed) == _tags(work)
    assert "foggy morning" in parsed.summary
    assert parsed.end_notes and "Thank you for reading!" in parsed.end_notes
