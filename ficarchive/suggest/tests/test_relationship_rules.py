"""Relationship rules on short texts written for the tests: narrator, vocatives,
nearest names, speech, children, the platonic default."""

from ficarchive.suggest.detectors import detect_characters, scored_hits
from ficarchive.suggest.detectors.speech import (
    first_person_narrator,
    interactions,
    is_vocative,
    presented_as_children,
)
from ficarchive.suggest.engine import analyse_chapters, suggest_for_text

NARRATED = (
    "I had been sharing rooms with Anna Berg for a month. I watched her work.\n\n"
    "\u201cBen, the report is late,\u201d said Anna.\n\n"
    "I handed it to her. \u201cHere it is.\u201d\n\n"
    "\u201cThank you, Ben.\u201d Anna read it. I waited for my turn.\n\n"
    "\u201cWell, Ben, it will do.\u201d I nodded. Anna smiled at me and I sat down."
)


def _findings(text, lexicon):
    chapters = analyse_chapters([text])
    return chapters, detect_characters(chapters, lexicon)


def test_vocative_is_a_name_addressed_in_speech(lexicon):
    """A name set off by a comma inside quotes addresses someone; a name in narration does not."""
    chapters = analyse_chapters(
        [
            "\u201cBen, sit down,\u201d said Anna. Ben Ortiz sat.\n\n\u201cI saw Ben Ortiz today.\u201d"
        ]
    )
    ch = chapters[0]
    first = ch.text.index("Ben")
    narrated = ch.text.index("Ben Ortiz sat")
    reported = ch.text.index("Ben Ortiz today")
    assert is_vocative(ch, first, first + 3)
    assert not is_vocative(ch, narrated, narrated + 9)
    assert not is_vocative(ch, reported, reported + 9)


def test_first_person_narrator_is_the_character_others_address(lexicon):
    """A first-person text whose narrator is only ever named in others' speech resolves "I" to them."""
    chapters, findings = _findings(NARRATED, lexicon)
    assert first_person_narrator(chapters, findings) == "Ben Ortiz"


def test_third_person_text_has_no_narrator(lexicon):
    """Without first-person narration nobody is taken for the narrator."""
    text = "\u201cBen, sit,\u201d said Anna Berg. \u201cThanks, Ben.\u201d Ben Ortiz sat. \u201cWell, Ben?\u201d Anna asked."
    chapters, findings = _findings(text, lexicon)
    assert first_person_narrator(chapters, findings) is None


def test_addressing_someone_is_an_interaction_with_the_speaker(lexicon):
    """ "'Ben, …' said Anna" counts as Anna speaking to Ben."""
    chapters, findings = _findings(NARRATED, lexicon)
    got = interactions(chapters, findings, "Ben Ortiz", {s.name for s in findings.suggestions})
    assert ("Anna Berg", "Ben Ortiz") in got


def test_narrated_pair_is_platonic_without_romance(lexicon):
    """The narrator and the character they spend the story with form the top pair, platonic."""
    rels = suggest_for_text([NARRATED], lexicon).relationships
    assert rels and set(rels[0].details["characters"]) == {"Anna Berg", "Ben Ortiz"}
    assert not rels[0].details["romantic"]
    assert rels[0].details["interactions"] >= 2


def test_romance_cue_goes_to_the_two_names_nearest_it(lexicon):
    """In a sentence naming three people, a kiss counts for the two named next to it."""
    text = (
        "Jet Black watched while Anna Berg kissed Ben Ortiz. Jet Black left. "
        "Later Jet Black waited as Anna Berg kissed Ben Ortiz again. Jet Black sighed. "
        "Jet Black read while Anna Berg married Ben Ortiz."
    )
    rels = {
        frozenset(r.details["characters"]): r
        for r in suggest_for_text([text], lexicon).relationships
    }
    couple = rels[frozenset({"Anna Berg", "Ben Ortiz"})]
    assert couple.details["romantic"]
    assert not any(r.details["romantic"] for k, r in rels.items() if "Jet Black" in k)


def test_romance_words_in_speech_about_others_count_less(lexicon):
    """ "'… the trouble of wooing and wedding …'" in speech counts half; "I love you" counts fully."""
    about_others = "\u201cBen, the neighbours\u2019 wedding was long and their marriage is dull,\u201d Anna Berg told Ben Ortiz. Anna Berg and Ben Ortiz sat."
    to_each_other = "\u201cBen, I love you. Marry me,\u201d Anna Berg told Ben Ortiz. Anna Berg and Ben Ortiz sat."
    low = suggest_for_text([about_others], lexicon).relationships
    high = suggest_for_text([to_each_other], lexicon).relationships
    low_romance = low[0].details["romance"] if low else 0.0
    assert high and high[0].details["romance"] > low_romance


def test_kisses_between_children_are_not_romantic(lexicon):
    """Little Anna and little Ben, two children, kiss: a platonic pair."""
    text = (
        "Little Anna Berg and little Ben Ortiz were children who played together. "
        "The children loved each other. Little Anna kissed little Ben on the cheek. "
        "Ben Ortiz and Anna Berg were playmates. Little Ben kissed little Anna."
    )
    chapters, findings = _findings(text, lexicon)
    assert presented_as_children(chapters, findings, {"Anna Berg", "Ben Ortiz"}) == {
        "Anna Berg",
        "Ben Ortiz",
    }
    rels = suggest_for_text([text], lexicon).relationships
    assert rels and not rels[0].details["romantic"]


def test_adult_kisses_stay_romantic(lexicon):
    """The same kisses between adults read as romance."""
    text = "Anna Berg kissed Ben Ortiz on the cheek. Ben Ortiz kissed Anna Berg. Anna Berg and Ben Ortiz were in love."
    rels = suggest_for_text([text], lexicon).relationships
    assert rels and rels[0].details["romantic"]


def test_short_text_offers_the_two_main_characters_as_a_platonic_pair(lexicon):
    """In a short text with no relationship cues, the two main characters seen together give A & B."""
    text = (
        "Jet Black checked the engine.\n\nFaye Valentine slept.\n\n"
        "Spike Spiegel came in. Jet Black nodded at Spike Spiegel.\n\n"
        "Jet Black ate. Spike Spiegel ate too.\n\nJet Black and Spike Spiegel left."
    )
    rels = suggest_for_text([text], lexicon).relationships
    assert rels and set(rels[0].details["characters"]) == {"Jet Black", "Spike Spiegel"}
    assert not rels[0].details["romantic"]


def test_scored_hits_unchanged_by_relationship_rules(lexicon):
    """The cue scan itself still finds a kiss once (sanity for the rules above)."""
    chapters = analyse_chapters(["Anna Berg kissed Ben Ortiz."])
    assert [h.hit.family for h in scored_hits(chapters)].count("romance") == 1
