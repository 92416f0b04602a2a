"""Files made the way real writers and old archives make them (../shared/data/real-world,
its README says what each must give), imported end to end through the service."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command

from ficarchive.tags.models import Tag
from ficarchive.transfer.importers import import_file
from ficarchive.transfer.services_import import file_import, importer_account
from ficarchive.works.models import Chapter

REAL = Path(__file__).resolve().parents[4] / "shared" / "data" / "real-world"
needs_data = pytest.mark.skipif(not REAL.is_dir(), reason="../shared/data/real-world is absent")
pytestmark = [needs_data, pytest.mark.django_db]


def _import(name: str):
    return file_import(actor=importer_account(), path_or_bytes=REAL / name).work


def _stored_text(work) -> str:
    parts = [work.title, work.summary]
    for chapter in Chapter.objects.filter(work=work):
        parts += [chapter.title, chapter.body]
    return "".join(parts)


def test_format_characters_kept_in_tags_and_title():
    """ZWNJ in a Persian tag and ZWJ emoji in tags and title are kept as written."""
    work = _import("01-zwj-zwnj-tags-and-title.html")
    assert work.title == "Family 👩\u200d👩\u200d👧 Night"
    names = set(Tag.objects.filter(taggings__work=work).values_list("name", flat=True))
    assert {"داستان\u200cهای عاشقانه", "🏳️\u200d🌈 Pride Month", "Found Family"} <= names
    assert "\u200d" in _stored_text(work)


def test_control_characters_become_breaks():
    """Vertical tab, form feed and Ctrl-Z: breaks or nothing, never U+FFFD or a control."""
    work = _import("02-control-chars-formfeed.txt")
    text = _stored_text(work)
    assert "\ufffd" not in text
    assert not any(ord(ch) < 32 and ch not in "\n\t" for ch in text)
    bodies = [c.body for c in Chapter.objects.filter(work=work).order_by("position")]
    assert len(bodies) == 2
    assert "<br>The second followed at seven." in bodies[0]
    assert work.title == "The Lantern Keeper"


def test_mixed_encodings_repaired_and_found_by_search():
    """One Windows-1252 line in a UTF-8 file: both read right, and search finds it."""
    work = _import("06-mixed-utf8-cp1252.txt")
    assert work.title == "Café Crème"
    assert "Renée ordered a café crème — “the usual”" in _stored_text(work)
    out = io.StringIO()
    call_command("search", "Renée", "--json", stdout=out)
    assert [json.loads(line)["id"] for line in out.getvalue().splitlines()] == [work.pk]


def test_epub3_nav_titles_win_over_stale_ncx():
    """Sigil's EPUB 3: chapter titles from the navigation document, not the stale NCX."""
    parsed = import_file(REAL / "09-epub3-nav-toc-stale-ncx.epub")
    assert [c.title for c in parsed.chapters] == [
        "I. The Keeper",
        "II. The Sailor",
        "III. The Spring",
    ]


@pytest.mark.parametrize(
    ("name", "words"), [("11-wordcount-thai.md", 25), ("11-wordcount-hindi.md", 9)]
)
def test_word_counts_by_ao3_rule(name, words):
    """Thai counts each character; Hindi words keep their vowel signs."""
    assert _import(name).word_count == words


def test_google_docs_page_keeps_emphasis_title_and_links():
    """Google Docs' CSS-class emphasis, Title paragraph, chapters and redirect links."""
    work = _import("12-google-docs-export-css-italics.html")
    assert work.title == "The Quiet Light"
    chapters = list(Chapter.objects.filter(work=work).order_by("position"))
    assert [c.title for c in chapters] == ["Fog", "Clear"]
    body = "".join(c.body for c in chapters)
    assert "<em>Not again,</em>" in body and "<em>There you are,</em>" in body
    assert "<strong>NO SHIPS EXPECTED</strong>" in body
    assert "<strong><em>but one came</em></strong>" in body
    assert "<s>three</s>" in body
    assert 'href="https://example.org/harbour-map"' in body
    assert "google.com/url" not in body


def test_google_docs_zipped_download_reads_like_the_page():
    """Google Docs' web-page download comes zipped with its images: the page inside is
    read the same, its title from the Title paragraph."""
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr(
            "TheQuietLight.html", (REAL / "12-google-docs-export-css-italics.html").read_bytes()
        )
        z.writestr("images/image1.png", b"\x89PNG not really")
    parsed = import_file(buf.getvalue(), "TheQuietLight.zip")
    assert parsed.title == "The Quiet Light"
    assert [c.title for c in parsed.chapters] == ["Fog", "Clear"]
    assert "<em>Not again,</em>" in parsed.chapters[0].body_html
