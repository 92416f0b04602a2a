"""`ficarchive export ID --format FMT [-o PATH]`."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from ficarchive.testing import make_work


def test_export_writes_the_file_and_reports_json(author, tmp_path):
    """export writes the download file at -o and prints one JSON object with --json."""
    work = make_work(author, title="Exported Work")
    target = tmp_path / "out.epub"
    out = StringIO()
    call_command(
        "export", str(work.pk), "--format", "epub", "-o", str(target), "--json", stdout=out
    )
    lines = out.getvalue().strip().splitlines()
    assert len(lines) == 1
    report = json.loads(lines[0])
    assert (
        report["id"] == work.pk
        and report["format"] == "epub"
        and report["bytes"] == target.stat().st_size
    )
    assert target.read_bytes()[:2] == b"PK"


def test_export_of_draft_into_folder(author, tmp_path):
    """The operator may export drafts; a folder as -o gets SLUG-ID.EXT inside it."""
    work = make_work(author, title="Draft Work", draft=True)
    call_command("export", str(work.pk), "--format", "txt", "-o", str(tmp_path), stdout=StringIO())
    assert "stormy night" in (tmp_path / f"draft-work-{work.pk}.txt").read_text()


def test_export_names_files_by_transliterated_title_and_never_overwrites(
    author, tmp_path, monkeypatch
):
    """Cyrillic, CJK, Arabic and emoji titles give recognisable ASCII names with the work
    id; without -o an existing file is kept and the next free name is taken."""
    monkeypatch.chdir(tmp_path)
    names = {}
    for title in ["Война и мир", "三体", "الأمير الصغير", "🌈 Pride"]:
        work = make_work(author, title=title)
        call_command("export", str(work.pk), "--format", "txt", stdout=StringIO())
        names[title] = sorted(p.name for p in tmp_path.iterdir() if f"-{work.pk}." in p.name)
    assert names["Война и мир"] == [f"voyna-i-mir-{work.pk - 3}.txt"]
    assert names["三体"] == [f"santi-{work.pk - 2}.txt"]
    assert names["الأمير الصغير"][0].endswith(f"-{work.pk - 1}.txt")
    assert names["الأمير الصغير"][0] != f"work-{work.pk - 1}.txt"
    assert names["🌈 Pride"] == [f"rainbow-pride-{work.pk}.txt"]
    first = tmp_path / f"rainbow-pride-{work.pk}.txt"
    first.write_text("mine")
    out = StringIO()
    call_command("export", str(work.pk), "--format", "txt", stdout=out)
    assert first.read_text() == "mine"
    assert (tmp_path / f"rainbow-pride-{work.pk}-2.txt").is_file()
    assert f"rainbow-pride-{work.pk}-2.txt" in out.getvalue()


def test_export_unknown_work_fails(db, tmp_path):
    """An unknown work id is a CommandError with a one-line reason, and no file is written."""
    with pytest.raises(CommandError, match="No work with id 999"):
        call_command("export", "999", "--format", "html", "-o", str(tmp_path / "x.html"))
    assert not (tmp_path / "x.html").exists()
