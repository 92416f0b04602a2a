"""Wrangling reaches search at once: renames, synonyms, merges and splits re-index the
works carrying the tags (their text and their crossover flag), through the real surfaces."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command

from ficarchive.core.viewers import OPERATOR
from ficarchive.discovery.selectors import filter_works
from ficarchive.tags.models import Tag
from ficarchive.tags.services import tag_make_canonical, tag_make_synonym, tag_split_synonym
from ficarchive.testing import make_work

pytestmark = pytest.mark.django_db


def search(*query: str) -> list[int]:
    """Work ids the `ficarchive search --json` command finds."""
    out = StringIO()
    call_command("search", *query, "--json", stdout=out, stderr=StringIO())
    return [json.loads(line)["id"] for line in out.getvalue().splitlines()]


def test_cli_rename_is_searchable_by_the_new_name_only(author):
    """After `ficarchive tag rename Stabbing "Knife Wounds"`, text search finds the work by
    the new name and no longer by the old."""
    work = make_work(author, title="Alley", freeforms=["Stabbing"])
    assert search("stabbing") == [work.pk]
    call_command("tag", "rename", "Stabbing", "Knife Wounds", stdout=StringIO())
    assert search("knife", "wounds") == [work.pk]
    assert search("stabbing") == []


def test_rename_of_a_canonical_reaches_works_tagged_with_its_synonyms(author):
    """A work tagged with a synonym is found by its canonical tag's new name."""
    work = make_work(author, title="Night", freeforms=["Whump"])
    canonical = tag_make_canonical(actor=OPERATOR, tag="Whumpery")
    tag_make_synonym(actor=OPERATOR, tag=Tag.objects.get(name="Whump"), canonical=canonical)
    assert search("whumpery") == [work.pk]
    call_command("tag", "rename", "Whumpery", "Hurt and Comfort", stdout=StringIO())
    assert search('"hurt and comfort"') == [work.pk]
    assert search("whumpery") == []


def test_synonym_and_split_are_searchable(author):
    """Making a tag a synonym adds the canonical name to its works' text; splitting it off
    takes the name away again."""
    work = make_work(author, title="Cafe", freeforms=["coffee shop"])
    call_command("tag", "canonical", "Alternate Universe - Coffee Shops & Cafés", stdout=StringIO())
    assert search("cafés") == []
    call_command(
        "tag",
        "synonym",
        "coffee shop",
        "Alternate Universe - Coffee Shops & Cafés",
        stdout=StringIO(),
    )
    assert search("cafés") == [work.pk]
    tag_split_synonym(actor=OPERATOR, tag=Tag.objects.get(name="coffee shop"))
    assert search("cafés") == []


def test_fandom_synonym_ends_a_crossover(author):
    """Two fandom tags that wrangling makes one fandom are no crossover any more."""
    work = make_work(author, fandoms=["BtVS", "Buffy the Vampire Slayer (TV)"])
    assert [w.pk for w in filter_works(OPERATOR, {"crossover": "only"}).works] == [work.pk]
    call_command(
        "tag", "canonical", "Buffy the Vampire Slayer (TV)", "--kind", "fandom", stdout=StringIO()
    )
    call_command("tag", "synonym", "BtVS", "Buffy the Vampire Slayer (TV)", stdout=StringIO())
    assert [w.pk for w in filter_works(OPERATOR, {"crossover": "only"}).works] == []
    assert [w.pk for w in filter_works(OPERATOR, {"crossover": "exclude"}).works] == [work.pk]


def test_merge_moves_synonyms_and_reindexes_their_works(author):
    """Merging a canonical tag into another re-indexes the works of its synonyms too."""
    work = make_work(author, title="Merged", freeforms=["fluffy"])
    fluff = tag_make_canonical(actor=OPERATOR, tag="Fluff")
    tag_make_synonym(actor=OPERATOR, tag=Tag.objects.get(name="fluffy"), canonical=fluff)
    soft = tag_make_canonical(actor=OPERATOR, tag="Softness")
    assert search("softness") == []
    tag_make_synonym(actor=OPERATOR, tag=fluff, canonical=soft)
    assert search("softness") == [work.pk]
