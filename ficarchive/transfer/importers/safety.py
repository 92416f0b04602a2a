"""Guards for untrusted files: size caps, hardened XML, bounded zip reading. (Bytes are
decoded by works.text.decode_text, the one decoder for uploads and imports.)

Every importer reads its input through these, so a hostile file fails with
ImportRejected instead of exhausting memory or reaching the network."""

from __future__ import annotations

import io
import re
import zipfile

from django.conf import settings
from django.utils.translation import gettext as _
from lxml import etree
from lxml import html as lxml_html

from ficarchive.works.text import clean_control_chars

from .base import ImportRejected

# Limits: a file, one zip member, all members together, and the compression ratio a
# member may have (text compresses about 3-10x; a zip bomb does 1000x and more).
MAX_ZIP_MEMBERS = 5000
MAX_MEMBER_BYTES = 64 * 1024 * 1024
MAX_TOTAL_UNCOMPRESSED = 256 * 1024 * 1024
MAX_RATIO = 100


def max_input_bytes() -> int:
    return int(getattr(settings, "FICARCHIVE_MAX_UPLOAD_BYTES", 50 * 1024 * 1024))


def check_size(size: int, name: str = "file") -> None:
    limit = max_input_bytes()
    if size > limit:
        raise ImportRejected(
            _("%(name)s is %(size)s MB; the import limit is %(limit)s MB.")
            % {"name": name, "size": f"{size / 1_048_576:.1f}", "limit": f"{limit / 1_048_576:.0f}"}
        )


_ENTITY_DECL_RE = re.compile(rb"<!ENTITY", re.I)
_CONTROL_BYTES_RE = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def xml_parser() -> etree.XMLParser:
    """An XML parser that resolves no entities, loads no DTD and never uses the network."""
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        load_dtd=False,
        dtd_validation=False,
        remove_comments=True,
        remove_pis=True,
    )


def parse_xml(data: bytes, what: str) -> etree._Element:
    """Parse a package file (OPF, container, NCX). Entity declarations are refused
    outright: no legitimate EPUB needs them, and they carry XXE and billion laughs."""
    if _ENTITY_DECL_RE.search(data[:65536]) or _ENTITY_DECL_RE.search(data):
        raise ImportRejected(
            f"{what} declares XML entities, which are not allowed (possible XXE or entity bomb)."
        )
    try:
        return etree.fromstring(data, parser=xml_parser())
    except etree.XMLSyntaxError as exc:
        line = f" (line {exc.lineno})" if getattr(exc, "lineno", None) else ""
        raise ImportRejected(f"{what} is not well-formed XML{line}; the file is damaged.")


def parse_html_document(data: bytes | str) -> lxml_html.HtmlElement:
    """Parse (X)HTML leniently with libxml2's HTML parser, which knows the HTML named
    entities, ignores DTDs and entity declarations, and never fetches anything."""
    if isinstance(data, bytes) and _ENTITY_DECL_RE.search(data):
        raise ImportRejected(
            "the document declares XML entities, which are not allowed (possible XXE or entity bomb)."
        )
    parser = lxml_html.HTMLParser(
        no_network=True, remove_comments=False, remove_pis=True, huge_tree=False
    )
    if isinstance(data, str):
        # lxml refuses str input with an encoding declaration.
        data = clean_control_chars(data).encode("utf-8")
        parser = lxml_html.HTMLParser(no_network=True, remove_pis=True, encoding="utf-8")
    elif not data.startswith((b"\xff\xfe", b"\xfe\xff")) and b"\x00\x00" not in data[:512]:
        # Control bytes (not UTF-16, whose zero bytes are text) would stop libxml2.
        data = _CONTROL_BYTES_RE.sub(lambda m: b"\n" if m.group() in b"\x0b\x0c" else b"", data)
    if not data.strip():
        raise ImportRejected(_("the document is empty."))
    try:
        root = lxml_html.document_fromstring(data, parser=parser)
    except (etree.ParserError, ValueError):
        raise ImportRejected(_("the HTML cannot be read (it is not a web page, or it is damaged)."))
    _strip_namespaces(root)
    return root


def _strip_namespaces(root: etree._Element) -> None:
    for el in root.iter():
        if isinstance(el.tag, str) and el.tag.startswith("{"):
            el.tag = el.tag.split("}", 1)[1]


class SafeZip:
    """A zip archive whose members are checked before any is read: count, per-member and
    total uncompressed size, compression ratio; reads are capped as they stream too."""

    def __init__(self, data: bytes, what: str = "archive") -> None:
        self.what = what
        try:
            self.zf = zipfile.ZipFile(io.BytesIO(data))
            infos = self.zf.infolist()
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError):
            raise ImportRejected(f"the {what} is not a readable zip file; it may be damaged.")
        if len(infos) > MAX_ZIP_MEMBERS:
            raise ImportRejected(
                f"the {what} holds {len(infos)} files; the limit is {MAX_ZIP_MEMBERS}."
            )
        total = 0
        for info in infos:
            if info.flag_bits & 0x1:
                raise ImportRejected(f"the {what} is encrypted.")
            total += info.file_size
            if info.file_size > MAX_MEMBER_BYTES:
                raise ImportRejected(
                    f"{info.filename} in the {what} unpacks to {info.file_size:,} bytes; too large."
                )
            if (
                info.compress_size
                and info.file_size / info.compress_size > MAX_RATIO
                and info.file_size > 1_000_000
            ):
                raise ImportRejected(
                    f"{info.filename} in the {what} is compressed {info.file_size // info.compress_size}:1 (a zip bomb?)."
                )
        if total > MAX_TOTAL_UNCOMPRESSED:
            raise ImportRejected(
                f"the {what} unpacks to {total:,} bytes; the limit is {MAX_TOTAL_UNCOMPRESSED:,}."
            )
        self.names = {info.filename for info in infos}

    def has(self, name: str) -> bool:
        return name in self.names

    def read(self, name: str) -> bytes:
        if name not in self.names:
            raise ImportRejected(f"the {self.what} has no {name!r}.")
        info = self.zf.getinfo(name)
        try:
            with self.zf.open(info) as fh:
                # The header's size may lie: never read past the declared size plus one.
                data = fh.read(min(info.file_size, MAX_MEMBER_BYTES) + 1)
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError):
            raise ImportRejected(f"{name} in the {self.what} is damaged and cannot be read.")
        if len(data) > info.file_size:
            raise ImportRejected(f"{name} in the {self.what} is larger than its header says.")
        return data
