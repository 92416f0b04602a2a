"""Importing into the archive: defaults, overrides, de-duplication, bulk folders, all-or-nothing."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from ficarchive.accounts.models import Pseud, User
from ficarchive.tags.models import Tag
from ficarchive.testing import make_user
from ficarchive.transfer.importers import ImportRejected, ParsedChapter, ParsedWork
from ficarchive.transfer.services_import import (
    IMPORTER_ACCOUNT,
    ImportOverrides,
    file_import,
    importer_account,
    work_import,
)
from ficarchive.works.models import Work

DATA = Path(__file__).resolve().parents[4] / "shared" / "data"
needs_data = pytest.mark.skipif(not DATA.is_dir(), reason="../shared/data is absent")
CONTRACT_KEYS = {
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


def _run(*args: str) -> tuple[list[dict], str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import", *args, "--no-progress", stdout=out, stderr=err)
    lines = [ln for ln in out.getvalue().splitlines() if ln.strip()]
    return [json.loads(ln) for ln in lines], err.getvalue()


@pytest.mark.django_db
def test_plain_file_gets_ao3_import_defaults_and_archivist_owner(tmp_path):
    """No metadata: Not Rated, Creator Chose Not To Use Archive Warnings, Unspecified Fandom, owned by archivist."""
    path = tmp_path / "quiet.txt"
    path.write_text("Quiet\n\nA quiet little story with some words in it.\n")
    result = file_import(actor=importer_account(), path_or_bytes=path)
    work = result.work
    assert result.created and work.title == "Quiet"
    assert work.rating == "Not Rated"
    assert [t.name for t in work.warnings] == ["Creator Chose Not To Use Archive Warnings"]
    assert [t.name for t in work.fandoms] == ["Unspecified Fandom"]
    owner = User.objects.get(username=IMPORTER_ACCOUNT)
    assert not owner.has_usable_password()
    assert work.is_creator(owner)
    assert work.word_count == 9


@pytest.mark.django_db
def test_reimporting_same_bytes_does_not_duplicate(tmp_path):
    """The same file imported twice gives the same work (source_hash = sha256 of the bytes)."""
    path = tmp_path / "once.txt"
    path.write_text("Once\n\nOnly once.\n")
    first = file_import(actor=importer_account(), path_or_bytes=path)
    second = file_import(actor=importer_account(), path_or_bytes=path)
    assert not second.created and second.work.pk == first.work.pk
    assert Work.objects.count() == 1


@needs_data
@pytest.mark.django_db
def test_ao3_html_then_epub_of_same_work_is_one_work():
    """AO3's HTML and EPUB downloads of one work dedupe by source_url; tags land on the work."""
    archivist = importer_account()
    first = file_import(
        actor=archivist, path_or_bytes=DATA / "ao3-downloads" / "23009290-htmlTest.html"
    )
    second = file_import(
        actor=archivist, path_or_bytes=DATA / "ao3-downloads" / "23009290-epubTest.epub"
    )
    assert second.work.pk == first.work.pk and not second.created
    work = first.work
    assert work.rating == "Teen And Up Audiences"
    assert [t.name for t in work.relationships] == ["Honoroit Banlardois/Emmanellain de Fortemps"]
    assert work.source_url == "https://archiveofourown.org/works/23009290"
    assert work.published_at.date().isoformat() == "2020-03-04"
    # The archivist credits AO3's creator as an unclaimed pseud.
    assert [p.name for p in work.creator_pseuds()] == ["nianeyna"]
    assert work.creator_pseuds()[0].user is None


@needs_data
@pytest.mark.django_db
def test_ao3_incomplete_work_keeps_chapter_count_unknown():
    """A work AO3 lists as 3/? imports as 3/? with chapter titles and notes."""
    owner = make_user("owner")
    work = file_import(
        actor=owner, path_or_bytes=DATA / "ao3-downloads" / "218676-incompleteWork.epub"
    ).work
    assert work.chapters_display == "3/?"
    chapters = list(work.chapters.order_by("position"))
    assert chapters[1].title == "Riversong K'Vala"
    assert "Only one more chapter" in chapters[1].notes
    assert "calibre" not in chapters[0].body
    assert work.is_creator(owner)


@pytest.mark.django_db
def test_command_json_has_contract_keys_and_options_override(tmp_path):
    """--json prints one object per work with exactly the contract keys; options replace file metadata."""
    owner = make_user("writer")
    path = tmp_path / "fic.md"
    path.write_text(
        "---\ntitle: From File\nrating: Explicit\nfandom: File Fandom\n---\n\nSome text here.\n"
    )
    rows, err = _run(
        str(path),
        "--owner",
        "writer",
        "--json",
        "--title",
        "Given Title",
        "--rating",
        "General Audiences",
        "--fandom",
        "Given Fandom",
        "--warning",
        "No Archive Warnings Apply",
        "--tag",
        "Fluff",
        "--category",
        "Gen",
    )
    assert len(rows) == 1
    row = rows[0]
    assert set(row) == CONTRACT_KEYS
    assert row["title"] == "Given Title" and row["rating"] == "General Audiences"
    assert (
        row["fandoms"] == ["Given Fandom"]
        and row["tags"] == ["Fluff"]
        and row["categories"] == ["Gen"]
    )
    assert row["warnings"] == ["No Archive Warnings Apply"]
    assert row["url"].endswith(f"/works/{row['id']}") and row["url"].startswith("http")
    assert row["words"] == 3 and row["chapters"] == 1
    assert set(row["suggested"]) == {
        "rating",
        "warnings",
        "categories",
        "fandoms",
        "relationships",
        "characters",
        "tags",
    }
    assert Work.objects.get(pk=row["id"]).is_creator(owner)


