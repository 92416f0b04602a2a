"""Names in every script: imported authors, pseuds and user names (issue 12, kind 4)."""

from __future__ import annotations

import io
import json
import unicodedata
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from ficarchive.accounts.models import Pseud
from ficarchive.accounts.services import pseud_create, pseud_unclaimed, user_create
from ficarchive.works.models import Work

FIXTURES = Path(__file__).parent / "importers" / "fixtures"
pytestmark = pytest.mark.django_db


def test_unclaimed_pseuds_keep_every_script_and_stay_distinct():
    """ "Élodie", "美咲", "Zoë", "Zoé" are four people; decomposed "Zoë" is the same one."""
    names = ["Élodie", "美咲", "Zoë", "Zoé", "مریم\u200cسادات"]
    pseuds = [pseud_unclaimed(name=n) for n in names]
    assert [p.name for p in pseuds] == names
    assert len({p.pk for p in pseuds}) == 5
    nfd = pseud_unclaimed(name=unicodedata.normalize("NFD", "Zoë"))
    assert nfd.pk == pseuds[2].pk


def test_unclaimed_pseud_is_never_anonymous():
    """A name of nothing but symbols, or "Anonymous" itself, never becomes "Anonymous"."""
    assert pseud_unclaimed(name="!!!").name == "imported author"
    assert pseud_unclaimed(name="Anonymous").name.casefold() != "anonymous"
    assert pseud_unclaimed(name="\u202eevil\u202c").name == "evil"


def test_user_and_pseud_names_in_any_script():
    """Accounts and pseuds may use letters of any script, with combining marks."""
    user = user_create(username="अनिता_1", password=None)
    pseud = pseud_create(actor=user, user=user, name="Zoë Mercer")
    assert pseud.name == "Zoë Mercer"
    assert pseud_create(actor=user, user=user, name="美咲").name == "美咲"
    with pytest.raises(ValidationError):
        pseud_create(actor=user, user=user, name="bad\u202ename")
    with pytest.raises(ValidationError):
        pseud_create(actor=user, user=user, name="Anonymous")
    with pytest.raises(ValidationError):
        user_create(username="has space", password=None)


def test_efiction_pennames_in_any_script_from_a_mixed_encoding_dump(tmp_path):
    """A dump whose authors are "&Eacute;lodie" (as old eFiction stored it) and "美咲" in
    UTF-8, with one Windows-1252 line:
    the pennames stay as written and credit their own works."""
    dump = (FIXTURES / "efiction_dump.sql").read_text(encoding="utf-8")
    dump = dump.replace("(1,'Quill',", "(1,'&Eacute;lodie',").replace(
        "(2,'Ink Blot',", "(2,'美咲',"
    )
    lines = dump.split("\n")
    i = next(n for n, line in enumerate(lines) if line.startswith("INSERT INTO `efic_stories`"))
    raw = [line.encode("utf-8") for line in lines]
    raw[i] = lines[i].replace("Tea at Four", "Café at Four").encode("cp1252")
    path = tmp_path / "dump.sql"
    path.write_bytes(b"\n".join(raw))
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "import_efiction",
        str(path),
        "--stories-dir",
        str(FIXTURES / "stories"),
        "--json",
        stdout=out,
        stderr=err,
    )
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert "Café at Four" in [r["title"] for r in rows]
    names = set(Pseud.objects.filter(user__isnull=True).values_list("name", flat=True))
    assert {"Élodie", "美咲"} <= names
    cafe = Work.objects.get(title="Café at Four")
    assert [c.pseud.name for c in cafe.creatorships.all()] == ["Élodie"]
