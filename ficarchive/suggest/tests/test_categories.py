"""Category from the relationships found: a pair the archive tags as romantic, and the
pronouns around romance adding a second kind of pairing (Multi)."""

from ficarchive.suggest.detectors.categories import joined as _with_pronouns
from ficarchive.suggest.engine import suggest_for_text
from ficarchive.suggest.lexicon import build_lexicon
from ficarchive.suggest.suggestions import Suggestion

PEOPLE = [
    {"name": "Spike Spiegel", "fandoms": ["Cowboy Bebop"]},
    {"name": "Jet Black", "fandoms": ["Cowboy Bebop"]},
]
TEXT = "\n\n".join(
    [
        "Spike Spiegel came back to the ship late. He dropped his coat on the couch.",
        "Jet Black looked up from his bonsai. He said nothing for a while.",
        "\u201cYou're late, Spike,\u201d Jet said. He set the shears down.",
        "Spike shrugged. He sat down beside Jet and lit a cigarette.",
        "Jet sighed. He poured two drinks and handed one to Spike.",
        "Spike took it. He and Jet sat there until the lights of Mars came up.",
    ]
    * 3
)


def _category_names(lexicon):
    return [c.name for c in suggest_for_text([TEXT], lexicon).categories]


def test_a_pair_the_archive_tags_as_romantic_gives_its_category():
    """Two men shown together without a romance cue: Gen in an archive that has no tag for
    them as a couple, M/M in one whose relationship tags pair them with "/"."""
    plain = build_lexicon(PEOPLE)
    paired = build_lexicon(PEOPLE, relationships=["Jet Black/Spike Spiegel"])
    assert _category_names(plain) == ["Gen"]
    assert _category_names(paired) == ["M/M"]
    rels = suggest_for_text([TEXT], paired).relationships
    # The relationship proposed is the archive's own "/" tag, marked as taken from it.
    assert rels[0].name == "Jet Black/Spike Spiegel" and rels[0].details["from_archive_tag"]
    plain_rels = suggest_for_text([TEXT], plain).relationships
    assert plain_rels[0].name in ("Spike Spiegel & Jet Black", "Jet Black & Spike Spiegel")
    assert not plain_rels[0].details["romantic"]


def test_an_archive_friendship_tag_keeps_the_pair_platonic():
    """Where the archive tags the pair both ways ("A/B" and "A & B"), the text decides."""
    both = build_lexicon(
        PEOPLE, relationships=["Jet Black/Spike Spiegel", "Jet Black & Spike Spiegel"]
    )
    rels = suggest_for_text([TEXT], both).relationships
    assert rels and not rels[0].details["romantic"]


def _cat(name, score=0.7):
    return Suggestion(name, "category", score)


def test_pronouns_add_a_second_kind_of_pairing_and_make_it_multi():
    """Named M/M pair plus pronoun votes for F/M: both, and Multi."""
    got = _with_pronouns([_cat("M/M")], [_cat("F/M", 0.6)])
    assert [c.name for c in got] == ["M/M", "F/M", "Multi"]


def test_pronouns_decide_without_a_named_pair_and_agree_otherwise():
    """Gen from the named pairs gives way to the pronouns; the same category twice stays one."""
    assert [c.name for c in _with_pronouns([_cat("Gen")], [_cat("F/F")])] == ["F/F"]
    assert [c.name for c in _with_pronouns([_cat("Gen")], [])] == ["Gen"]
    assert [c.name for c in _with_pronouns([_cat("M/M")], [_cat("M/M")])] == ["M/M"]