@pytest.mark.django_db
def test_command_unknown_owner_fails_and_writes_nothing(tmp_path):
    """--owner naming no account is a one-line error and the archive is unchanged."""
    path = tmp_path / "a.txt"
    path.write_text("A\n\nText.\n")
    with pytest.raises(CommandError, match="no account named"):
        _run(str(path), "--owner", "ghost")
    assert Work.objects.count() == 0


@pytest.mark.django_db
def test_bulk_folder_skips_bad_file_and_imports_the_rest(tmp_path):
    """Walking a folder: a corrupt EPUB is reported and skipped, the other files go in."""
    (tmp_path / "sub").mkdir()
    for i in range(3):
        (tmp_path / "sub" / f"story{i}.txt").write_text(f"Story {i}\n\nText number {i}.\n")
    (tmp_path / "broken.epub").write_bytes(b"PK\x03\x04garbage")
    (tmp_path / "notes.jpg").write_bytes(b"\xff\xd8")
    rows, err = _run(str(tmp_path), "--json")
    assert sorted(r["title"] for r in rows) == ["Story 0", "Story 1", "Story 2"]
    assert "broken.epub" in err and "1 failed" in err
    rows_again, err_again = _run(str(tmp_path), "--json")
    assert Work.objects.count() == 3 and "3 already there" in err_again


@pytest.mark.django_db
def test_failed_import_leaves_no_tags_or_work():
    """A work that cannot be created (empty once sanitized) writes nothing at all, tags included."""
    parsed = ParsedWork(
        title="Empty",
        fandoms=["Brand New Fandom"],
        chapters=[ParsedChapter(body_html="<script>x</script>")],
    )
    before = Tag.objects.count()
    with pytest.raises(ImportRejected):
        work_import(actor=importer_account(), parsed=parsed, source_hash="x" * 64)
    assert Work.objects.count() == 0
    assert not Tag.objects.filter(name="Brand New Fandom").exists()
    assert Tag.objects.count() == before


@pytest.mark.django_db
def test_unknown_rating_becomes_not_rated_and_unknown_warning_dropped():
    """Source vocabulary outside AO3's: rating → Not Rated, warning dropped, both noted."""
    parsed = ParsedWork(
        title="Odd",
        rating="Spicy",
        warnings=["Mild Peril"],
        chapters=[ParsedChapter(body_html="<p>Hi there.</p>")],
    )
    result = work_import(actor=importer_account(), parsed=parsed, source_hash="y" * 64)
    assert result.work.rating == "Not Rated"
    assert [t.name for t in result.work.warnings] == ["Creator Chose Not To Use Archive Warnings"]
    assert any("Spicy" in n for n in result.notices) and any(
        "Mild Peril" in n for n in result.notices
    )


@pytest.mark.django_db
def test_invalid_override_rating_is_an_error():
    """--rating that is not AO3's is refused rather than silently replaced."""
    parsed = ParsedWork(title="X", chapters=[ParsedChapter(body_html="<p>Hi.</p>")])
    with pytest.raises(ImportRejected, match="not a rating"):
        work_import(
            actor=importer_account(), parsed=parsed, overrides=ImportOverrides(rating="PG-ish")
        )


@pytest.mark.django_db
def test_invalid_vocabulary_option_is_refused_before_any_file(tmp_path):
    """A bad --rating, --warning or --category stops the command before it reads a file,
    even one already imported, and nothing is written."""
    from django.core.management.base import CommandError

    from ficarchive.works.models import Work

    path = tmp_path / "story.txt"
    path.write_text("A Title\n\nSome text here.\n")
    _run(str(path))
    for option, value in (("--rating", "PG-ish"), ("--warning", "Spoilers"), ("--category", "Het")):
        with pytest.raises(CommandError, match=f"{option} '{value}' is not one of"):
            _run(str(path), option, value)
    assert Work.objects.count() == 1


@pytest.mark.django_db
def test_overlong_chapter_is_split_into_parts(settings):
    """A chapter over the size limit is split at paragraph ends, nothing lost."""
    settings.FICARCHIVE_MAX_CHAPTER_CHARS = 2000
    body = "".join(f"<p>Paragraph {i} has some words.</p>" for i in range(200))
    parsed = ParsedWork(title="Long", chapters=[ParsedChapter(body_html=body, title="Big")])
    work = work_import(actor=importer_account(), parsed=parsed, source_hash="z" * 64).work
    assert work.chapter_count > 1
    assert work.word_count == 200 * 5
    assert Pseud.objects.filter(user__username=IMPORTER_ACCOUNT).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 2])
def test_nothing_imported_is_one_line_and_nothing_else(tmp_path, count):
    """When every file fails the command fails with its one-line reason and writes
    nothing else to stderr (CONTRACT.md: errors are a one-line reason): no per-file
    line, no summary, no progress bar."""
    paths = []
    for i in range(count):
        path = tmp_path / f"broken{i}.epub"
        path.write_bytes(b"PK\x03\x04garbage")
        paths.append(str(path))
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError) as failed:
        call_command("import", *paths, "--json", stdout=out, stderr=err)
    assert out.getvalue() == "" and err.getvalue() == ""
    message = str(failed.value)
    assert "\n" not in message and message.startswith(f"nothing imported: {paths[0]}: ")
    assert ("(1 more failed too)" in message) == (count == 2)
    assert Work.objects.count() == 0
