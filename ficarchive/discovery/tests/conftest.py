"""A small hand-built archive whose answers are known, for the filter and search tests."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from ficarchive.core.viewers import OPERATOR
from ficarchive.tags.models import Tag
from ficarchive.tags.services import tag_add_parent, tag_make_canonical, tag_make_synonym
from ficarchive.tags.vocabulary import ArchiveWarning, Category, Rating
from ficarchive.testing import make_user, make_work
from ficarchive.works.models import Work


def _wrangle(*, synonym: str, canonical: str) -> None:
    canon = tag_make_canonical(actor=OPERATOR, tag=canonical)
    tag_make_synonym(actor=OPERATOR, tag=Tag.objects.get(name=synonym), canonical=canon)


def _subtag(*, child: str, parent: str) -> None:
    tag_add_parent(
        actor=OPERATOR,
        child=tag_make_canonical(actor=OPERATOR, tag=child),
        parent=Tag.objects.get(name=parent),
    )


@pytest.fixture
def archive(db):
    alice, bob, carol = make_user("alice"), make_user("bob"), make_user("carol")
    w1 = make_work(
        alice,
        title="The Dragon Library",
        rating=Rating.GENERAL,
        categories=[Category.GEN],
        fandoms=["Sherlock Holmes"],
        relationships=["Sherlock/John"],
        characters=["Sherlock"],
        freeforms=["AU", "Fluff"],
        summary="A quiet tale.",
        chapters=["The hidden door opened onto a dragon library. " + "word " * 120],
    )
    w2 = make_work(
        bob,
        title="A Study in Scarlet",
        rating=Rating.TEEN,
        warnings=[ArchiveWarning.VIOLENCE],
        categories=[Category.MM],
        fandoms=["Sherlock Holmes", "Doctor Who"],
        relationships=["Sherlock/John"],
        freeforms=["Angst"],
        in_progress=True,
        chapters=["Watson met a vampire in the hidden room. " + "word " * 40],
    )
    w3 = make_work(
        alice,
        title="Vampire Nights",
        rating=Rating.EXPLICIT,
        warnings=[ArchiveWarning.MAJOR_CHARACTER_DEATH],
        categories=[Category.FF],
        fandoms=["Doctor Who"],
        freeforms=["Angst", "Alternate Universe"],
        language="fr",
        chapters=["The door was hidden. Nights of the vampire. " + "mot " * 2000],
    )
    w4 = make_work(
        carol,
        title="Coffee and Deduction",
        rating=Rating.MATURE,
        fandoms=["Sherlock Holmes"],
        freeforms=["Coffee Shop AU"],
        anonymous=True,
        chapters=["Espresso at dawn, a secret plan."],
    )
    draft = make_work(alice, title="Dragon Draft", draft=True, chapters=["An unposted dragon."])
    restricted = make_work(
        bob, title="Locked Dragon", restricted=True, chapters=["A dragon for members."]
    )
    _wrangle(synonym="AU", canonical="Alternate Universe")
    _subtag(child="Coffee Shop AU", parent="Alternate Universe")
    # Counters as the feedback services would have left them. Set directly: 175 kudos and
    # 1,510 visits through kudos_give and hit_record take seconds per test here, and the
    # freshness tests give kudos through the service.
    for work, kudos, hits in ((w1, 50, 500), (w2, 5, 900), (w3, 120, 100), (w4, 0, 10)):
        Work.objects.filter(pk=work.pk).update(kudos_count=kudos, hit_count=hits)
    return SimpleNamespace(
        alice=alice,
        bob=bob,
        carol=carol,
        w1=w1,
        w2=w2,
        w3=w3,
        w4=w4,
        draft=draft,
        restricted=restricted,
    )


@pytest.fixture(params=["sql", "bitmaps"])
def engine(request, settings):
    """Runs a test on the SQL path and on the in-process bitmap index: same answers."""
    from ficarchive.discovery import bitmaps

    settings.DISCOVERY_BITMAPS = request.param == "bitmaps"
    bitmaps.reset()
    yield request.param
    bitmaps.reset()
