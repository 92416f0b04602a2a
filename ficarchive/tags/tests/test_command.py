"""`ficarchive tag ...`: JSON lines on stdout, refusals as CommandError with nothing changed."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from ficarchive.tags.models import Tag
from ficarchive.testing import make_work

pytestmark = pytest.mark.django_db


def run(*args: str) -> list[dict]:
    out = StringIO()
    call_command("tag", *args, "--json", stdout=out)
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_show_json_has_contract_keys_and_closure_count(author):
    """`tag show --json` prints the contract's keys; works counts the closure."""
    make_work(author, fandoms=["BtVS"])
    make_work(author, fandoms=["Buffy the Vampire Slayer (TV)"])
    run("canonical", "Buffy the Vampire Slayer - All Media Types", "--kind", "fandom")
    run("canonical", "Buffy the Vampire Slayer (TV)", "--kind", "fandom")
    run("synonym", "btvs", "Buffy the Vampire Slayer (TV)")
    run("parent", "Buffy the Vampire Slayer (TV)", "Buffy the Vampire Slayer - All Media Types")
    (shown,) = run("show", "buffy the vampire slayer - all media types")
    assert set(shown) >= {
        "name",
        "kind",
        "canonical",
        "synonym_of",
        "synonyms",
        "parents",
        "children",
        "fandoms",
        "works",
    }
    assert shown["children"] == ["Buffy the Vampire Slayer (TV)"]
    assert shown["works"] == 2
    # A draft is in no listing, so not counted (the figure `search --tag` agrees with).
    make_work(author, fandoms=["BtVS"], draft=True)
    assert run("show", "Buffy the Vampire Slayer - All Media Types")[0]["works"] == 2
    (sub,) = run("show", "Buffy the Vampire Slayer (TV)")
    assert sub["synonyms"] == ["BtVS"] and sub["parents"] == [
        "Buffy the Vampire Slayer - All Media Types"
    ]


def test_fandom_rename_and_list(db):
    """`tag fandom`, `tag rename` and `tag list --fandom/--kind/--unwrangled` work together."""
    run("canonical", "Buffy the Vampire Slayer (TV)", "--kind", "fandom")
    run("canonical", "Willow", "--kind", "character")
    run("canonical", "Angst", "--kind", "additional")
    (linked,) = run("fandom", "Willow", "Buffy the Vampire Slayer (TV)")
    assert linked["fandoms"] == ["Buffy the Vampire Slayer (TV)"]
    (renamed,) = run("rename", "Willow", "Willow Rosenberg")
    assert renamed["name"] == "Willow Rosenberg"
    assert [r["name"] for r in run("list", "--fandom", "Buffy the Vampire Slayer (TV)")] == [
        "Willow Rosenberg"
    ]
    assert [r["name"] for r in run("list", "--kind", "additional")] == ["Angst"]
    run("canonical", "Spike/Xander Harris", "--kind", "relationship")
    # A relationship makes no character tags (AO3); it links those that exist.
    assert [r["name"] for r in run("list", "--unwrangled")] == []


def test_refusal_is_one_line_and_changes_nothing(db):
    """A refused change raises CommandError with a one-line reason; the tags are as before."""
    run("canonical", "Canon", "--kind", "character")
    run("canonical", "Otherness", "--kind", "freeform")
    before = list(Tag.objects.values_list("pk", "name", "canonical", "synonym_of_id"))
    for args in (
        ("synonym", "Canon", "Otherness"),
        ("rename", "Canon", "OTHERNESS"),
        ("synonym", "Canon", "Nope"),
        ("canonical", "a,b"),
        ("canonical", "x" * 500),
    ):
        with pytest.raises(CommandError) as info:
            run(*args)
        assert "\n" not in str(info.value) and str(info.value)
    assert list(Tag.objects.values_list("pk", "name", "canonical", "synonym_of_id")) == before
