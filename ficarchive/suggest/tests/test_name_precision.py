"""Names that are not characters are not proposed (issue 16, name precision): verbs
opening questions, another fandom's characters matched by a first name, places and
things, plurals, passing mentions. Every sentence here was written for these tests."""

from ficarchive.suggest.detectors import detect_characters
from ficarchive.suggest.detectors.new_names import detect_new_characters
from ficarchive.suggest.engine import analyse_chapters, suggest_for_text
from ficarchive.suggest.lexicon import build_lexicon


def _names(items):
    return [s.name for s in items]


def _found(text, people, fandoms=()):
    chapters = analyse_chapters([text])
    return _names(
        detect_characters(chapters, build_lexicon(people), fandom_hints=fandoms).suggestions
    )


def _new(text):
    return _names(detect_new_characters(analyse_chapters([text]), lambda name: False))


def test_a_verb_opening_a_question_is_not_a_name():
    """ "Will you write?" is not Will Turner, even in a text that never writes "will"."""
    people = [{"name": "Will Turner"}, {"name": "Anna Berg"}]
    asking = "Anna Berg stood on the pier. Will you come back? Will you write? Will I see you? Anna Berg wept."
    assert _found(asking, people) == ["Anna Berg"]
    named = asking + " Will Turner waved. Will smiled at her. Will Turner sailed."
    assert "Will Turner" in _found(named, people)


def test_another_fandoms_character_needs_a_full_name():
    """In a work tagged with its fandom, "Hank" alone is not another fandom's Hank McCoy,
    but a cameo named in full ("Luke Skywalker") still counts."""
    people = [
        {"name": "Hank McCoy", "fandoms": ["X-Men"]},
        {"name": "Luke Skywalker", "fandoms": ["Star Wars"]},
        {"name": "Mara Lind", "fandoms": ["Harbour Lights"]},
    ]
    text = (
        "Mara Lind met Hank at the gate. Hank laughed. Mara and Hank walked on. "
        "Luke Skywalker was on the poster behind them, and Luke looked bored. Mara smiled."
    )
    assert set(_found(text, people, ["Harbour Lights"])) == {"Mara Lind", "Luke Skywalker"}
    # Without the work's fandoms the archive's every match stands.
    assert "Hank McCoy" in _found(text, people)


def test_a_passing_mention_is_not_proposed_beside_the_main_characters():
    people = [{"name": "Mara Lind"}, {"name": "Tomas Weir"}, {"name": "Ola Berg"}]
    body = "Mara Lind smiled at Tomas Weir. Tomas Weir smiled back at Mara Lind. " * 25
    text = body + "Ola Berg was in the next room. Ola Berg slept."
    assert _found(text, people) == ["Mara Lind", "Tomas Weir"]
    short = "Mara Lind smiled at Tomas Weir. Tomas Weir smiled back at Mara Lind. " * 3
    assert "Ola Berg" in _found(short + "Ola Berg slept. Ola Berg woke.", people)


def test_places_and_things_are_not_new_names():
    """ "in Boston", "the Alliance": capitalised, used mid-sentence, never in lowercase,
    and still not people."""
    text = (
        "Every winter she went back to Boston, and in Boston she felt at home. "
        "They flew into Boston at night; the streets in Boston were white. "
        "The Alliance sent a ship, and the Alliance wanted an answer. "
        "He wrote to the Alliance twice. Kestrel read the letter from the Alliance. "
        "Then Kestrel laughed, and she told Kestrel about Boston. Later Kestrel slept, "
        "and Kestrel dreamt of the sea while Kestrel's cat watched, and Kestrel woke."
    )
    assert _new(text) == ["Kestrel"]


def test_plurals_interjections_and_question_words_are_not_new_names():
    text = (
        "The ship came, and a Vulcan spoke for Vulcans; Vulcans waited "
        "and Vulcans left, and Vulcans slept, and a Vulcan stayed for Vulcans. 'Oh, Hey, Why,' she said. "
        "and Why not, and Why now, and Why here, and Why him, she asked; and Thanksgiving came "
        "and Thanksgiving went, Thanksgiving after Thanksgiving after Thanksgiving. "
        "Orrin saw it, and Orrin said so, and Orrin left, and Orrin came back, and Orrin slept, "
        "and Orrin woke."
    )
    got = _new(text)
    assert "Orrin" in got
    assert not {"Vulcans", "Why", "Thanksgiving"} & set(got)


def test_the_harbour_scene_keeps_its_own_people():
    """The corpus's pier: "Rose waited" and "Will you" in a work of another fandom are not
    Rose Tyler and Will Turner."""
    lexicon = build_lexicon(
        [
            {"name": "Anna Berg", "fandoms": ["Harbour Lights (TV)"]},
            {"name": "Rose Tyler", "fandoms": ["Doctor Who"]},
            {"name": "Will Turner", "fandoms": ["Pirates of the Caribbean"]},
        ]
    )
    text = "Anna Berg came down. Rose waited at the end of the pier. Will you come back? Anna Berg left."
    got = suggest_for_text([text], lexicon, fandoms=["Harbour Lights (TV)"])
    assert _names(got.characters) == ["Anna Berg"]


def test_the_end_of_a_longer_proper_noun_is_not_a_name():
    """ "York" in "New York" follows an ordinary word of the text ("new"); "Kirk" after
    the title "Captain" is still a name."""
    text = (
        "She moved to New York in May, and New York was loud. The new flat was small. "
        "Every night New York hummed; she wrote home about New York, and about New York "
        "rain. Then Captain Kirk called, and she told Captain Kirk everything, and the "
        "captain laughed, and Captain Kirk said goodbye, and Captain Kirk hung up, and "
        "then Captain Kirk called again."
    )
    got = _new(text)
    assert "Kirk" in got
    assert not {"York", "New York"} & set(got)
