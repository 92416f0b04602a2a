"""Files from real tools (issue 12, kind 8): word processors' HTML, ODT, RTF, DOCX
footnotes, FanFicFare's table-layout title page and multi-paragraph summaries; and bad
input refused with one line (kinds 1-3)."""

from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path

import pytest

from ficarchive.transfer.importers import ImportRejected, import_file

FIXTURES = Path(__file__).parent / "importers" / "fixtures"
W = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
)


def _para(text: str, style: str = "", note: int = 0) -> str:
    ppr = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
    ref = f'<w:r><w:footnoteReference w:id="{note}"/></w:r>' if note else ""
    return f'<w:p>{ppr}<w:r><w:t xml:space="preserve">{text}</w:t></w:r>{ref}</w:p>'


def _docx_with_footnotes() -> bytes:
    body = "".join(
        [
            _para("Chapter One: Fog", "Heading1"),
            _para("The fog came in.", note=1),
            _para("Chapter Two: Clear", "Heading1"),
            _para("By dawn the fog had lifted.", note=2),
        ]
    )
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    pkg = "http://schemas.openxmlformats.org/package/2006"
    main = "application/vnd.openxmlformats-officedocument.wordprocessingml"
    files = {
        "[Content_Types].xml": f'<?xml version="1.0"?><Types xmlns="{pkg}/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/word/document.xml" ContentType="{main}.document.main+xml"/>'
        f'<Override PartName="/word/footnotes.xml" ContentType="{main}.footnotes+xml"/>'
        f'<Override PartName="/word/styles.xml" ContentType="{main}.styles+xml"/></Types>',
        "_rels/.rels": f'<?xml version="1.0"?><Relationships xmlns="{pkg}/relationships">'
        f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="word/document.xml"/>'
        "</Relationships>",
        "word/_rels/document.xml.rels": f'<?xml version="1.0"?><Relationships xmlns="{pkg}/relationships">'
        f'<Relationship Id="rId1" Type="{rel}/footnotes" Target="footnotes.xml"/>'
        f'<Relationship Id="rId2" Type="{rel}/styles" Target="styles.xml"/></Relationships>',
        "word/document.xml": f'<?xml version="1.0"?><w:document {W}><w:body>{body}</w:body></w:document>',
        "word/footnotes.xml": f'<?xml version="1.0"?><w:footnotes {W}>'
        '<w:footnote w:id="1"><w:p><w:r><w:t>Fog is weather.</w:t></w:r></w:p></w:footnote>'
        '<w:footnote w:id="2"><w:p><w:r><w:t>Dawn is morning.</w:t></w:r></w:p></w:footnote>'
        "</w:footnotes>",
        "word/styles.xml": f'<?xml version="1.0"?><w:styles {W}><w:style w:type="paragraph" '
        'w:styleId="Heading1"><w:name w:val="heading 1"/></w:style></w:styles>',
    }
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, text in files.items():
            z.writestr(name, text)
    return buf.getvalue()


def test_docx_footnotes_stay_with_their_chapter():
    """Each chapter ends with its own footnotes, linked both ways by named anchors."""
    parsed = import_file(_docx_with_footnotes(), "notes.docx")
    one, two = (c.body_html for c in parsed.chapters)
    assert "Fog is weather." in one and "Dawn is morning." not in one
    assert "Dawn is morning." in two and "Fog is weather." not in two
    assert 'href="#footnote-1"' in one and 'name="footnote-1"' in one
    assert 'name="footnote-ref-1"' in one and 'href="#footnote-ref-1"' in one
    assert " id=" not in one


def _odt() -> bytes:
    from odf import dc
    from odf.opendocument import OpenDocumentText
    from odf.style import Style, TextProperties
    from odf.text import H, P, Span

    doc = OpenDocumentText()
    italic = Style(name="Em", family="text")
    italic.addElement(TextProperties(fontstyle="italic"))
    doc.automaticstyles.addElement(italic)
    doc.meta.addElement(dc.Title(text="Harbour Notes"))
    doc.meta.addElement(dc.Creator(text="Élodie Marchetti"))
    doc.text.addElement(H(outlinelevel=1, text="Chapter One: Fog"))
    p = P(text="The fog came. ")
    p.addElement(Span(stylename=italic, text="Not again,"))
    p.addText(" she thought.")
    doc.text.addElement(p)
    doc.text.addElement(H(outlinelevel=1, text="Chapter Two: Clear"))
    doc.text.addElement(P(text="By dawn the fog had lifted."))
    buf = io.BytesIO()
    doc.write(buf)
    return buf.getvalue()


def test_odt_imports_with_title_author_chapters_and_emphasis():
    """A LibreOffice document: meta title and author, chapters at headings, italics."""
    parsed = import_file(_odt(), "harbour.odt")
    assert parsed.source_format == "odt"
    assert parsed.title == "Harbour Notes" and parsed.creators == ["Élodie Marchetti"]
    assert [c.title for c in parsed.chapters] == ["Fog", "Clear"]
    assert "<em>Not again,</em>" in parsed.chapters[0].body_html


@pytest.mark.skipif(shutil.which("ebook-convert") is None, reason="Calibre is not installed")
def test_rtf_imports_through_calibre():
    """An RTF document: its \\info title and author, chapters at chapter-heading
    paragraphs, italics, bold and strike-through from the converted style sheet."""
    parsed = import_file(FIXTURES / "harbour.rtf")
    assert parsed.source_format == "rtf"
    assert parsed.title == "Harbour RTF" and parsed.creators == ["Zoë Mercer"]
    assert [c.title for c in parsed.chapters] == ["Fog", "Clear"]
    body = parsed.chapters[0].body_html
    assert "<em>Not again,</em>" in body and "<strong>LOUD</strong>" in body
    assert "<s>three</s>" in body
    assert "Café" in parsed.chapters[1].body_html


def test_word_and_libreoffice_html_inline_styles_become_emphasis():
    """Word's "Save as Web Page": emphasis in style attributes, a MsoTitle paragraph, an
    "Untitled" head title."""
    page = (
        "<html><head><title>Untitled document</title></head><body>"
        '<p class="MsoTitle">Salt and Stone</p>'
        "<p class=MsoNormal>She said <span style='font-style:italic'>never</span> and "
        "<span style='font-weight:700'>meant</span> it.</p></body></html>"
    )
    parsed = import_file(page.encode(), "Document1.htm")
    assert parsed.title == "Salt and Stone"
    body = parsed.chapters[0].body_html
    assert "<em>never</em>" in body and "<strong>meant</strong>" in body


def test_html_without_title_takes_the_file_name_not_untitled():
    """No title anywhere: the file name, never "Untitled"."""
    parsed = import_file(b"<html><body><p>Words here.</p></body></html>", "the_quiet_light.html")
    assert parsed.title == "the quiet light"


def _fff_epub(title_page: str) -> bytes:
    opf = (
        '<?xml version="1.0"?><package xmlns="http://www.idpf.org/2007/opf" version="2.0">'
        '<metadata xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>Tide</dc:title>'
        "<dc:contributor>FanFicFare [https://github.com/JimmXinu/FanFicFare]</dc:contributor>"
        '</metadata><manifest><item id="title_page" href="title_page.xhtml" '
        'media-type="application/xhtml+xml"/><item id="file0001" href="file0001.xhtml" '
        'media-type="application/xhtml+xml"/></manifest><spine><itemref idref="title_page"/>'
        '<itemref idref="file0001"/></spine></package>'
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("mimetype", "application/epub+zip")
        z.writestr(
            "META-INF/container.xml",
            '<?xml version="1.0"?><container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">'
            '<rootfiles><rootfile full-path="content.opf" media-type="application/oebps-package+xml"/>'
            "</rootfiles></container>",
        )
        z.writestr("content.opf", opf)
        z.writestr("title_page.xhtml", title_page)
        z.writestr(
            "file0001.xhtml",
            "<html><body><h3>Chapter 1</h3><p>The tide came in twice.</p></body></html>",
        )
    return buf.getvalue()


def test_fanficfare_table_layout_title_page_reads_like_the_default():
    """FanFicFare's table-layout title page gives the same metadata, and the summary
    keeps its two paragraphs."""
    page = (
        '<html><body><h3><a href="https://example.org/s/1">Tide</a> by '
        '<a href="https://example.org/u/2">Wren</a></h3><table class="full">'
        "<tr><td><b>Author:</b></td><td>Wren</td></tr>"
        "<tr><td><b>Rating:</b></td><td>Teen And Up Audiences</td></tr>"
        "<tr><td><b>Characters:</b></td><td>Mara, Odile</td></tr>"
        "<tr><td><b>Summary:</b></td><td><p>First paragraph.</p><p>Second paragraph.</p></td></tr>"
        "</table></body></html>"
    )
    parsed = import_file(_fff_epub(page), "tide.epub")
    assert parsed.title == "Tide" and parsed.creators == ["Wren"]
    assert parsed.rating == "Teen And Up Audiences"
    assert parsed.characters == ["Mara", "Odile"]
    assert "<p>First paragraph.</p>" in parsed.summary
    assert "<p>Second paragraph.</p>" in parsed.summary


def test_fanficfare_default_layout_summary_keeps_paragraphs():
    """In the default layout a summary with paragraphs keeps them too."""
    page = (
        '<html><body><h3><a href="https://example.org/s/1">Tide</a></h3>'
        "<b>Rating:</b> Mature<br/><b>Summary:</b> <p>One.</p><p>Two.</p><br/>"
        "<b>Status:</b> In-Progress<br/></body></html>"
    )
    parsed = import_file(_fff_epub(page), "tide.epub")
    assert parsed.rating == "Mature" and parsed.in_progress
    assert "<p>One.</p>" in parsed.summary and "<p>Two.</p>" in parsed.summary


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (b"\x00\x01\x02\x1a\x0b", "junk.txt"),
        (b"PK\x03\x04garbage", "broken.odt"),
        (b"<html><body>\x00\x01</body></html>", "empty.html"),
        ("<p>Hello</p>".encode("utf-16"), "utf16.docx"),
    ],
)
def test_bad_files_are_refused_with_one_line(data, name):
    """Broken files: ImportRejected with one line, never a library's exception."""
    with pytest.raises(ImportRejected) as exc:
        import_file(data, name)
    assert "\n" not in str(exc.value) and str(exc.value)


