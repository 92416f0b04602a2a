"""Reading files into ParsedWork: every format, AO3 downloads, and hostile input."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from ficarchive.transfer.importers import ImportRejected, import_file, parse_epub
from ficarchive.works.text import decode_text

DATA = Path(__file__).resolve().parents[4] / "shared" / "data"
AO3 = DATA / "ao3-downloads"
needs_data = pytest.mark.skipif(not DATA.is_dir(), reason="../shared/data is absent")


@needs_data
@pytest.mark.parametrize("name", ["218676-incompleteWork.html", "218676-incompleteWork.epub"])
def test_ao3_multichapter_download_keeps_metadata_and_chapters(name):
    """AO3's HTML and EPUB downloads give the same tags, dates, notes and chapters."""
    parsed = import_file(AO3 / name)
    assert parsed.source_format.startswith("ao3-")
    assert parsed.title == "Fire and Feather"
    assert parsed.creators == ["nianeyna"]
    assert parsed.rating == "General Audiences"
    assert parsed.warnings == ["No Archive Warnings Apply"]
    assert parsed.categories == ["Gen"]
    assert parsed.fandoms == ["Valdemar Series - Mercedes Lackey"]
    assert parsed.characters == ["Original Characters"]
    assert parsed.language == "en"
    assert parsed.published_at.date().isoformat() == "2006-07-09"
    assert parsed.revised_at.date().isoformat() == "2007-06-25"
    assert parsed.in_progress and parsed.expected_chapters is None
    assert parsed.source_url == "https://archiveofourown.org/works/218676"
    assert "western border of Jkatha" in parsed.summary
    assert "first fanfic ever" in parsed.notes
    assert "longest published work" in parsed.end_notes
    assert [c.title for c in parsed.chapters] == ["Festival", "Riversong K'Vala", "Conversations"]
    assert "Only one more chapter" in parsed.chapters[1].notes
    assert "so many italics" in parsed.chapters[1].end_notes
    assert "<i>" in parsed.chapters[0].body_html  # emphasis kept
    assert "Yay! My first fanfic!" in parsed.chapters[0].body_html


@needs_data
@pytest.mark.parametrize("name", ["23009290-htmlTest.html", "23009290-epubTest.epub"])
def test_ao3_oneshot_download_keeps_all_tag_kinds(name):
    """A one-shot download keeps relationships, characters, additional tags and its one chapter."""
    parsed = import_file(AO3 / name)
    assert parsed.title == "My Aim Is Steady And True"
    assert parsed.rating == "Teen And Up Audiences"
    assert parsed.warnings == ["Graphic Depictions Of Violence"]
    assert parsed.categories == ["M/M"]
    assert parsed.relationships == ["Honoroit Banlardois/Emmanellain de Fortemps"]
    assert parsed.characters == ["Honoroit Banlardois", "Emmanellain de Fortemps"]
    assert "Hurt/Comfort" in parsed.freeforms and "Id Fic" in parsed.freeforms
    assert len(parsed.chapters) == 1 and parsed.expected_chapters == 1
    assert parsed.chapters[0].body_html.startswith("<p")
    assert "Their contact was late." in parsed.chapters[0].body_html
    assert "Dedicated to everyone" in parsed.end_notes


@needs_data
def test_epub3_chapters_from_spine_and_dublin_core():
    """A plain EPUB 3 gives DC title/creator/language and one chapter per spine document, titled by heading."""
    parsed = parse_epub((DATA / "epub" / "alice.epub").read_bytes())
    assert parsed.title == "Alice's Adventures in Wonderland"
    assert parsed.creators == ["Lewis Carroll"]
    assert parsed.language.startswith("en")
    titles = [c.title for c in parsed.chapters]
    assert "Down The Rabbit-Hole" in titles and "A Mad Tea-Party" in titles


@needs_data
def test_epub2_with_named_entities_and_cyrillic_title():
    """Sigil's EPUB 2 (XHTML DTD, &nbsp;) reads without loading the DTD; Cyrillic kept."""
    parsed = parse_epub((DATA / "epub" / "sample1.epub").read_bytes())
    assert parsed.title == "Sample Book (образец) 1"
    assert len(parsed.chapters) == 3
    assert "Эта секция" in "".join(c.body_html for c in parsed.chapters)


