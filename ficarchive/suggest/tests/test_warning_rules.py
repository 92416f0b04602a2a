"""Warning rules on short clinical texts written for the tests: deaths of central
characters stated directly, and sustained violence with bloody detail."""

from ficarchive.suggest.engine import suggest_for_text

MCD = "Major Character Death"
VIOLENCE = "Graphic Depictions Of Violence"
CALM = "Anna Berg and Ben Ortiz walked to the shop. Anna bought bread. Ben carried it home. Anna Berg smiled at Ben Ortiz. "


def _warnings(text, lexicon):
    return [w.name for w in suggest_for_text([text], lexicon).warnings]


def test_central_character_who_died_is_a_major_character_death(lexicon):
    """ "Ben Ortiz died in the hospital" about a central character warns once, on its own."""
    assert MCD in _warnings(CALM + "In the winter Ben Ortiz died in the hospital.", lexicon)


def test_pronoun_after_the_name_in_the_same_sentence_counts(lexicon):
    """ "Ben Ortiz was ill for weeks, and in the end he perished" names the death through the pronoun."""
    assert MCD in _warnings(
        CALM + "Ben Ortiz was ill for weeks, and in the end he perished.", lexicon
    )


def test_the_death_of_a_named_character_counts(lexicon):
    """ "They mourned the death of Ben Ortiz" names the dead character after the noun."""
    assert MCD in _warnings(
        CALM + "The town learned of the death of Ben Ortiz that night.", lexicon
    )


def test_negated_or_spoken_death_is_not_a_warning(lexicon):
    """ "Ben Ortiz did not die" and a threat in speech do not warn."""
    text = (
        CALM + "Ben Ortiz did not die that winter. \u201cBen Ortiz died, I think,\u201d Anna joked."
    )
    assert MCD not in _warnings(text, lexicon)


def test_minor_character_death_does_not_count_as_major(lexicon):
    """A character named twice in passing dying is not a major character death."""
    text = CALM * 3 + "Jet Black, a stranger, was mentioned. Jet Black died far away."
    assert MCD not in _warnings(text, lexicon)


def test_sustained_bloody_violence_warns(lexicon):
    """Dense violence with blood and wounds warns of graphic violence without gore words."""
    text = (
        "Anna Berg attacked the soldier and stabbed him. Blood ran over the floor. "
        "Ben Ortiz was wounded and bleeding. The soldiers attacked again and killed two men. "
        "Anna stabbed another; his wound bled. Ben Ortiz fought on, bleeding."
    )
    assert VIOLENCE in _warnings(text, lexicon)


def test_a_single_fight_in_a_long_calm_text_does_not_warn(lexicon):
    """One scuffle with a little blood in a long calm story is below the violence density."""
    text = CALM * 40 + "Anna Berg punched a thief once, and his nose bled."
    assert VIOLENCE not in _warnings(text, lexicon)
