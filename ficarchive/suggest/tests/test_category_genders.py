"""Category from the relationships found and the characters' genders (issue 16, item 3):
genders from pronouns, names the archive has no tag for, the pronoun balance, Chinese."""

from ficarchive.suggest.detectors import detect_characters
from ficarchive.suggest.detectors.categories import pronoun_balance
from ficarchive.suggest.detectors.genders import character_genders
from ficarchive.suggest.engine import analyse_chapters, suggest_for_text
from ficarchive.suggest.lexicon import build_lexicon


def _names(items):
    return [s.name for s in items]


def _genders(text, names):
    chapters = analyse_chapters([text])
    findings = detect_characters(chapters, build_lexicon([{"name": n} for n in names]))
    return character_genders(chapters, findings)


def test_an_opening_pronoun_after_a_sentence_naming_one_character_is_theirs():
    text = (
        "Mara Lind opened the door. She looked tired. Mara Lind sat down. She sighed. "
        "Tomas Weir came in later. He was soaked. Tomas Weir shook the rain off. He laughed."
    )
    assert _genders(text, ["Mara Lind", "Tomas Weir"]) == {"Mara Lind": "F", "Tomas Weir": "M"}


def test_object_pronouns_do_not_give_the_named_character_a_gender():
    """ "Mara kissed him" says the partner is a man, not Mara."""
    text = "Mara Lind kissed him. Mara Lind held him. Mara Lind thanked him. Mara Lind left him."
    assert _genders(text, ["Mara Lind"]) == {}


def test_titles_and_reflexives_give_genders():
    text = (
        "Mrs Hale came early. Lord Ash was late. Lord Ash poured himself a drink. Mrs Hale laughed."
    )
    assert _genders(text, ["Hale", "Ash"]) == {"Hale": "F", "Ash": "M"}


ROMANCE = "\n\n".join(
    [
        "Kestrel came home at dawn. He was tired. Kestrel dropped his bag by the door.",
        "Orrin was waiting. He had not slept. Orrin stood up when the door opened.",
        "Kestrel kissed Orrin. Orrin kissed him back and held him close.",
        "They had been lovers for a year. Kestrel loved Orrin more than the sea.",
        "Later Orrin kissed Kestrel again, slowly, and Kestrel sighed against his mouth.",
    ]
    * 3
)


def test_names_the_archive_does_not_know_make_a_relationship_and_a_category():
    """An empty archive: both names are proposed as new tags, their romance is read as a
    relationship between them, and the pronouns make it M/M (not Gen)."""
    got = suggest_for_text([ROMANCE])
    new = [c for c in got.characters if c.details.get("new")]
    assert {"Kestrel", "Orrin"} <= set(_names(new))
    assert all(c.score <= 0.6 for c in new)
    assert got.relationships and got.relationships[0].details["romantic"]
    assert set(got.relationships[0].details["characters"]) == {"Kestrel", "Orrin"}
    assert _names(got.categories) == ["M/M"]


def test_the_same_story_with_women_is_ff():
    text = ROMANCE.replace(" He ", " She ").replace(" his ", " her ").replace(" him", " her")
    assert _names(suggest_for_text([text]).categories) == ["F/F"]


def test_no_romance_is_gen():
    text = "\n\n".join(
        ["Kestrel came home at dawn. He was tired. Orrin made tea. He said nothing."] * 4
    )
    assert _names(suggest_for_text([text]).categories) == ["Gen"]


def test_pronoun_balance_reads_english_and_chinese():
    one_sided = analyse_chapters(["He ran. He fell. His knee hurt. He swore. " * 10])
    mixed = analyse_chapters(["He ran. She fell. His knee hurt. Her hand bled. " * 10])
    chinese = analyse_chapters(["他笑了。他看着窗外。其他人都走了。她们没来。" * 10])
    assert pronoun_balance(one_sided) == "M"
    assert pronoun_balance(mixed) is None
    assert pronoun_balance(chinese) == "M"  # 其他 ("other") and 她们 ("they") not counted
    assert pronoun_balance(analyse_chapters(["He ran."])) is None  # too few to tell


def test_chinese_romance_gets_a_category_from_he_and_she():
    """ "他吻了她" (he kissed her) is F/M; a text told with 他 alone around its romance is M/M."""
    fm = "\n\n".join(["他吻了她。她抱住他。他爱她。她笑了。他也笑了。"] * 4)
    mm = "\n\n".join(["他们在门口见面。他吻了他。他拥抱他很久。他笑了。他说话了。"] * 6)
    assert _names(suggest_for_text([fm]).categories) == ["F/M"]
    assert _names(suggest_for_text([mm]).categories) == ["M/M"]
    assert _names(suggest_for_text(["他笑了。他看着窗外。" * 20]).categories) == ["Gen"]


def test_names_proposed_as_new_tags_are_scored_by_their_words():
    """ "Kirishima" stands for the author's "Kirishima Eijirou"; a name fitting two tags,
    or none, stays itself; relationships are compared through the same mapping."""
    from ficarchive.suggest.evaluation import name_to_tag, relationships_by_name

    tags = ["Kirishima Eijirou", "Bakugou Katsuki", "Ingrid von Roscher (A Wheel)"]
    assert name_to_tag("Kirishima", tags) == "Kirishima Eijirou"
    assert name_to_tag("Ingrid", tags) == "Ingrid von Roscher (A Wheel)"
    assert name_to_tag("Wheel", tags) == "Wheel"  # the disambiguator is not a name
    assert name_to_tag("Mina", tags) == "Mina"
    assert name_to_tag("Anna", ["Anna Berg", "Anna Lind"]) == "Anna"
    proposed, gold = relationships_by_name(
        [("/", ["Bakugou", "Kirishima"]), (" & ", ["Bakugou", "Mina"])],
        ["Bakugou Katsuki/Kirishima Eijirou"],
    )
    assert proposed & gold == {("/", frozenset({"Bakugou Katsuki", "Kirishima Eijirou"}))}
    assert len(proposed - gold) == 1


def test_text_in_another_script_says_names_are_not_read():
    """Chinese has no capitals to find names by: the suggestions say so plainly; a French
    text (Latin letters) does not get that note."""
    from ficarchive.suggest.detectors.new_names import NAMES_UNSUPPORTED

    chinese = "安娜和本一起去市场买苹果。他们谈论天气和漫长的夏天。她在窗边看书。" * 20
    french = "Elle marchait dans la rue avec Paul, et ils parlaient du prix des pommes. " * 20
    got = suggest_for_text([chinese])
    assert NAMES_UNSUPPORTED in got.notes and got.characters == []
    assert NAMES_UNSUPPORTED not in suggest_for_text([french]).notes
    assert NAMES_UNSUPPORTED not in suggest_for_text(["He kissed her. " * 30]).notes
