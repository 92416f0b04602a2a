"""Each detector on short texts written for the tests."""

from ficarchive.suggest.engine import suggest_for_text
from ficarchive.suggest.text import plain_text_of


def _names(items):
    return [s.name for s in items]


def test_characters_counted_in_dialogue_and_narration(lexicon):
    """Mentions inside quotes and outside both count, and are reported separately."""
    text = 'Anna Berg waved. "Ben, over here!" she called. Ben Ortiz grinned at Anna.'
    got = suggest_for_text([text], lexicon)
    ben = next(s for s in got.characters if s.name == "Ben Ortiz")
    assert ben.details["mentions"] == 2
    assert ben.details["in_dialogue"] == 1 and ben.details["in_narration"] == 1


def test_single_mention_is_not_proposed(lexicon):
    """A character named once is not suggested."""
    assert "Jet Black" not in _names(
        suggest_for_text(
            ["Jet Black was elsewhere. Anna Berg and Ben Ortiz met. Anna smiled at Ben."], lexicon
        ).characters
    )


def test_clashing_name_follows_the_fandom_present(lexicon):
    """ "Spike" among Faye and Jet is Spike Spiegel, and the fandom follows."""
    text = "Faye Valentine yawned. Jet Black cooked. Spike slept. Faye kicked Spike awake, and Jet laughed."
    got = suggest_for_text([text], lexicon)
    assert "Spike Spiegel" in _names(got.characters)
    assert "Spike (Buffy the Vampire Slayer)" not in _names(got.characters)
    assert _names(got.fandoms) == ["Cowboy Bebop"]


def test_shared_surname_resolves_to_the_named_character(lexicon):
    """ "Summers" counts for Buffy when only Buffy Summers is named in full."""
    text = "Buffy Summers patrolled. Later, Summers rested. Summers slept."
    got = suggest_for_text([text], lexicon)
    buffy = next(s for s in got.characters if s.name == "Buffy Summers")
    assert buffy.details["mentions"] == 3
    assert "Dawn Summers" not in _names(got.characters)


def test_name_beats_first_name_when_nothing_else_decides(lexicon):
    """With no other character present, "Spike" is the tag named Spike, not Spike Spiegel."""
    got = suggest_for_text(["Spike walked in. Spike sat down."], lexicon)
    assert [s.name for s in got.characters if s.name.startswith("Spike")] == [
        "Spike (Buffy the Vampire Slayer)"
    ]


def test_true_tie_offers_both_as_ambiguous():
    """Two tags both named "Angel" with no fandom evidence are both offered, marked ambiguous."""
    from ficarchive.suggest.lexicon import build_lexicon

    lex = build_lexicon(
        [
            {"name": "Angel (Buffy)", "fandoms": ["Buffy"]},
            {"name": "Angel (Supernatural)", "fandoms": ["Supernatural"]},
        ]
    )
    got = suggest_for_text(["Angel walked in. Angel sat down."], lex)
    assert {s.name for s in got.characters} == {"Angel (Buffy)", "Angel (Supernatural)"}
    assert all(s.details["ambiguous"] for s in got.characters)


def test_romantic_pair_is_a_slash_relationship(lexicon):
    """Kisses and love between two characters give A/B."""
    text = "Anna Berg kissed Ben Ortiz. Ben was in love with Anna. Anna kissed Ben again, and they held hands."
    rels = suggest_for_text([text], lexicon).relationships
    assert rels[0].name == "Anna Berg/Ben Ortiz"
    assert rels[0].details["romantic"]


def test_platonic_pair_is_an_ampersand_relationship(lexicon):
    """Friendship cues without romance give A & B."""
    text = "Anna Berg and Ben Ortiz were best friends. Anna trusted Ben. Ben and Anna were old friends from school."
    rels = suggest_for_text([text], lexicon).relationships
    assert rels and rels[0].name in ("Anna Berg & Ben Ortiz", "Ben Ortiz & Anna Berg")


def test_general_rating_for_gentle_text():
    """A quiet text is rated General Audiences with no warnings."""
    got = suggest_for_text(
        ["They had tea in the garden and talked about books until the sun went down."]
    )
    assert _names(got.rating) == ["General Audiences"]
    assert _names(got.warnings) == ["No Archive Warnings Apply"]


def test_explicit_rating_for_described_sex():
    """Clinically described intercourse is rated Explicit."""
    text = "They undressed. They had sex. He touched her clitoris; she touched his penis. Both reached orgasm."
    assert _names(suggest_for_text([text]).rating) == ["Explicit"]


