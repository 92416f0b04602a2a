"""The catalogues of the apps notify and reading: complete in French and Arabic, every
placeholder kept, and used by the pages and the mail."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client
from django.utils import translation

from ficarchive.notify.models import NotificationKind
from ficarchive.reading import services
from ficarchive.testing import make_work

ROOT = Path(__file__).resolve().parents[2]
CATALOGUES = [
    ROOT / app / "locale" / lang / "LC_MESSAGES" / "django.po"
    for app in ("notify", "reading")
    for lang in ("fr", "ar")
]
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


def _entries(path: Path) -> list[tuple[str, list[str], str]]:
    """(msgid, msgstrs, flags) of each entry after the header, strings joined."""
    out = []
    for block in path.read_text(encoding="utf-8").split("\n\n")[1:]:
        fields: dict[str, str] = {}
        key = ""
        for line in block.splitlines():
            head = re.match(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d\])?) (\".*\")$", line)
            if head:
                key = head.group(1)
                fields[key] = head.group(2)[1:-1]
            elif line.startswith('"') and key:
                fields[key] += line[1:-1]
        if "msgid" in fields:
            flags = " ".join(x for x in block.splitlines() if x.startswith("#,"))
            strs = [v for k, v in sorted(fields.items()) if k.startswith("msgstr")]
            out.append((fields["msgid"] + fields.get("msgid_plural", ""), strs, flags))
    return out


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: "/".join(p.parts[-5:-2]))
def test_catalogue_complete_with_placeholders_kept(path):
    entries = _entries(path)
    assert len(entries) > 40
    plurals = 6 if "/ar/" in str(path) else 2
    for msgid, strs, flags in entries:
        assert "fuzzy" not in flags, msgid
        assert strs and all(strs), f"untranslated: {msgid}"
        if len(strs) > 1:
            assert len(strs) == plurals, msgid
        wanted = set(PLACEHOLDER.findall(msgid))
        # Arabic's forms for zero, one and two may spell the number out.
        for text in strs if len(strs) == 1 else strs[-1:]:
            assert set(PLACEHOLDER.findall(text)) == wanted, (msgid, text)
    assert path.with_suffix(".mo").exists()


@pytest.mark.django_db
def test_pages_and_labels_in_french_and_arabic(settings, user, author):
    work = make_work(author, title="Translated")
    services.later_mark(actor=user, work=work)
    client = Client()
    client.force_login(user)
    for lang, text in (("fr", "À lire plus tard"), ("ar", "للقراءة لاحقًا")):
        settings.LANGUAGE_CODE = lang
        page = client.get(f"/users/{user.username}/readings?show=to-read").content.decode()
        assert text in page
    with translation.override("fr"):
        assert str(NotificationKind.KUDOS.label) == "Kudos sur mes œuvres"
    with translation.override("ar"):
        assert str(NotificationKind.GIFT.label) == "الهدايا المقدمة لي"