def test_plain_text_title_chapters_scene_breaks_and_emphasis():
    """The first short line is the title; "Chapter N" lines split chapters; *x* and *** kept."""
    text = "The Storm\n\nChapter 1\n\nIt was *dark*.\n\n* * *\n\nThen light.\n\nChapter Two: Morning\n\nThe end came.\n"
    parsed = import_file(text.encode(), "storm.txt")
    assert parsed.title == "The Storm"
    assert [c.title for c in parsed.chapters] == ["", "Morning"]
    assert "<em>dark</em>" in parsed.chapters[0].body_html
    assert "<hr>" in parsed.chapters[0].body_html


def test_plain_text_title_from_filename_when_first_line_is_prose():
    """A first line ending in punctuation is prose: the title comes from the file name."""
    parsed = import_file(b"It was a dark night.\nRain fell.\n", "my_dark_night.txt")
    assert parsed.title == "my dark night"
    assert len(parsed.chapters) == 1


def test_plain_text_roman_numeral_headings():
    """CHAPTER I. / CHAPTER II. headings split chapters."""
    parsed = import_file(b"CHAPTER I.\n\nOne.\n\nCHAPTER II.\n\nTwo.\n", "x.txt")
    assert len(parsed.chapters) == 2


def test_cp1252_and_utf16_text_decode():
    """Windows-1252 smart quotes and UTF-16 (with or without BOM) decode correctly."""
    assert decode_text("“Quoted” — dash".encode("cp1252")) == "“Quoted” — dash"
    assert decode_text("Hello “world”".encode("utf-16")) == "Hello “world”"
    assert decode_text("Hello world again".encode("utf-16-le")) == "Hello world again"
    parsed = import_file("Title\n\nShe said “hi”.\n".encode("cp1252"), "t.txt")
    assert "“hi”" in parsed.chapters[0].body_html


def test_markdown_front_matter_and_chapters():
    """Markdown front matter gives metadata; ## headings split chapters; emphasis kept."""
    md = "---\ntitle: Two Parts\nauthor: Someone\nfandom: Test Fandom\ntags: Fluff, Angst\n---\n\n## One\n\nHello *there*.\n\n## Two\n\nBye.\n"
    parsed = import_file(md.encode(), "x.md")
    assert parsed.title == "Two Parts" and parsed.creators == ["Someone"]
    assert parsed.fandoms == ["Test Fandom"] and parsed.freeforms == ["Fluff", "Angst"]
    assert [c.title for c in parsed.chapters] == ["One", "Two"]
    assert "<em>there</em>" in parsed.chapters[0].body_html


def test_html_splits_on_repeated_headings_and_drops_scripts():
    """An HTML page splits at repeated h2s; its lone h1 is the title; scripts are gone."""
    page = b"<html><head><title>T</title><script>x()</script></head><body><h1>Real Title</h1><h2>Chapter 1: A</h2><p>One <b>bold</b>.</p><h2>Chapter 2: B</h2><p>Two.</p></body></html>"
    parsed = import_file(page, "p.html")
    assert parsed.title == "Real Title"
    assert [c.title for c in parsed.chapters] == ["A", "B"]
    assert "x()" not in "".join(c.body_html for c in parsed.chapters)


def _docx(paragraphs: list[tuple[str, str]], *, macro: bool = False) -> bytes:
    body = "".join(
        f'<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>'
        if style
        else f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"
        for style, text in paragraphs
    )
    ns = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        ctype = (
            "application/vnd.ms-word.document.macroEnabled.main+xml"
            if macro
            else "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
        )
        z.writestr(
            "[Content_Types].xml",
            f'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="{ctype}"/></Types>',
        )
        z.writestr(
            "_rels/.rels",
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
        )
        z.writestr(
            "word/_rels/document.xml.rels",
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>',
        )
        z.writestr(
            "word/styles.xml",
            f'<?xml version="1.0"?><w:styles {ns}><w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/></w:style><w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/></w:style></w:styles>',
        )
        z.writestr(
            "word/document.xml",
            f'<?xml version="1.0"?><w:document {ns}><w:body>{body}</w:body></w:document>',
        )
        if macro:
            z.writestr("word/vbaProject.bin", b"\x00" * 64)
    return buf.getvalue()


