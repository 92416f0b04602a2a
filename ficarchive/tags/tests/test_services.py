"""Wrangling services: what they do, and every refusal leaving everything as it was."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from ficarchive.core.audit import AuditLog
from ficarchive.core.errors import PermissionDenied
from ficarchive.core.viewers import OPERATOR
from ficarchive.tags.models import Tag, Tagging
from ficarchive.tags.services import (
    relationship_character_names,
    tag_add_parent,
    tag_link_fandom,
    tag_make_canonical,
    tag_make_synonym,
    tag_merge,
    tag_rename,
    tag_split_synonym,
    tags_find_or_create,
    tags_mass_wrangle,
)
from ficarchive.testing import make_user, make_work

from .factories import make_wrangler, tag

pytestmark = pytest.mark.django_db


def snapshot() -> list[tuple]:
    """Everything wrangling can change, to show that a refusal changed nothing."""
    tags = list(
        Tag.objects.order_by("pk").values_list("pk", "name", "kind", "canonical", "synonym_of_id")
    )
    links = [
        sorted(Tag.parents.through.objects.values_list("from_tag_id", "to_tag_id")),
        sorted(Tag.fandoms.through.objects.values_list("from_tag_id", "to_tag_id")),
    ]
    return [tags, links, AuditLog.objects.count()]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Buffy Summers/Spike", ["Buffy Summers", "Spike"]),
        ("Buffy Summers & Willow Rosenberg", ["Buffy Summers", "Willow Rosenberg"]),
        ("A/B/C", ["A", "B", "C"]),
        ("Xander Harris / Anya", ["Xander Harris", "Anya"]),
        ("Spuffy", []),
        ("Tom&Jerry", []),
    ],
)
def test_relationship_names_parse_into_characters(name, expected):
    """`A/B`, `A & B` and `A/B/C` name their characters; a nickname names none."""
    assert relationship_character_names(name) == expected


def test_new_relationship_links_to_existing_character_tags_only(db):
    """A relationship links the character tags that exist and creates none (AO3: a
    relationship adds no character tags); a synonym links its canonical tag."""
    existing = tag("Spike", "character")
    (rel,) = tags_find_or_create(kind="relationship", names=["Buffy Summers/Spike"])
    assert [c.pk for c in rel.characters.all()] == [existing.pk]
    assert not Tag.objects.filter(name="Buffy Summers").exists()
    w = make_wrangler()
    canon = tag_make_canonical(actor=w, tag="Willow Rosenberg", kind="character")
    tag_make_synonym(actor=w, tag=tag("Willow", "character"), canonical=canon)
    (rel2,) = tags_find_or_create(kind="relationship", names=["Willow & Tara Maclay"])
    assert [c.pk for c in rel2.characters.all()] == [canon.pk]


def test_posting_a_relationship_adds_no_character_tags(author):
    """Posting with "A/B" tags the work with the relationship alone; no character tag
    appears in the archive; a character used later is linked to the relationship."""
    work = make_work(author, relationships=["Faith Lehane/Buffy Summers"])
    assert [t.kind for t in work.tags.filter(kind="character")] == []
    assert not Tag.objects.filter(kind="character").exists()
    make_work(author, title="Later", characters=["Buffy Summers", "Faith Lehane"])
    rel = Tag.objects.get(name="Faith Lehane/Buffy Summers")
    assert sorted(c.name for c in rel.characters.all()) == ["Buffy Summers", "Faith Lehane"]


def test_relationship_with_a_name_of_another_kind_is_still_accepted(db):
    """A character name already used by a freeform is skipped, not refused."""
    tag("Angst", "freeform")
    tag("Fluff", "character")
    (rel,) = tags_find_or_create(kind="relationship", names=["Angst & Fluff"])
    assert [c.name for c in rel.characters.all()] == ["Fluff"]


def test_names_compare_case_insensitively_and_keep_spelling(db):
    """'  buffy SUMMERS ' finds the tag 'Buffy Summers', whose spelling stays as first typed."""
    first = tag("Buffy Summers", "character")
    again = tag("  buffy   SUMMERS ", "character")
    assert again.pk == first.pk
    assert again.name == "Buffy Summers"


def test_synonym_merge_split_and_audit(author):
    """Synonyms, merges and splits change Tag rows and the log, never the authors' Taggings."""
    w = make_wrangler()
    work = make_work(author, relationships=["Spuffy", "Spike/Buffy Summers"])
    before = sorted(Tagging.objects.filter(work=work).values_list("tag_id", "position"))
    canon = tag_make_canonical(actor=w, tag="Buffy Summers/Spike", kind="relationship")
    other = tag_make_canonical(actor=w, tag="Spike/Buffy Summers", kind="relationship")
    tag_make_synonym(actor=w, tag=tag("Spuffy", "relationship"), canonical=other)
    tag_merge(actor=w, tag=other, into=canon)
    other.refresh_from_db()
    assert other.synonym_of_id == canon.pk and not other.canonical
    assert tag("Spuffy", "relationship").synonym_of_id == canon.pk  # its synonym moved along
    tag_split_synonym(actor=w, tag=tag("Spuffy", "relationship"))
    assert tag("Spuffy", "relationship").is_unwrangled
    assert sorted(Tagging.objects.filter(work=work).values_list("tag_id", "position")) == before
    actions = list(AuditLog.objects.filter(actor=w).order_by("id").values_list("action", flat=True))
    assert actions == ["tag.create", "tag.canonical", "tag.synonym", "tag.synonym", "tag.split"]


