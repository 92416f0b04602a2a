"""`ficarchive demo`: the shipped demo works load once, varied as the issue asks."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command

from ficarchive.tags.vocabulary import Rating
from ficarchive.works.demo import demo_works
from ficarchive.works.models import Work


def _run(*args):
    out = StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_demo_loads_once():
    """The first run creates every demo work; the second creates nothing."""
    first = _run()
    count = Work.objects.count()
    assert count == len(demo_works()) >= 12
    assert first.strip() == f"Demo works: {count} created, 0 already present."
    second = json.loads(_run("--json"))
    assert second == {"created": 0, "skipped": count}
    assert Work.objects.count() == count


@pytest.mark.django_db
def test_demo_json_is_one_line():
    """With --json the command prints exactly one JSON object on one line."""
    lines = _run("--json").splitlines()
    assert len(lines) == 1 and json.loads(lines[0])["created"] >= 12


@pytest.mark.django_db
def test_demo_variety():
    """Every rating, a complete multi-chapter work, one in progress, a scene break, several fandoms."""
    _run()
    works = list(Work.objects.with_blurb_data())
    assert {w.rating for w in works} == set(Rating.values)
    assert any(w.chapter_count >= 3 and w.is_complete for w in works)
    assert any(w.chapters_display.endswith("/?") and w.chapter_count >= 2 for w in works)
    assert any("<hr>" in c.body for w in works for c in w.chapters.all())
    fandoms = {t.name for w in works for t in w.fandoms}
    assert len(fandoms) >= 5
    assert all(w.posted and 150 <= w.word_count <= 1500 for w in works)
    assert all(w.relationships or w.characters for w in works)


@pytest.mark.django_db
def test_demo_accounts_cannot_log_in():
    """Demo accounts have unusable passwords."""
    from ficarchive.accounts.models import User

    _run()
    owners = User.objects.filter(pseuds__creatorships__isnull=False).distinct()
    assert owners.exists() and not any(u.has_usable_password() for u in owners)


@pytest.mark.django_db
def test_demo_leaves_real_accounts_alone():
    """A real account that holds a demo author's name gets no demo works."""
    from ficarchive.testing import make_user

    real = make_user("baker_street_irregular")
    _run()
    assert not Work.objects.filter(creatorships__pseud__user=real).exists()
    assert Work.objects.filter(
        creatorships__pseud__user__username="baker_street_irregular_demo"
    ).exists()
