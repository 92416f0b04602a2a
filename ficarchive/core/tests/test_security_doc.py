"""docs/security.md states the privacy matrix's size as the matrix has it, so the count
of surfaces that go through the access module cannot go stale again unnoticed."""

from __future__ import annotations

from pathlib import Path

from ficarchive.core.tests import test_visibility_matrix as matrix
from ficarchive.core.tests import visibility_rule as rule

DOC = Path(__file__).resolve().parents[3] / "docs" / "security.md"


def test_security_doc_counts_match_the_matrix():
    """The roles, states, surfaces and cases docs/security.md names are the matrix's."""
    text = DOC.read_text()
    assert f"{len(rule.ROLES)} roles" in text
    assert f"{len(rule.STATES)} states" in text
    assert f"× {len(matrix.SURFACES)} surfaces" in text
    assert f"= {len(matrix.CASES):,} cases" in text


def test_security_doc_names_every_surface_group():
    """Each surface the matrix checks is counted once in the doc's list (46 today)."""
    groups = (
        matrix.PAGE_SURFACES,
        matrix.READING_SURFACES,
        matrix.LISTING_SURFACES,
        matrix.OWN_SURFACES,
        matrix.TAG_SURFACES,
        matrix.SERIES_SURFACES,
        matrix.PSEUD_SURFACES,
        matrix.SUBSCRIPTION_SURFACES,
    )
    assert sum(len(g) for g in groups) == len(matrix.SURFACES)
    assert f"The {len(matrix.SURFACES)} surfaces:" in DOC.read_text()
