"""Download formats built from the one rendering: HTML, EPUB, TXT."""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from ficarchive.transfer.downloads import (
    download_build,
    download_bytes,
    download_cached,
    export_revision,
)
from ficarchive.transfer.downloads.document import export_work_load

from .download_helpers import epub_texts, make_demo_like_work

EPUBCHECK = Path("/usr/share/java/epubcheck.jar")


@pytest.fixture
def demo_work(author):
    return make_demo_like_work(author)


@pytest.fixture(autouse=True)
def downloads_root(settings, tmp_path):
    settings.DOWNLOADS_ROOT = tmp_path / "downloads"
    return settings.DOWNLOADS_ROOT


def test_html_has_preface_chapters_and_afterword(demo_work):
    """The HTML download holds the AO3 preface (tags, summary, notes, contents), both chapters and the afterword."""
    html = download_bytes(export_work_load(demo_work), "html").decode()
    assert '<div id="preface">' in html and '<div id="afterword">' in html
    assert "Sherlock Holmes &amp; John Watson" in html
    assert "Holmes and Watson and a <em>very</em> foggy morning." in html
    assert (
        "Written for the archive&#x27;s tests." in html
        or "Written for the archive's tests." in html
    )
    assert "Chapter 2: Clear Skies" in html
    assert "Thank you for reading!" in html
    assert "<hr>" in html  # the scene break survives
    assert 'href="#chapter-2"' in html  # contents
    assert 'by <a rel="author"' in html and ">author</a>" in html


def test_epub_structure_and_metadata(demo_work):
    """The EPUB is EPUB 3 with mimetype first, a nav document and OPF metadata for title, creator, language, tags and summary."""
    data = download_bytes(export_work_load(demo_work), "epub")
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        first = zf.infolist()[0]
        assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED
    files = epub_texts(data)
    opf = etree.fromstring(files["OEBPS/content.opf"].encode())
    ns = {"opf": "http://www.idpf.org/2007/opf", "dc": "http://purl.org/dc/elements/1.1/"}
    assert opf.get("version") == "3.0"
    assert opf.findtext(".//dc:title", namespaces=ns) == demo_work.title
    assert opf.findtext(".//dc:creator", namespaces=ns) == "author"
    assert opf.findtext(".//dc:language", namespaces=ns) == "en"
    subjects = [s.text for s in opf.findall(".//dc:subject", ns)]
    assert {"Fog", "Case Fic", "Sherlock Holmes", "Teen And Up Audiences", "Gen"} <= set(subjects)
    assert "foggy morning" in opf.findtext(".//dc:description", namespaces=ns)
    assert opf.find(".//opf:meta[@property='dcterms:modified']", ns) is not None
    assert "OEBPS/chapter-001.xhtml" in files and "OEBPS/chapter-002.xhtml" in files
    assert 'epub:type="toc"' in files["OEBPS/nav.xhtml"]
    for name, text in files.items():
        if name.endswith(".xhtml"):
            etree.fromstring(text.encode())  # every page is well-formed XML
    assert "afterword.xhtml#endnotes" in files["OEBPS/preface.xhtml"]


def test_epub_cleans_obsolete_markup_and_remote_images(author):
    """Obsolete author markup (center, align, tt) becomes classes, remote images become links, dead anchors lose href."""
    from ficarchive.testing import make_work

    body = (
        '<center>Centered</center><p align="right">Right <tt>mono</tt> '
        '<a href="#nowhere">dead</a></p><p><img src="https://example.org/a.png" alt="A map"></p>'
    )
    work = make_work(author, chapters=[body])
    files = epub_texts(download_bytes(export_work_load(work), "epub"))
    page = files["OEBPS/chapter-001.xhtml"]
    assert "<center" not in page and 'class="center"' in page
    assert "align=" not in page and "align-right" in page
    assert "<img" not in page and 'href="https://example.org/a.png"' in page and "[A map]" in page
    assert 'href="#nowhere"' not in page


@pytest.mark.skipif(
    not (EPUBCHECK.exists() and shutil.which("java")), reason="epubcheck is not installed"
)
def test_epub_passes_epubcheck(demo_work, tmp_path):
    """The EPUB passes epubcheck with no errors or warnings."""
    path = tmp_path / "work.epub"
    path.write_bytes(download_bytes(export_work_load(demo_work), "epub"))
    result = subprocess.run(
        ["java", "-jar", str(EPUBCHECK), str(path)], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNING" not in result.stdout + result.stderr


@pytest.mark.parametrize(
    ("language", "direction"), [("ar", "rtl"), ("fa-IR", "rtl"), ("en", "ltr")]
)
def test_downloads_carry_the_works_text_direction(author, tmp_path, language, direction):
    """A work in a right-to-left language (Arabic, Persian ...) reads right to left in its
    downloads: ``dir="rtl"`` on every page (``lang`` alone sets no direction) and, in the
    EPUB, pages that turn right to left (EPUB 3 ``page-progression-direction``); a
    left-to-right work says ``dir="ltr"`` and sets no progression."""
    from ficarchive.testing import make_work

    work = make_work(author, title="حكاية", chapters=("كان يا ما كان.",), language=language)
    export = export_work_load(work)
    html = download_bytes(export, "html").decode()
    assert f'dir="{direction}"' in html.split(">", 2)[1]  # the <html> element
    files = epub_texts(download_bytes(export, "epub"))
    opf = etree.fromstring(files["OEBPS/content.opf"].encode())
    spine = opf.find("{http://www.idpf.org/2007/opf}spine")
    expected = "rtl" if direction == "rtl" else None
    assert spine.get("page-progression-direction") == expected
    pages = [t for name, t in files.items() if name.endswith(".xhtml")]
    assert pages and all(etree.fromstring(t.encode()).get("dir") == direction for t in pages)
    if direction == "rtl" and EPUBCHECK.exists() and shutil.which("java"):
        path = tmp_path / "work.epub"
        path.write_bytes(download_bytes(export, "epub"))
        result = subprocess.run(
            ["java", "-jar", str(EPUBCHECK), str(path)], capture_output=True, text=True, timeout=120
        )
        assert result.returncode == 0, result.stdout + result.stderr


def test_txt_has_text_and_scene_break(demo_work):
    """The plain-text download has the title, the chapters' paragraphs and the scene break."""
    text = download_bytes(export_work_load(demo_work), "txt").decode()
    assert text.splitlines()[0].startswith(demo_work.title) or demo_work.title in text[:200]
    assert "Holmes did not look up from his chemicals." in text
    assert "* * *" in text
    assert "\u201cData,\u201d said Holmes, \u201cdata!\u201d" in text
    assert "<p>" not in text


@pytest.mark.parametrize("fmt", ["html", "epub", "txt"])
def test_anonymous_creator_absent(db, fmt):
    """An anonymous work's creator name appears nowhere in the file; the byline says Anonymous."""
    from ficarchive.testing import make_user

    writer = make_user("zelda_quill")
    work = make_demo_like_work(writer, anonymous=True)
    data = download_bytes(export_work_load(work), fmt)
    blob = "".join(epub_texts(data).values()).encode() if fmt == "epub" else data
    assert b"zelda_quill" not in blob.lower()
    assert b"Anonymous" in blob


def test_a_new_download_layout_rebuilds_cached_files(demo_work, monkeypatch):
    """Files cached under an earlier download layout are not served after an upgrade
    that changes it (``LAYOUT_VERSION``): the revision changes, the cache misses."""
    from ficarchive.transfer.downloads import document

    download_build(demo_work, "epub")
    before = export_revision(demo_work)
    assert download_cached(demo_work, "epub") is not None
    monkeypatch.setattr(document, "LAYOUT_VERSION", document.LAYOUT_VERSION + 1)
    assert export_revision(demo_work) != before
    assert download_cached(demo_work, "epub") is None


def test_cache_is_reused_and_invalidated_on_edit(demo_work, author, downloads_root):
    """A built file is served from the cache until the work is edited; the edit makes a new file and deletes the old."""
    from ficarchive.works.services import ChapterInput, chapter_update

    first = download_build(demo_work, "epub")
    assert download_cached(demo_work, "epub") == first
    old_revision = export_revision(demo_work)
    chapter = demo_work.chapters.get(position=2)
    chapter_update(
        actor=author,
        chapter=chapter,
        data=ChapterInput(body="<p>Rewritten entirely.</p>", title="New"),
    )
    demo_work.refresh_from_db()
    assert export_revision(demo_work) != old_revision
    assert download_cached(demo_work, "epub") is None
    second = download_build(demo_work, "epub")
    assert second != first and not first.exists()
    assert "Rewritten entirely." in epub_texts(second.read_bytes())["OEBPS/chapter-002.xhtml"]


def test_orphaning_changes_the_revision(demo_work, author):
    """Orphaning a work (which changes no work field) still gives its downloads a new revision."""
    from ficarchive.works.services import work_orphan

    before = export_revision(demo_work)
    work_orphan(actor=author, work=demo_work)
    assert export_revision(demo_work) != before
