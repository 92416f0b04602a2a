"""eFiction archives from a MySQL dump: authors, stories, chapters, tags, series, reviews."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from ficarchive.accounts.models import Pseud
from ficarchive.feedback.models import Comment
from ficarchive.transfer.importers.efiction import id_list, read_efiction, to_datetime
from ficarchive.transfer.importers.sqldump import SqlDump
from ficarchive.works.models import Work

FIXTURES = Path(__file__).parent / "importers" / "fixtures"
DUMP = FIXTURES / "efiction_dump.sql"
STORIES = FIXTURES / "stories"
SCHEMA = Path(__file__).resolve().parents[4] / "shared" / "data" / "efiction" / "tables.sql"


def _run(*args: str) -> tuple[list[dict], str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_efiction", *args, stdout=out, stderr=err)
    return [json.loads(ln) for ln in out.getvalue().splitlines() if ln.strip()], err.getvalue()


def test_sql_dump_reader_handles_both_quoting_styles_and_multirow():
    """Backslash and doubled-quote escapes, NULL, numbers and multi-row INSERTs all parse."""
    dump = SqlDump(
        "CREATE TABLE `x_t` (\n  `a` int(11) NOT NULL,\n  `b` text,\n  PRIMARY KEY (`a`)\n);\n"
        "INSERT INTO `x_t` VALUES (1,'it\\'s \\\"so\\\"\\n'),(2,NULL);\n"
        "INSERT INTO x_t (a, b) VALUES (3, 'O''Brien; (yes)');"
    )
    rows = list(dump.rows("t"))
    assert rows == [
        {"a": 1, "b": 'it\'s "so"\n'},
        {"a": 2, "b": None},
        {"a": 3, "b": "O'Brien; (yes)"},
    ]


def test_backslash_escaped_quote_in_a_create_table_default_does_not_swallow_later_tables():
    """eFiction's settings table has `slogan ... default 'It\\'s a cool site!'`, and mysqldump
    writes it before `fanfiction_stories` (tables in name order): the escaped quote must not
    end the string, or every later table, the stories among them, is lost."""
    dump = SqlDump(
        "CREATE TABLE `fanfiction_settings` (\n"
        "  `slogan` varchar(200) NOT NULL default 'It\\'s a cool site!',\n"
        "  `url` varchar(200) NOT NULL default 'http://www.yoursite.com'\n);\n"
        "CREATE TABLE `fanfiction_stories` (\n  `sid` int(11) NOT NULL,\n  `title` varchar(200)\n);\n"
        "INSERT INTO `fanfiction_stories` VALUES (1,'Tea');\n"
    )
    assert dump.columns["fanfiction_settings"] == ["slogan", "url"]
    assert list(dump.rows("stories")) == [{"sid": 1, "title": "Tea"}]


def test_dates_and_id_lists_in_their_usual_shapes():
    """Unix integers and DATETIME strings both give aware dates; "1, 2,0" gives [1, 2]."""
    assert to_datetime(1199145600).isoformat() == "2008-01-01T00:00:00+00:00"
    assert to_datetime("2009-05-01 10:00:00").hour == 10
    assert to_datetime("0000-00-00 00:00:00") is None and to_datetime(0) is None
    assert id_list("1, 2,0,,x") == [1, 2]


@pytest.mark.skipif(not SCHEMA.is_file(), reason="../shared/data is absent")
def test_install_schema_parses_with_no_stories():
    """eFiction 3.5's own install schema reads (27 tables, no rows) and is refused as having no stories."""
    dump = SqlDump(SCHEMA.read_text())
    assert dump.find("stories") == "fanfiction_stories"
    assert dump.columns["fanfiction_stories"][:3] == ["sid", "title", "summary"]


def test_reader_maps_ratings_classes_and_reports_unmapped():
    """Ratings by id and by name map; a warning class maps, another becomes a tag; unknowns are reported."""
    archive = read_efiction(DUMP.read_text(), stories_dir=STORIES)
    stories = {s.sid: s for s in archive.stories}
    assert set(stories) == {1, 2, 4}  # 3 is not validated
    tea = stories[1].parsed
    assert tea.rating == "Teen And Up Audiences"  # rid 2 = PG-13
    assert tea.warnings == ["Major Character Death"] and tea.freeforms == ["Angst"]
    assert tea.characters == ["Hermione Granger", "Severus Snape"] and tea.fandoms == [
        "Harry Potter"
    ]
    assert tea.series == [("Teatime", 1)]
    wings = stories[2].parsed
    assert wings.rating == "Explicit"  # rating column holding the name
    assert "Mild Language" in wings.freeforms and wings.in_progress
    assert "“gently”" in wings.chapters[0].body_html  # cp1252 chapter file decoded
    assert stories[2].author_uids == [2, 1]
    assert stories[4].parsed.rating == "Not Rated"
    report = archive.report
    assert any("Spicy" in item for item in report["unmapped"])
    assert any("Mild Language" in item for item in report["unmapped"])
    assert any("category id 9" in item for item in report["unmapped"])
    assert report["skipped_stories"][0]["sid"] == 3


@pytest.mark.django_db
def test_import_efiction_creates_unclaimed_authors_works_and_comments(tmp_path):
    """The command imports works credited to unclaimed pseuds with emails, chapters, series and reviews."""
    rows, err = _run(str(DUMP), "--stories-dir", str(STORIES), "--json")
    assert len(rows) == 3
    assert {r["title"] for r in rows} == {"Tea at Four", "Wings", "Odd Rating"}
    quill = Pseud.objects.get(name="Quill")
    assert quill.user is None and quill.claim_email == "quill@example.org"
    assert "5f4dcc3b" not in json.dumps(list(Pseud.objects.values()), default=str)
    tea = Work.objects.get(title="Tea at Four")
    assert [p.name for p in tea.creator_pseuds()] == ["Quill"]
    assert tea.chapter_count == 2 and tea.published_at.year == 2008 and tea.revised_at.month == 2
    chapters = list(tea.chapters.order_by("position"))
    assert (
        chapters[0].title == "The Kettle"
        and "<i>sang</i>" in chapters[0].body
        and "<hr>" in chapters[0].body
    )
    assert chapters[1].notes and chapters[1].end_notes
    assert [s.title for s in tea.series.all()] == ["Teatime"]
    comments = list(Comment.objects.filter(work=tea).order_by("created_at"))
    assert len(comments) == 2 and tea.__class__.objects.get(pk=tea.pk).comment_count == 2
    assert (
        comments[0].pseud == Pseud.objects.get(name="Ink Blot")
        and "<script>" not in comments[0].body
    )
    assert comments[0].chapter == chapters[0] and comments[0].created_at.year == 2008
    assert comments[1].guest_name == "A Guest"
    wings = Work.objects.get(title="Wings")
    assert sorted(p.name for p in wings.creator_pseuds()) == ["Ink Blot", "Quill"]
    assert wings.chapters_display == "1/?"
    assert '"works_created": 3' in err


@pytest.mark.django_db
def test_reimport_does_not_duplicate():
    """Running the same dump twice leaves one copy of each work, author and comment."""
    _run(str(DUMP), "--stories-dir", str(STORIES))
    _, err = _run(str(DUMP), "--stories-dir", str(STORIES))
    assert Work.objects.count() == 3 and Comment.objects.count() == 2
    assert Pseud.objects.filter(name="Quill").count() == 1
    assert '"works_already_there": 3' in err


@pytest.mark.django_db
def test_mapping_file_is_written_then_honoured(tmp_path):
    """--mapping FILE writes the default when absent; an edited mapping changes the tags."""
    mapping = tmp_path / "map.json"
    _run(
        str(DUMP),
        "--stories-dir",
        str(STORIES),
        "--mapping",
        str(mapping),
        "--report",
        str(tmp_path / "r.json"),
    )
    written = json.loads(mapping.read_text())
    assert written["ratings"]["PG-13"] == "Teen And Up Audiences"
    Work.objects.all().delete()
    Pseud.objects.all().delete()
    written["ratings"]["Spicy"] = "Mature"
    written["fandoms"]["Harry Potter"] = "Harry Potter - J. K. Rowling"
    mapping.write_text(json.dumps(written))
    rows, _ = _run(str(DUMP), "--stories-dir", str(STORIES), "--mapping", str(mapping), "--json")
    by_title = {r["title"]: r for r in rows}
    assert by_title["Odd Rating"]["rating"] == "Mature"
    assert by_title["Tea at Four"]["fandoms"] == ["Harry Potter - J. K. Rowling"]


@pytest.mark.django_db
def test_missing_chapter_files_skip_story_and_bad_dump_is_an_error(tmp_path):
    """Without the stories folder the file-stored story is skipped; a dump with no stories table fails cleanly."""
    rows, err = _run(str(DUMP), "--json")
    assert {r["title"] for r in rows} == {"Tea at Four", "Odd Rating"}
    bad = tmp_path / "bad.sql"
    bad.write_text("INSERT INTO `other` VALUES (1);")
    with pytest.raises(CommandError, match="stories table"):
        _run(str(bad))


@pytest.mark.django_db
@pytest.mark.parametrize(
    "custom,named",
    [
        ({"ratings": {"PG-13": "Teen and Up"}}, "'Teen and Up'"),
        ({"warnings": {"Death": "Character Death"}}, "'Character Death'"),
        ({"categories": {"Slash": "Slash"}}, "'Slash'"),
        ({"classtypes": {"genres": "genre"}}, "'genre'"),
    ],
)
def test_mapping_file_naming_no_ao3_value_is_refused(tmp_path, custom, named):
    """A runner's mapping that maps to a rating, warning, category or class kind AO3 does
    not have (a typo) is refused with one line naming it, and nothing is imported, instead
    of every story quietly becoming Not Rated or losing its warning."""
    mapping = tmp_path / "map.json"
    mapping.write_text(json.dumps(custom))
    with pytest.raises(CommandError, match=named):
        _run(str(DUMP), "--stories-dir", str(STORIES), "--mapping", str(mapping))
    assert not Work.objects.exists()
