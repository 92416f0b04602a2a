"""`ficarchive import --json` reports the suggest engine's proposals, and its failures."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from ficarchive.transfer import services_import


@pytest.mark.django_db
def test_a_failing_suggest_engine_is_not_reported_as_no_suggestions(tmp_path, monkeypatch):
    """A bug in the suggest engine stops `import --json` with its error instead of printing empty `suggested` lists."""

    def broken(work):
        raise RuntimeError("lexicon is corrupt")

    monkeypatch.setattr(services_import, "suggest_for_work", broken)
    path = tmp_path / "story.txt"
    path.write_text("It was a quiet night.\n\nNothing happened.\n")
    with pytest.raises(RuntimeError, match="lexicon is corrupt"):
        call_command(
            "import",
            str(path),
            "--json",
            "--no-progress",
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )
