"""`ficarchive bench generate --works N` adds N works each time it runs (CONTRACT.md: a
synthetic archive), instead of failing on the second run with a duplicate account name."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from ficarchive.works.models import Work

pytestmark = pytest.mark.django_db


def test_generate_twice_adds_twice(tmp_path):
    """Same seed both times (the default): the second run still adds its works."""
    for _ in range(2):
        call_command(
            "bench",
            "generate",
            "--works",
            "5",
            "--corpus",
            str(tmp_path),  # empty: the built-in word list
            "--json",
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )
    assert Work.objects.count() == 10