def test_html_with_control_characters_imports():
    """A page with form feeds and stray C0 bytes imports; they never reach lxml."""
    parsed = import_file(b"<html><body><p>One\x0ctwo\x01 three.</p></body></html>", "c.html")
    assert "One" in parsed.chapters[0].body_html and "\x01" not in parsed.chapters[0].body_html


@pytest.mark.django_db
def test_bidi_override_in_an_imported_title_is_dropped_and_refused_when_typed(author):
    """Imported titles lose controls and bidi overrides (the work still comes in); a
    typed title holding one is refused; joiners stay in both."""
    from django.core.exceptions import ValidationError

    from ficarchive.testing import make_work
    from ficarchive.transfer.services_import import file_import, importer_account

    page = "<html><head><title>Safe\u202e Title \U0001f469\u200d\U0001f467</title></head><body><p>Text.</p></body></html>"
    work = file_import(
        actor=importer_account(), path_or_bytes=page.encode(), filename="t.html"
    ).work
    assert work.title == "Safe Title \U0001f469\u200d\U0001f467"
    with pytest.raises(ValidationError, match="U\\+202E"):
        make_work(author, title="Evil\u202eTitle")


@pytest.mark.django_db
def test_a_bad_tag_is_dropped_with_a_notice_and_the_work_still_imports():
    """A tag of nothing but forbidden characters is dropped (noticed); a tag holding a
    bidi override is repaired (noticed); the ZWNJ tag and the work come in."""
    from ficarchive.transfer.importers.base import ParsedChapter, ParsedWork
    from ficarchive.transfer.services_import import importer_account, work_import

    parsed = ParsedWork(
        title="Tags",
        freeforms=["***", "Bad\u202eTag", "داستان\u200cها"],
        chapters=[ParsedChapter(body_html="<p>Text.</p>")],
    )
    result = work_import(actor=importer_account(), parsed=parsed)
    names = sorted(t.name for t in result.work.tags.all() if t.kind == "freeform")
    assert names == sorted(["BadTag", "داستان\u200cها"])
    assert any("'***'" in n and "dropped" in n for n in result.notices)
    assert any("BadTag" in n for n in result.notices)


def test_binary_data_named_as_text_is_refused():
    """Random bytes called .html or .md are refused as not text, not imported as noise."""
    import random

    noise = random.Random(12).randbytes(4000)
    for name in ("noise.html", "noise.md", "noise.txt"):
        with pytest.raises(ImportRejected, match="is not text"):
            import_file(noise, name)


@pytest.mark.django_db
def test_efiction_errors_name_the_dump(tmp_path):
    """import-efiction's one-line errors name the file."""
    from django.core.management import CommandError, call_command

    dump = tmp_path / "notadump.sql"
    dump.write_text("hello, this is not SQL")
    with pytest.raises(CommandError, match="notadump.sql: "):
        call_command("import_efiction", str(dump), stderr=io.StringIO())
