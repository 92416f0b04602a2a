"""Mutes and saved filters: set once, applied server-side wherever works are listed."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from ficarchive.discovery import services
from ficarchive.discovery.plan import WithinWorks
from ficarchive.discovery.search import search_works

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("engine")]


def listed(viewer, params=None):
    return {w.pk for w in search_works(viewer, params or {}).works}


def test_muting_a_canonical_tag_mutes_synonyms_and_subtags(archive, user):
    """Muting "Alternate Universe" hides works tagged AU (synonym) and Coffee Shop AU (subtag)."""
    services.mute_add(actor=user, kind="tag", value="Alternate Universe")
    assert listed(user) == {archive.w2.pk, archive.restricted.pk}
    assert listed(user, {"q": "sherlock"}) == {archive.w2.pk, archive.restricted.pk}


def test_muting_a_synonym_mutes_its_canonical(archive, user):
    """Muting a synonym mutes the canonical tag it stands for, with everything under it."""
    services.mute_add(actor=user, kind="tag", value="AU")
    assert archive.w4.pk not in listed(user)


def test_mute_creator_and_language(archive, user):
    """A muted creator's works and a muted language's works are gone from listings."""
    services.mute_add(actor=user, kind="creator", value="bob")
    services.mute_add(actor=user, kind="language", value="fr")
    assert listed(user) == {archive.w1.pk, archive.w4.pk}


def test_mutes_apply_within_a_base_listing(archive, user):
    """Mutes hold on tag and user listings too (any caller of search_works)."""
    from ficarchive.works.models import Work

    services.mute_add(actor=user, kind="tag", value="Angst")
    base = Work.objects.filter(creatorships__pseud__user=archive.alice)
    assert {w.pk for w in search_works(user, {}, within=WithinWorks(base)).works} == {archive.w1.pk}


def test_mute_validation(archive, user):
    """Unknown tags and users are refused with a message; muting twice is one mute."""
    with pytest.raises(ValidationError):
        services.mute_add(actor=user, kind="tag", value="Nope")
    with pytest.raises(ValidationError):
        services.mute_add(actor=user, kind="creator", value="nobody_here")
    first = services.mute_add(actor=user, kind="language", value="fr")
    assert services.mute_add(actor=user, kind="language", value="fr").pk == first.pk
    services.mute_remove(actor=user, mute_id=first.pk)
    assert archive.w3.pk in listed(user)


def test_saved_filter_keeps_the_canonical_querystring(archive, user):
    """A saved filter stores the listing path and a clean query string, and replaces by name."""
    saved = services.saved_filter_create(
        actor=user,
        name="Long fics",
        path="/works",
        params={"words_from": "100", "sort": "kudos", "junk": "1"},
    )
    assert saved.get_absolute_url() == "/works?words_from=100&sort=kudos"
    again = services.saved_filter_create(
        actor=user, name="Long fics", path="/works", params={"words_from": "5"}
    )
    assert again.pk == saved.pk and again.querystring == "words_from=5"
    with pytest.raises(ValidationError):
        services.saved_filter_create(
            actor=user, name="Elsewhere", path="https://evil.example/", params={}
        )
