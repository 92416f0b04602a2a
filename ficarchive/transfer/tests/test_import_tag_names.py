"""Imported tag names follow the one tag-name rule (tags.services.validate_tag_name)."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from hypothesis import given
from hypothesis import strategies as st

from ficarchive.tags.services import tag_name_repair, validate_tag_name
from ficarchive.works.models import Work

LONG = "A Very Long Additional Tag " * 5  # 135 characters: within the 150 a tag may have


@pytest.mark.django_db
def test_imported_tags_are_repaired_by_the_tag_rule_not_refused_or_cut(tmp_path):
    """`ficarchive import` keeps a 135-character tag whole and turns an invisible character into nothing."""
    path = tmp_path / "tags.md"
    path.write_text(
        f"---\ntitle: Tagged\ntags: Fluff\u200b, {LONG.strip()}, a*b\n---\n\nSome story text here.\n"
    )
    out = io.StringIO()
    call_command("import", str(path), "--json", "--no-progress", stdout=out, stderr=io.StringIO())
    record = json.loads(out.getvalue().splitlines()[0])
    assert record["tags"] == ["Fluff", LONG.strip(), "a b"]
    assert [t.name for t in Work.objects.get(pk=record["id"]).freeforms] == record["tags"]


@given(st.text(max_size=400))
def test_repaired_names_pass_the_rule(raw):
    """Whatever a file holds, its repaired tag name is empty or accepted unchanged by validate_tag_name."""
    name = tag_name_repair(raw)
    assert name == "" or validate_tag_name(name) == name