def test_rename_keeps_works_on_the_tag(author):
    """Renaming a canonical tag keeps it on every work that had it, under the new name."""
    w = make_wrangler()
    work = make_work(author, freeforms=["Fluf"])
    t = tag_make_canonical(actor=w, tag="Fluf")
    tag_rename(actor=w, tag=t, new_name="Fluff")
    assert [x.name for x in work.tags.filter(kind="freeform")] == ["Fluff"]
    assert tag("fluff").pk == t.pk


def test_canonical_creates_with_freeform_default_and_additional_alias(db):
    """`tag canonical` creates missing tags: freeform by default, "additional" meaning freeform."""
    a = tag_make_canonical(actor=OPERATOR, tag="Angst")
    b = tag_make_canonical(actor=OPERATOR, tag="Fluff", kind="additional")
    assert (a.kind, a.canonical, b.kind) == ("freeform", True, "freeform")


def test_link_fandom_and_mass_action(db):
    """A mass action links every chosen tag to the fandom, or none of them when one is refused."""
    w = make_wrangler()
    fandom = tag_make_canonical(actor=w, tag="Buffy the Vampire Slayer (TV)", kind="fandom")
    a, b = tag("Willow Rosenberg", "character"), tag("Xander Harris", "character")
    assert tags_mass_wrangle(actor=w, tags=[a, b], action="fandom", target=fandom) == 2
    assert set(fandom.fandom_members.all()) == {a, b}


def test_mass_action_is_all_or_nothing(db):
    """When one tag of a mass action is refused, none of the others changes."""
    w = make_wrangler()
    target = tag_make_canonical(actor=w, tag="Rupert Giles", kind="character")
    c, d = tag("Giles", "character"), tag("Research", "freeform")
    before = snapshot()
    with pytest.raises(ValidationError, match="same kind"):
        tags_mass_wrangle(actor=w, tags=[c, d], action="synonym", target=target)
    assert snapshot() == before


def test_only_wranglers_wrangle(db):
    """A reader who is not a wrangler is refused; a superuser may."""
    reader = make_user("reader2")
    with pytest.raises(PermissionDenied):
        tag_make_canonical(actor=reader, tag="Angst")
    boss = make_user("boss", is_superuser=True)
    assert tag_make_canonical(actor=boss, tag="Angst").canonical


def _refusal(fn):
    before = snapshot()
    with pytest.raises(ValidationError) as info:
        fn()
    assert snapshot() == before
    return str(info.value)


