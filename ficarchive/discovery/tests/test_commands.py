"""`ficarchive search`: the site's search from the command line, as JSON lines."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

pytestmark = pytest.mark.django_db

KEYS = {
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


def run(*args):
    out = StringIO()
    call_command("search", *args, stdout=out, stderr=StringIO())
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_search_json_lines(archive, settings):
    """--json prints one object per work with import's keys and an absolute URL."""
    rows = run("hidden -vampire", "--json")
    assert [r["id"] for r in rows] == [archive.w1.pk]
    row = rows[0]
    assert set(row) == KEYS
    assert row["url"] == settings.SITE_URL + f"/works/{archive.w1.pk}"
    assert row["tags"] == ["AU", "Fluff"] and row["fandoms"] == ["Sherlock Holmes"]
    assert row["chapters"] == 1 and row["words"] == archive.w1.word_count


def test_search_json_suggested_has_imports_keys(archive):
    """`suggested` has the keys `import --json` gives it (one list per tag kind), empty
    since search proposes nothing: a script reading ``row["suggested"]["characters"]``
    works on both commands' output."""
    (row,) = run("hidden -vampire", "--json")
    assert row["suggested"] == {
        "rating": [],
        "warnings": [],
        "categories": [],
        "fandoms": [],
        "relationships": [],
        "characters": [],
        "tags": [],
    }


def test_search_filters_as_operator(archive):
    """Tags, exclusions, ratings and sort apply; restricted and anonymous works are
    visible to the operator, drafts never."""
    assert [
        r["id"]
        for r in run(
            "--tag", "Alternate Universe", "--exclude-tag", "Angst", "--sort", "kudos", "--json"
        )
    ] == [archive.w1.pk, archive.w4.pk]
    assert {r["id"] for r in run("dragon", "--json")} == {archive.w1.pk, archive.restricted.pk}
    assert [r["id"] for r in run("--rating", "Explicit", "--json")] == [archive.w3.pk]


@pytest.mark.parametrize(
    "args", [['"open'], ["--rating", "Spicy"], ["--sort", "random"], ["--limit", "0"]]
)
def test_search_errors(archive, args):
    """Bad input is a CommandError with a one-line reason."""
    with pytest.raises(CommandError) as info:
        run(*args)
    assert "\n" not in str(info.value)


def test_suggested_keys_are_the_suggest_engines():
    """The empty `suggested` keeps the engine's keys (discovery may not import suggest)."""
    from ficarchive.discovery.serializers import SUGGESTED_KEYS
    from ficarchive.suggest.suggestions import JSON_KEYS

    assert SUGGESTED_KEYS == JSON_KEYS