def test_docx_headings_become_title_and_chapters():
    """A Word document's Heading 1 is the title and its Heading 2s split chapters."""
    data = _docx(
        [
            ("Heading1", "Docx Tale"),
            ("Heading2", "Chapter 1: Start"),
            ("", "First words."),
            ("Heading2", "Chapter 2: End"),
            ("", "Last words."),
        ]
    )
    parsed = import_file(data, "tale.docx")
    assert parsed.title == "Docx Tale"
    assert [c.title for c in parsed.chapters] == ["Start", "End"]
    assert "Last words." in parsed.chapters[1].body_html


def test_docx_with_macros_is_refused():
    """A macro-enabled Word document is refused with a clear reason."""
    with pytest.raises(ImportRejected, match="macros"):
        import_file(_docx([("", "Hi")], macro=True), "evil.docx")


def test_damaged_docx_is_refused_with_a_reason():
    """A Word document whose styles part is broken XML is refused, naming what failed, not a crash."""
    good = zipfile.ZipFile(io.BytesIO(_docx([("", "Hi")])))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name in good.namelist():
            z.writestr(
                name, "<w:styles><w:style>" if name == "word/styles.xml" else good.read(name)
            )
    with pytest.raises(ImportRejected, match=r"cannot be read \(ExpatError\)"):
        import_file(buf.getvalue(), "broken.docx")


def _epub(
    opf: str, chapter: str = "<html><body><p>Hello.</p></body></html>", extra: dict | None = None
) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("mimetype", "application/epub+zip")
        z.writestr(
            "META-INF/container.xml",
            '<?xml version="1.0"?><container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles><rootfile full-path="content.opf" media-type="application/oebps-package+xml"/></rootfiles></container>',
        )
        z.writestr("content.opf", opf)
        z.writestr("c1.xhtml", chapter)
        for name, value in (extra or {}).items():
            z.writestr(name, value)
    return buf.getvalue()


OPF = '<?xml version="1.0"?>{doctype}<package xmlns="http://www.idpf.org/2007/opf" version="2.0"><metadata xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>{title}</dc:title></metadata><manifest><item id="c1" href="c1.xhtml" media-type="application/xhtml+xml"/></manifest><spine><itemref idref="c1"/></spine></package>'


def test_minimal_epub_reads():
    """A minimal well-formed EPUB 2 gives its title and chapter."""
    parsed = parse_epub(_epub(OPF.format(doctype="", title="Tiny")))
    assert parsed.title == "Tiny" and "Hello." in parsed.chapters[0].body_html


def test_epub_with_xxe_is_refused():
    """An OPF declaring an external entity (XXE) is refused, and no file is read."""
    doctype = '<!DOCTYPE package [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    with pytest.raises(ImportRejected, match="entities"):
        parse_epub(_epub(OPF.format(doctype=doctype, title="&xxe;")))


def test_epub_with_billion_laughs_is_refused():
    """Entity-expansion bombs in a content document are refused."""
    bomb = '<?xml version="1.0"?><!DOCTYPE html [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><html><body><p>&c;&c;&c;</p></body></html>'
    with pytest.raises(ImportRejected, match="entities"):
        parse_epub(_epub(OPF.format(doctype="", title="Bomb"), chapter=bomb))


def test_corrupt_zip_is_refused():
    """A truncated EPUB gives a clear error, not a traceback."""
    data = _epub(OPF.format(doctype="", title="T"))
    with pytest.raises(ImportRejected):
        import_file(data[: len(data) // 2], "broken.epub")
    with pytest.raises(ImportRejected, match="zip"):
        import_file(b"PK\x03\x04 not really a zip", "fake.epub")


def test_zip_bomb_is_refused_before_reading():
    """A member that unpacks 1000:1 is refused from the zip directory, before it is read."""
    data = _epub(OPF.format(doctype="", title="T"), extra={"bomb.xhtml": b"\0" * 50_000_000})
    assert len(data) < 1_000_000
    with pytest.raises(ImportRejected, match="zip bomb|too large|limit"):
        parse_epub(data)


def test_oversize_input_is_refused(settings, tmp_path):
    """A file over FICARCHIVE_MAX_UPLOAD_BYTES is refused without being read."""
    settings.FICARCHIVE_MAX_UPLOAD_BYTES = 1000
    big = tmp_path / "big.txt"
    big.write_bytes(b"word " * 1000)
    with pytest.raises(ImportRejected, match="limit"):
        import_file(big)


def test_unsupported_extension_is_refused():
    """An unknown file type is named in the error."""
    with pytest.raises(ImportRejected, match="unsupported"):
        import_file(b"\x00\x01", "picture.png")
