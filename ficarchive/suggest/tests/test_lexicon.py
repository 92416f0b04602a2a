"""Character lexicon: surface forms and database building."""

import pytest

from ficarchive.suggest.lexicon import (
    FormStrength,
    build_lexicon,
    form_key,
    lexicon_from_database,
    short_forms,
)


def test_short_forms_drop_disambiguator_and_title():
    """ "Spike (Buffy the Vampire Slayer)" gives "Spike"; "Dr. John Watson" gives John and Watson."""
    assert ("Spike", FormStrength.FULL) in short_forms("Spike (Buffy the Vampire Slayer)")
    forms = dict(short_forms("Dr. John Watson"))
    assert forms["John Watson"] == FormStrength.FULL
    assert forms["John"] == FormStrength.SHORT and forms["Watson"] == FormStrength.SHORT


def test_no_first_name_from_titled_names():
    """ "The Snow Queen" gives "Snow Queen" but not a first name "Snow"."""
    keys = {form_key(t) for t, _ in short_forms("The Snow Queen")}
    assert "snow queen" in keys and "snow" not in keys


def test_shared_surname_in_one_fandom_is_weak(lexicon):
    """ "Summers" names two Buffy characters, so it only resolves with help."""
    assert {f.strength for f in lexicon.lookup("summers")} == {FormStrength.WEAK}


def test_clash_across_fandoms_keeps_both_candidates(lexicon):
    """ "Spike" points at both Spikes."""
    assert {f.character for f in lexicon.lookup("spike")} == {
        "Spike (Buffy the Vampire Slayer)",
        "Spike Spiegel",
    }


def test_existing_relationship_tag_is_used(lexicon):
    """A relationship the archive already has keeps its spelling."""
    name = lexicon.relationship_name(["Spike (Buffy the Vampire Slayer)", "Buffy Summers"], "/")
    assert name == "Buffy Summers/Spike (Buffy the Vampire Slayer)"


def test_build_from_plain_lists_merges_fandoms():
    """A character listed under two fandoms belongs to both."""
    lex = build_lexicon(
        [{"name": "Vi", "fandoms": ["Arcane"]}, {"name": "Vi", "fandoms": ["League of Legends"]}]
    )
    assert lex.fandoms_of("Vi") == ("Arcane", "League of Legends")


@pytest.mark.django_db
def test_lexicon_from_database_reads_canonical_tags_synonyms_and_fandoms():
    """Canonical characters, their synonyms and fandom links come from Tag rows."""
    from ficarchive.suggest.lexicon import invalidate_lexicon_cache
    from ficarchive.tags.models import Tag

    invalidate_lexicon_cache()
    fandom = Tag.objects.create(
        name="Sherlock Holmes - Arthur Conan Doyle", kind="fandom", canonical=True
    )
    watson = Tag.objects.create(name="John Watson", kind="character", canonical=True)
    watson.fandoms.add(fandom)
    Tag.objects.create(name="Dr. Watson", kind="character", canonical=False, synonym_of=watson)
    Tag.objects.create(name="Unwrangled Person", kind="character", canonical=False)

    lex = lexicon_from_database()
    assert set(lex.characters) == {"John Watson"}
    assert lex.fandoms_of("John Watson") == ("Sherlock Holmes - Arthur Conan Doyle",)
    assert [f.character for f in lex.lookup("dr watson")] == ["John Watson"]
    assert lexicon_from_database() is lex  # cached while nothing changed

    Tag.objects.create(name="Sherlock Holmes", kind="character", canonical=True)
    assert "Sherlock Holmes" in lexicon_from_database().characters  # a new tag rebuilds it


def test_notes_in_the_character_field_are_not_names():
    lexicon = build_lexicon(
        [
            {"name": "and others - Character", "fandoms": ["F"]},
            {"name": "assorted ensemble characters", "fandoms": ["F"]},
            {"name": "Anna Lindqvist", "fandoms": ["F"]},
            {"name": "林黛玉", "fandoms": ["红楼梦"]},
            {"name": "Émile Zola", "fandoms": ["F"]},
        ]
    )
    assert "and" not in lexicon.first_tokens and "assorted" not in lexicon.first_tokens
    assert {"anna", "林黛玉", "émile"} <= lexicon.first_tokens
    assert lexicon.lookup("and others character") == ()
