"""One rule for archive warnings at every door (``tags.vocabulary.warnings_problem``):
"No Archive Warnings Apply" beside a specific warning, or beside "Creator Chose Not To Use
Archive Warnings", is refused with one line and changes nothing where a person chose it
(posting and edit forms, API, ``ficarchive import`` options); where a file says it (file
metadata, an eFiction story in several classes) "none apply" is dropped instead."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from ficarchive.api.tests.conftest import ApiClient, make_token
from ficarchive.tags.vocabulary import warnings_problem, warnings_without_contradiction
from ficarchive.testing import make_user, make_work
from ficarchive.works.models import Work

FIXTURES = Path(__file__).parent / "importers" / "fixtures"
NAWA = "No Archive Warnings Apply"
CNTUAW = "Creator Chose Not To Use Archive Warnings"
MCD = "Major Character Death"
BAD_SETS = ([NAWA, MCD], [NAWA, CNTUAW], [CNTUAW, NAWA, "Underage Sex"])

FORM = {
    "rating": "Teen And Up Audiences",
    "fandoms": "Pride and Prejudice - Jane Austen",
    "title": "Warned",
    "language": "en",
    "comment_permission": "users",
    "text_format": "auto",
    "body": "Some text.",
    "action": "post",
}


def test_the_rule():
    """NAWA contradicts any other warning; CNTUAW beside a specific warning is allowed (AO3
    allows it); the reason is one line naming the warnings."""
    for bad in BAD_SETS:
        reason = warnings_problem(bad)
        assert reason and "\n" not in reason and NAWA in reason
    for good in ([NAWA], [CNTUAW], [CNTUAW, MCD], [MCD, "Underage Sex"]):
        assert warnings_problem(good) is None
    assert warnings_without_contradiction([NAWA, CNTUAW]) == [CNTUAW]


@pytest.mark.django_db
def test_web_forms_refuse_and_change_nothing(client):
    """Post New Work and Edit Work refuse each contradictory set: 400, the reason shown, no
    work made, the edited work's warnings unchanged."""
    author = make_user("warnform")
    client.force_login(author)
    for bad in BAD_SETS:
        response = client.post("/works/new", {**FORM, "warnings": bad})
        text = response.content.decode()
        assert response.status_code == 400
        assert "contradict each other" in text or "cannot be combined" in text
    assert not Work.objects.exists()
    work = make_work(author, warnings=[CNTUAW])
    for bad in BAD_SETS:
        assert client.post(f"/works/{work.pk}/edit", {**FORM, "warnings": bad}).status_code == 400
    assert [t.name for t in Work.objects.get(pk=work.pk).warnings] == [CNTUAW]


@pytest.mark.django_db
def test_api_refuses_with_the_warnings_field():
    """POST and PATCH: 400 ``invalid`` naming ``warnings``; nothing made or changed."""
    author = make_user("warnapi")
    api = ApiClient(make_token(author))
    work = make_work(author, warnings=[CNTUAW])
    body = {"title": "W", "rating": "Not Rated", "fandoms": ["F"], "chapters": [{"body": "x"}]}
    for bad in BAD_SETS:
        created = api.post("/works", {**body, "warnings": bad})
        edited = api.patch(f"/works/{work.pk}", {"warnings": bad})
        for response in (created, edited):
            assert response.status_code == 400
            assert list(response.json()["error"]["fields"]) == ["warnings"]
    assert Work.objects.count() == 1
    assert [t.name for t in Work.objects.get(pk=work.pk).warnings] == [CNTUAW]


@pytest.mark.django_db
def test_a_work_stored_before_the_rule_stays_editable():
    """A work already carrying NAWA beside CNTUAW (stored before the rule) can still be
    edited: a PATCH of its title keeps its warnings; choosing another contradictory set is
    refused; choosing a valid set is taken."""
    from ficarchive.tags.models import Tag
    from ficarchive.tags.services import work_tags_set
    from ficarchive.tags.vocabulary import TagKind

    author = make_user("warnlegacy")
    api = ApiClient(make_token(author))
    work = make_work(author, warnings=[CNTUAW])
    both = list(Tag.objects.filter(kind=TagKind.WARNING, name__in=[NAWA, CNTUAW]))
    assert len(both) == 2
    work_tags_set(work=work, tags_by_kind={TagKind.WARNING: both})

    def stored():
        return sorted(t.name for t in Work.objects.get(pk=work.pk).warnings)

    assert api.patch(f"/works/{work.pk}", {"title": "Renamed"}).status_code == 200
    assert Work.objects.get(pk=work.pk).title == "Renamed"
    assert stored() == sorted([NAWA, CNTUAW])
    refused = api.patch(f"/works/{work.pk}", {"warnings": [NAWA, MCD]})
    assert refused.status_code == 400
    assert stored() == sorted([NAWA, CNTUAW])
    assert api.patch(f"/works/{work.pk}", {"warnings": [CNTUAW]}).status_code == 200
    assert stored() == [CNTUAW]


@pytest.mark.django_db
def test_import_options_refuse_before_any_file(tmp_path):
    """``ficarchive import --warning`` with a contradictory set: one line, no work."""
    path = tmp_path / "story.txt"
    path.write_text("A Title\n\nSome text here.\n")
    for bad in BAD_SETS:
        args = [x for w in bad for x in ("--warning", w)]
        with pytest.raises(CommandError) as caught:
            call_command("import", str(path), *args, "--no-progress", stdout=io.StringIO())
        assert "\n" not in str(caught.value) and NAWA in str(caught.value)
    assert not Work.objects.exists()


@pytest.mark.django_db
def test_efiction_story_in_none_and_chose_not_to_warn_keeps_the_choice(tmp_path):
    """A mapping that sends a class to CNTUAW, and a story in that class and in "None":
    imported with CNTUAW alone (the file's pair is read leniently, by the same rule)."""
    dump = (FIXTURES / "efiction_dump.sql").read_text()
    dump = dump.replace("(4,2,'Mild Language');", "(4,2,'Mild Language'),(5,2,'None');")
    dump = dump.replace("'1','1,3','1,2','2',", "'1','1,4,5','1,2','2',", 1)
    (tmp_path / "dump.sql").write_text(dump)
    mapping = tmp_path / "mapping.json"
    mapping.write_text(json.dumps({"warnings": {"Mild Language": CNTUAW}}))
    out = io.StringIO()
    call_command(
        "import_efiction",
        str(tmp_path / "dump.sql"),
        "--stories-dir",
        str(FIXTURES / "stories"),
        "--mapping",
        str(mapping),
        "--json",
        stdout=out,
        stderr=io.StringIO(),
    )
    rows = {r["title"]: r for r in map(json.loads, out.getvalue().splitlines()) if r}
    assert rows["Tea at Four"]["warnings"] == [CNTUAW]
    assert [t.name for t in Work.objects.get(title="Tea at Four").warnings] == [CNTUAW]


@pytest.mark.django_db
def test_upload_form_refuses_a_contradictory_choice(client):
    """The import upload form (/works/import): the same refusal, shown on the form, and no
    work made from the file."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    user = make_user("warnupload")
    client.force_login(user)
    upload = SimpleUploadedFile("story.txt", b"A Title\n\nSome text here.\n", "text/plain")
    response = client.post("/works/import", {"uploads": [upload], "warnings": [NAWA, MCD]})
    assert response.status_code == 400 and "cannot be combined" in response.content.decode()
    assert not Work.objects.exists()
