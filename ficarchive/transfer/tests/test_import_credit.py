"""`ficarchive import` credits a file's named authors, and search sees that credit at once:
the work is found by its author's name, not by the importing account's, and sorts under it."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command

from ficarchive.testing import make_user, make_work

DATA = Path(__file__).resolve().parents[4] / "shared" / "data"
AO3_HTML = DATA / "ao3-downloads" / "23009290-htmlTest.html"

pytestmark = pytest.mark.django_db

# The shape of an AO3 HTML download, cut down to what the importer reads.
SMALL_AO3 = """<!DOCTYPE html>
<html><head><meta charset="utf-8" /><title>Lanterns - zinnia_quill - Original Work</title></head>
<body>
<div id="preface">
  <p class="message"><b>Lanterns</b><br />Posted originally on the
  <a href="https://archiveofourown.org/">Archive of Our Own</a> at
  <a href="https://archiveofourown.org/works/999000111">https://archiveofourown.org/works/999000111</a>.</p>
  <div class="meta">
    <dl class="tags">
      <dt>Rating:</dt><dd><a href="https://archiveofourown.org/tags/General%20Audiences">General Audiences</a></dd>
      <dt>Archive Warning:</dt><dd><a href="https://archiveofourown.org/tags/No%20Archive%20Warnings%20Apply">No Archive Warnings Apply</a></dd>
      <dt>Fandom:</dt><dd><a href="https://archiveofourown.org/tags/Original%20Work">Original Work</a></dd>
      <dt>Stats:</dt><dd>Published: 2021-05-01 Words: 9 Chapters: 1/1</dd>
    </dl>
    <h1>Lanterns</h1>
    <div class="byline">by <a rel="author" href="https://archiveofourown.org/users/zinnia_quill/pseuds/zinnia_quill">zinnia_quill</a></div>
  </div>
</div>
<div id="chapters" class="userstuff"><div class="userstuff">
  <p>The lanterns floated over the harbour all night long.</p>
</div></div>
</body></html>
"""


def run(command: str, *args: str) -> list[dict]:
    out = io.StringIO()
    call_command(command, *args, stdout=out, stderr=io.StringIO())
    return [json.loads(line) for line in out.getvalue().splitlines() if line.strip()]


def search(*args: str) -> list[int]:
    return [w["id"] for w in run("search", *args, "--json")]


def test_imported_ao3_file_is_found_by_its_author_not_by_the_importer(tmp_path):
    """A plain search for the file's author finds the imported work; "archivist" does not;
    sorting by creator files it under the author's name."""
    path = tmp_path / "lanterns.html"
    path.write_text(SMALL_AO3, encoding="utf-8")
    (imported,) = run("import", str(path), "--json", "--no-progress")
    assert search("zinnia_quill") == [imported["id"]]
    assert search("archivist") == []
    bea = make_work(make_user("bea"), title="Posted by Bea")
    yuri = make_work(make_user("yuri"), title="Posted by Yuri")
    assert search("--sort", "creator") == [bea.pk, yuri.pk, imported["id"]]


@pytest.mark.skipif(not AO3_HTML.is_file(), reason="../shared/data is absent")
def test_real_ao3_download_is_found_by_nianeyna():
    """The real AO3 download from the shared data: found by "nianeyna", not "archivist"."""
    (imported,) = run("import", str(AO3_HTML), "--json", "--no-progress")
    assert search("nianeyna") == [imported["id"]]
    assert search("archivist") == []
