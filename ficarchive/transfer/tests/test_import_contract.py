"""`ficarchive import ... --json` as CONTRACT.md gives it: one JSON object per work for every
file kind it names (.txt, .md, .html, .epub, AO3's HTML and EPUB downloads), with the
contract's keys and a `suggested` object of the same tag keys; and every override option,
the repeatable ones repeated, winning over what the file says."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command

from ficarchive.works.models import Work

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parents[4] / "shared" / "data"
needs_data = pytest.mark.skipif(not DATA.is_dir(), reason="../shared/data is absent")

KEYS = {
    "id",
    "url",
    "title",
    "words",
    "chapters",
    "rating",
    "warnings",
    "categories",
    "fandoms",
    "relationships",
    "characters",
    "tags",
    "suggested",
}
TAG_KEYS = KEYS - {"id", "url", "title", "words", "chapters", "suggested"}


def run(*args: str) -> tuple[list[dict], str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import", *args, "--json", stdout=out, stderr=err)
    lines = out.getvalue().splitlines()
    return [json.loads(line) for line in lines], err.getvalue()


@needs_data
@pytest.mark.parametrize(
    "relative",
    [
        "ao3-downloads/23009290-htmlTest.html",
        "ao3-downloads/23009290-epubTest.epub",
        "ao3-downloads/218676-incompleteWork.html",
        "epub/alice.epub",
        "real-world/11-wordcount-thai.md",
        "real-world/06-mixed-utf8-cp1252.txt",
        "real-world/12-google-docs-export-css-italics.html",
    ],
)
def test_every_file_kind_prints_one_object_with_the_contract_keys(relative):
    """stdout holds exactly one JSON object, with the contract's keys; `suggested` has the
    tag keys of the work, each a list, best first."""
    rows, _ = run(str(DATA / relative))
    (row,) = rows
    assert set(row) >= KEYS
    assert set(row["suggested"]) == TAG_KEYS
    assert all(isinstance(v, list) for v in row["suggested"].values())
    assert row["words"] > 0 and row["chapters"] >= 1 and row["title"]
    assert Work.objects.filter(pk=row["id"]).exists()


@needs_data
def test_ao3_download_metadata_is_kept():
    """An AO3 EPUB download keeps its rating, warning, category, fandom, relationship,
    characters and additional tags."""
    (row,), _ = run(str(DATA / "ao3-downloads/23009290-epubTest.epub"))
    assert row["rating"] == "Teen And Up Audiences"
    assert row["warnings"] == ["Graphic Depictions Of Violence"]
    assert row["categories"] == ["M/M"] and row["fandoms"] == ["Final Fantasy XIV"]
    assert row["relationships"] == ["Honoroit Banlardois/Emmanellain de Fortemps"]
    assert "Hurt/Comfort" in row["tags"]


@needs_data
def test_every_override_wins_and_repeats(author):
    """Each option of the contract's `import` line, the repeatable ones given twice,
    replaces what the AO3 download says; --restricted, --anonymous and --draft set the
    work's state."""
    (row,), _ = run(
        str(DATA / "ao3-downloads/23009290-epubTest.epub"),
        "--owner",
        author.username,
        *("--fandom", "Naruto", "--fandom", "Bleach"),
        *("--rating", "Explicit"),
        *("--warning", "Major Character Death", "--warning", "Underage Sex"),
        *("--category", "F/M", "--category", "Multi"),
        *("--relationship", "A/B", "--relationship", "C & D"),
        *("--character", "A", "--character", "B"),
        *("--tag", "Fluff", "--tag", "Angst"),
        *("--title", "Over Title", "--summary", "Over summary", "--language", "fr"),
        "--restricted",
        "--anonymous",
        "--draft",
    )
    assert row["title"] == "Over Title" and row["rating"] == "Explicit"
    assert row["fandoms"] == ["Naruto", "Bleach"]
    assert row["warnings"] == ["Major Character Death", "Underage Sex"]
    assert row["categories"] == ["F/M", "Multi"]
    assert row["relationships"] == ["A/B", "C & D"]
    assert row["characters"] == ["A", "B"] and row["tags"] == ["Fluff", "Angst"]
    work = Work.objects.get(pk=row["id"])
    assert "Over summary" in work.summary and work.language == "fr"
    assert work.restricted and work.anonymous and not work.posted
    assert work.is_creator(author)
