"""An imported work that carries an archive warning never gets "No Archive Warnings Apply"
beside it: neither set (a source carrying both) nor proposed (``suggested``)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command

from ficarchive.tags.vocabulary import warnings_contradict, warnings_without_contradiction
from ficarchive.testing import make_user, make_work
from ficarchive.transfer.services_import import suggested_json
from ficarchive.works.models import Work

FIXTURES = Path(__file__).parent / "importers" / "fixtures"
DUMP = FIXTURES / "efiction_dump.sql"
STORIES = FIXTURES / "stories"
NAWA = "No Archive Warnings Apply"
MCD = "Major Character Death"


def _efiction(dump: str) -> list[dict]:
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "import_efiction", dump, "--stories-dir", str(STORIES), "--json", stdout=out, stderr=err
    )
    return [json.loads(line) for line in out.getvalue().splitlines() if line.strip()]


@pytest.mark.django_db
def test_efiction_work_with_a_warning_is_not_proposed_none_apply():
    """ "Tea at Four" carries Major Character Death: its `suggested` warnings hold no NAWA."""
    rows = {r["title"]: r for r in _efiction(str(DUMP))}
    tea = rows["Tea at Four"]
    assert tea["warnings"] == [MCD]
    assert NAWA not in tea["suggested"]["warnings"]


@pytest.mark.django_db
def test_efiction_story_in_both_classes_keeps_only_the_warning(tmp_path):
    """A story in the classes "None" and "Character Death" is imported with MCD alone."""
    text = DUMP.read_text()
    text = text.replace("(4,2,'Mild Language');", "(4,2,'Mild Language'),(5,2,'None');")
    text = text.replace("'1','1,3','1,2','2',", "'1','1,3,5','1,2','2',", 1)
    dump = tmp_path / "both.sql"
    dump.write_text(text)
    rows = {r["title"]: r for r in _efiction(str(dump))}
    assert rows["Tea at Four"]["warnings"] == [MCD]
    assert [t.name for t in Work.objects.get(title="Tea at Four").warnings] == [MCD]


@pytest.mark.django_db
def test_suggested_keeps_none_apply_beside_chose_not_to_warn_only():
    """NAWA is dropped beside a real warning or itself; kept beside "Creator Chose Not To Use"."""
    owner = make_user("warnsugg")
    text = "They walked to the market and bought bread. " * 40
    ccnt = make_work(owner, warnings=["Creator Chose Not To Use Archive Warnings"], chapters=[text])
    mcd = make_work(owner, warnings=[MCD], chapters=[text])
    assert NAWA in suggested_json(ccnt)["warnings"]
    assert NAWA not in suggested_json(mcd)["warnings"]


@pytest.mark.django_db
def test_posting_refuses_what_imports_drop():
    """What imports read leniently (dropping "No Archive Warnings Apply" beside a warning)
    the posting service refuses when a person chooses it (tags.vocabulary.warnings_problem;
    test_warning_rule.py covers every door)."""
    from django.core.exceptions import ValidationError

    owner = make_user("warnpost")
    with pytest.raises(ValidationError, match="cannot be combined"):
        make_work(owner, warnings=[NAWA, MCD])
    assert not Work.objects.exists()


def test_the_contradiction_rule():
    """NAWA beside any other warning contradicts it; imports drop NAWA, keeping the rest."""
    assert warnings_contradict([NAWA, MCD])
    assert warnings_contradict([NAWA, "Creator Chose Not To Use Archive Warnings"])
    assert not warnings_contradict([NAWA]) and not warnings_contradict([MCD, "Underage Sex"])
    assert warnings_without_contradiction([NAWA, MCD]) == [MCD]
    assert warnings_without_contradiction([NAWA]) == [NAWA]
