"""AZW3, MOBI and PDF through Calibre's ebook-convert (slow: one conversion per format)."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from ficarchive.testing import make_user
from ficarchive.transfer.downloads import download_bytes
from ficarchive.transfer.downloads.calibre import ConversionError, convert_epub
from ficarchive.transfer.downloads.document import export_work_load

from .download_helpers import make_demo_like_work

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        shutil.which("ebook-convert") is None, reason="Calibre's ebook-convert is not installed"
    ),
]


@pytest.fixture
def anonymous_work(db):
    return make_demo_like_work(make_user("zelda_quill"), anonymous=True)


def test_pdf_has_text_and_hides_anonymous_creator(anonymous_work, tmp_path):
    """The PDF holds the chapters' text and the word Anonymous, never the anonymous creator's name."""
    data = download_bytes(export_work_load(anonymous_work), "pdf")
    assert data.startswith(b"%PDF")
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext is not installed")
    path = tmp_path / "work.pdf"
    path.write_bytes(data)
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Baker Street" in text and "Clear Skies" in text
    assert "Anonymous" in text
    assert "zelda_quill" not in text.lower()


@pytest.mark.parametrize(
    ("fmt", "magic_at", "magic"), [("azw3", 60, b"BOOKMOBI"), ("mobi", 60, b"BOOKMOBI")]
)
def test_kindle_formats(anonymous_work, fmt, magic_at, magic):
    """AZW3 and MOBI come out as Mobipocket containers without the anonymous creator's name."""
    data = download_bytes(export_work_load(anonymous_work), fmt)
    assert data[magic_at : magic_at + len(magic)] == magic
    assert b"zelda_quill" not in data.lower()


def test_broken_input_gives_a_clear_error(db):
    """A conversion that fails raises ConversionError with a one-line reason."""
    with pytest.raises(ConversionError, match="Calibre could not make the PDF"):
        convert_epub(b"not an epub", "pdf", title="Broken", timeout=120)