def test_refusals_change_nothing(db):
    """Cycles, non-canonical targets, kind mismatches, taken names, long or bad names: refused."""
    w = make_wrangler()
    a = tag_make_canonical(actor=w, tag="Canon A", kind="character")
    b = tag_make_canonical(actor=w, tag="Canon B", kind="character")
    loose = tag("Loose", "character")
    syn = tag_make_synonym(actor=w, tag=tag("Alias A", "character"), canonical=a)
    free = tag_make_canonical(actor=w, tag="Angst", kind="freeform")
    # cycle: a canonical made a synonym of its own synonym
    assert "not canonical" in _refusal(lambda: tag_make_synonym(actor=w, tag=a, canonical=syn))
    assert "itself" in _refusal(lambda: tag_make_synonym(actor=w, tag=a, canonical=a))
    # a canonical made synonym of a non-canonical
    assert "not canonical" in _refusal(lambda: tag_make_synonym(actor=w, tag=b, canonical=loose))
    # kinds differ
    assert "same kind" in _refusal(lambda: tag_make_synonym(actor=w, tag=loose, canonical=free))
    # meta/sub tag loop
    tag_add_parent(actor=w, child=b, parent=a)
    assert "loop" in _refusal(lambda: tag_add_parent(actor=w, child=a, parent=b))
    # renaming onto an existing name, in any case
    assert "already a tag" in _refusal(lambda: tag_rename(actor=w, tag=b, new_name="canon a"))
    # names: too long, commas, control characters
    assert "limit" in _refusal(lambda: tag_rename(actor=w, tag=b, new_name="x" * 500))
    assert "limit" in _refusal(lambda: tag_make_canonical(actor=w, tag="y" * 500))
    assert "," in _refusal(lambda: tag_make_canonical(actor=w, tag="Angst, Fluff"))
    assert "control" in _refusal(lambda: tag_rename(actor=w, tag=b, new_name="Bad\x07Name"))
    assert "control" in _refusal(lambda: tag_make_canonical(actor=w, tag="Bad\x00Name"))
    # a kind that is not a free kind, or that differs from the existing tag's
    assert "not a kind" in _refusal(lambda: tag_make_canonical(actor=w, tag="New", kind="rating"))
    assert "not a freeform" in _refusal(
        lambda: tag_make_canonical(actor=w, tag="Canon A", kind="freeform")
    )
    # the fixed vocabularies stay fixed
    (explicit,) = tags_find_or_create(kind="rating", names=["Explicit"])
    assert "fixed" in _refusal(lambda: tag_rename(actor=w, tag=explicit, new_name="Smut"))
    # fandom links go to canonical fandoms only
    fandom_syn = tag("BtVS", "fandom")
    assert "not a canonical fandom" in _refusal(
        lambda: tag_link_fandom(actor=w, tag=loose, fandom=fandom_syn)
    )
    assert "not a fandom" in _refusal(lambda: tag_link_fandom(actor=w, tag=loose, fandom=free))
    # making a synonym canonical without splitting it off
    assert "split it off" in _refusal(lambda: tag_make_canonical(actor=w, tag=syn))


def test_deleting_a_work_releases_its_tags_uses(author):
    """A deleted work's tags count one use fewer (the tags app keeps the counter)."""
    from ficarchive.works.services import work_delete

    keep = make_work(author, freeforms=["Shared Tag"])
    gone = make_work(author, freeforms=["Shared Tag", "Only Here"])
    assert Tag.objects.get(name="Shared Tag").uses == 2
    work_delete(actor=author, work=gone)
    assert Tag.objects.get(name="Shared Tag").uses == 1
    assert Tag.objects.get(name="Only Here").uses == 0
    assert keep.taggings.filter(tag__name="Shared Tag").exists()


def test_wrangling_needs_a_wrangler_or_the_operator():
    """A guest (no account) cannot wrangle; the command line does so as OPERATOR, and its
    audit entry says so."""
    with pytest.raises(PermissionDenied):
        tag_make_canonical(actor=None, tag="Hurt/Comfort Guest")
    tag_make_canonical(actor=OPERATOR, tag="Hurt/Comfort Operator")
    entry = AuditLog.objects.filter(action__startswith="tag").latest("pk")
    assert entry.detail["via"] == "cli" and entry.actor_id is None
