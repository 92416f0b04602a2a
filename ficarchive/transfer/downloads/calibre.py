"""AZW3, MOBI and PDF through Calibre's `ebook-convert`, from our EPUB (as AO3 does)."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from django.conf import settings

CALIBRE_FORMATS = {"azw3", "mobi", "pdf"}


class ConversionError(Exception):
    """Calibre is missing, failed, or took too long; the message says which."""


def ebook_convert_path() -> str | None:
    return shutil.which(getattr(settings, "FICARCHIVE_EBOOK_CONVERT", "ebook-convert"))


def calibre_available() -> bool:
    return ebook_convert_path() is not None


def convert_epub(epub: bytes, fmt: str, *, title: str, timeout: int | None = None) -> bytes:
    """Convert EPUB bytes to fmt with ebook-convert; raises ConversionError."""
    if fmt not in CALIBRE_FORMATS:
        raise ConversionError(f"Calibre does not make {fmt} downloads here.")
    binary = ebook_convert_path()
    if binary is None:
        raise ConversionError(
            f"{fmt.upper()} downloads need Calibre's ebook-convert, which is not installed on this server."
        )
    timeout = timeout or getattr(settings, "FICARCHIVE_CONVERT_TIMEOUT", 600)
    env = dict(os.environ)
    # Calibre's PDF output runs Qt WebEngine: headless, and without Chromium's sandbox
    # (which refuses to start as root, as in containers).
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", "--no-sandbox")
    with tempfile.TemporaryDirectory(prefix="ficarchive-convert-") as tmp:
        source = Path(tmp) / "work.epub"
        target = Path(tmp) / f"work.{fmt}"
        source.write_bytes(epub)
        args = [binary, str(source), str(target)]
        if fmt == "pdf":
            args += [
                "--pdf-page-numbers",
                "--paper-size",
                "a5",
                "--pdf-default-font-size",
                "14",
                "--title",
                title,
            ]
        try:
            result = subprocess.run(
                args, capture_output=True, timeout=timeout, env=env, cwd=tmp, check=False
            )
        except subprocess.TimeoutExpired:
            raise ConversionError(f"Making the {fmt.upper()} took longer than {timeout} seconds.")
        if result.returncode != 0 or not target.exists():
            tail = (
                (result.stderr or result.stdout)
                .decode("utf-8", "replace")
                .strip()
                .splitlines()[-1:]
            )
            raise ConversionError(
                f"Calibre could not make the {fmt.upper()} (exit {result.returncode}): {' '.join(tail)}"
            )
        return target.read_bytes()