def test_implied_sex_is_mature():
    """A scene that says they made love without describing it is Mature."""
    text = "She kissed him and led him to the bedroom. They made love slowly. Afterwards they lay in bed together."
    assert _names(suggest_for_text([text]).rating) == ["Mature"]


def test_isolated_ambiguous_word_is_not_explicit():
    """One "thrust" in a sword fight does not make a work Explicit."""
    text = "He thrust the sword forward. The duel ended quickly, and everyone went home for supper."
    assert _names(suggest_for_text([text]).rating) != ["Explicit"]


def test_graphic_violence_warning_with_evidence_offsets():
    """Gore proposes the violence warning; each evidence span is the cue in the plain text."""
    html = "<p>The axe came down and his head rolled off the block.</p><p>Blood gushed across the stones; entrails spilled.</p>"
    got = suggest_for_text([html])
    warning = next(w for w in got.warnings if w.name == "Graphic Depictions Of Violence")
    plain = plain_text_of(html)
    spans = [plain[e.start : e.end].lower() for e in warning.evidence]
    assert "entrails" in spans and any(s.startswith("blood") for s in spans)
    for e in warning.evidence:
        assert e.chapter == 1
        assert (
            e.excerpt[e.start - e.excerpt_start : e.end - e.excerpt_start] == plain[e.start : e.end]
        )


def test_evidence_offsets_point_into_the_right_chapter(lexicon):
    """Offsets are per chapter: a cue in chapter 2 is found at its offset there."""
    chapters = [
        ("One", "<p>Anna Berg walked.</p>"),
        ("Two", "<p>Anna Berg died. Ben Ortiz wept; Anna was dead. They buried Anna.</p>"),
    ]
    got = suggest_for_text(chapters, lexicon)
    death = next(w for w in got.warnings if w.name == "Major Character Death")
    plain = plain_text_of(chapters[1][1])
    assert {e.chapter for e in death.evidence} == {2}
    assert {plain[e.start : e.end] for e in death.evidence} >= {"died", "was dead"}


def test_negated_death_proposes_no_warning(lexicon):
    """ "did not die" and "was not dead" are not deaths."""
    text = "Anna Berg did not die. Ben Ortiz was not dead either. Nobody was killed. Anna and Ben went home."
    got = suggest_for_text([text], lexicon)
    assert _names(got.warnings) == ["No Archive Warnings Apply"]


def test_hypothetical_death_counts_little(lexicon):
    """ "would die" and threats are not deaths."""
    text = 'Anna Berg thought she would die. "I will kill you," said Ben Ortiz, but nobody died. Anna laughed at Ben.'
    assert _names(suggest_for_text([text], lexicon).warnings) == ["No Archive Warnings Apply"]


def test_noncon_cues_propose_the_warning():
    """A plain statement of rape proposes Rape/Non-Con and at least Mature."""
    text = "Years later she told the counsellor that he had raped her. She had not consented. It happened against her will."
    got = suggest_for_text([text])
    assert "Rape/Non-Con" in _names(got.warnings)
    assert got.rating[0].name in ("Mature", "Explicit")


def test_categories_from_relationship_genders(lexicon):
    """A romantic pair of a woman and a man gives F/M; no romance gives Gen."""
    text = (
        "Anna Berg smiled; she was happy. Ben Ortiz laughed; he was happy too. Ben said he would stay. "
        "Ben looked at the sea. He was quiet. Anna kissed Ben. "
        "Ben kissed Anna and she blushed. He was in love with her. Anna loved him. She kissed him again."
    )
    assert "F/M" in _names(suggest_for_text([text], lexicon).categories)
    assert _names(suggest_for_text(["A quiet walk in the park."], lexicon).categories) == ["Gen"]


def test_as_json_has_the_contract_keys(lexicon):
    """as_json gives names under the contract's keys; detail adds score and evidence."""
    got = suggest_for_text(["Anna Berg met Ben Ortiz. Anna kissed Ben."], lexicon)
    plain = got.as_json()
    assert list(plain) == [
        "rating",
        "warnings",
        "categories",
        "fandoms",
        "relationships",
        "characters",
        "tags",
    ]
    assert all(isinstance(n, str) for v in plain.values() for n in v)
    detail = got.as_json(detail=True)
    assert {"name", "kind", "score", "evidence"} <= set(detail["characters"][0])
