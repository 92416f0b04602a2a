"""Cues read in their scene: euphemism is sexual content, violence inside a consensual
scene is not a violence warning, a vampire's bite is not torture."""

from __future__ import annotations

from ficarchive.suggest.detectors import scored_hits
from ficarchive.suggest.engine import analyse_chapters, suggest_for_text
from ficarchive.tags.vocabulary import ArchiveWarning, Rating

VAMPIRE = """Mara had chosen this, and she told him so. "Yes," she whispered, "I want you." Lucien smiled, and she pulled him down to her.

He undressed her slowly, kissing her throat, and she arched into him, writhing beneath him as his hands moved lower. She moaned his name.

He took her slowly, buried himself in her heat, and she rode him until she came undone. His fangs grazed her neck and she begged him to bite. He bit down and blood ran warm over her collarbone, covered in blood; she moaned and pulled him closer, wanting more.

Afterward they lay in the tangled sheets, her head on his chest, the afterglow soft around them. "Again," she said, and he laughed and kissed her."""

ASSAULT = """He pinned her down against her will and she said no. He raped her.

Blood ran down her arm, covered in blood, and he slashed at her again and again.

She screamed. Blood poured from the wound."""


def test_euphemism_is_sexual_content():
    """A consensual scene told in euphemism rates at least Mature, not Teen or General."""
    got = suggest_for_text([VAMPIRE * 3])
    assert got.rating[0].name in (Rating.MATURE.value, Rating.EXPLICIT.value)


def test_a_vampire_bite_in_a_consensual_scene_is_no_violence_warning():
    """Blood in a consensual scene between willing adults warns for nothing, tags no Torture."""
    got = suggest_for_text([VAMPIRE * 3])
    assert [w.name for w in got.warnings] == [ArchiveWarning.NONE_APPLY.value]
    assert "Torture" not in [t.name for t in got.tags]


def test_violence_beside_non_consent_counts_in_full():
    """The same blood beside non-consent cues is not discounted."""
    hits = scored_hits(analyse_chapters([ASSAULT]))
    violent = [h for h in hits if h.hit.family in ("violence", "graphic")]
    assert violent and not any(h.in_consensual_scene for h in violent)
    calm = scored_hits(analyse_chapters([VAMPIRE]))
    assert any(h.in_consensual_scene for h in calm if h.hit.family in ("violence", "graphic"))


def test_category_from_pronouns_when_no_pair_is_named():
    """A romance with no character tags known is F/M from "he kissed her", not Gen."""
    got = suggest_for_text([VAMPIRE * 3])
    assert got.categories and got.categories[0].name == "F/M"
    assert got.categories[0].evidence


def test_same_gender_pronouns_say_m_m():
    """ "He kissed him" around romantic cues is M/M."""
    text = (
        "He kissed him slowly. He held him close and he kissed him again. They were in love. He embraced him. "
        * 3
    )
    assert suggest_for_text([text]).categories[0].name == "M/M"


def test_gen_without_romance():
    """A story without romance stays Gen."""
    text = "She walked to the market and bought apples. He fixed the gate. " * 20
    assert [c.name for c in suggest_for_text([text]).categories] == ["Gen"]


def test_names_without_a_tag_are_proposed_as_new_characters():
    """Names the text uses often, unknown to the archive, are proposed as new character
    tags (full names when first and last name go together); ordinary words are not."""
    text = (
        "Later that day Anna Berg met Ben at the station. Then Anna laughed, and Ben "
        "smiled at Anna. On Monday Ben wrote to Anna Berg. The will of Anna was strong; "
        "Ben said so to Anna. "
    ) * 3
    got = suggest_for_text([text])
    new = {c.name: c for c in got.characters if c.details.get("new")}
    assert set(new) == {"Anna Berg", "Ben"}
    assert all(c.evidence and 0 < c.score <= 0.6 for c in new.values())


FEEDING = """The vampire had not fed in three nights. Anna held out her wrist, as she did every week, and he thanked her.

His fangs slid into the vein and he drank. Blood ran warm over her wrist, covered in blood, and he drank slowly, tasting it.

When he was done he licked the puncture closed. The old vampire smiled, his fangs red. "Thank you," he said, and she laughed and went to make tea."""

BATTLE = """The soldier raised the knife. Blood ran warm over her wrist, covered in blood, and he struck again.

Blood poured from the wound and she screamed. He slashed at her; the blade was covered in blood.

She fell, and blood pooled beneath her."""


def test_a_vampire_feeding_is_no_violence_warning_and_no_torture():
    """In a vampire story, blood beside drinking and fangs is a meal: no Graphic
    Depictions Of Violence, no Torture, no Blood tag."""
    got = suggest_for_text([FEEDING * 3])
    assert ArchiveWarning.VIOLENCE.value not in [w.name for w in got.warnings]
    tags = [t.name for t in got.tags]
    assert "Torture" not in tags and "Blood" not in tags
    hits = scored_hits(analyse_chapters([FEEDING]))
    assert any(h.in_feeding for h in hits if h.hit.family in ("violence", "graphic"))


def test_blood_outside_a_vampire_story_counts_in_full():
    """The same words of blood in a story with no vampires are not discounted."""
    hits = scored_hits(analyse_chapters([BATTLE * 3]))
    violent = [h for h in hits if h.hit.family in ("violence", "graphic")]
    assert violent and not any(h.in_feeding for h in violent)
    got = suggest_for_text([BATTLE * 3])
    assert ArchiveWarning.VIOLENCE.value in [w.name for w in got.warnings]


def test_a_vampire_attacking_against_consent_still_counts():
    """A feeding sentence with a non-consent cue in it is not discounted."""
    text = (
        "The vampire was hungry. He grabbed her against her will and bit her neck; "
        "blood poured from the wound as he drank. The vampire's fangs tore her throat. "
    ) * 3
    hits = scored_hits(analyse_chapters([text]))
    assert any(
        not h.in_feeding and h.factor > 0.5 for h in hits if h.hit.family in ("violence", "graphic")
    )


def test_vampire_words_hold_every_case_of_their_letters():
    """Every character that a letter of the vampire words matches under re.I lowercases
    to that letter, so a chapter whose lowercase holds none of them has no match."""
    import re
    import sys

    from ficarchive.suggest.detectors.context import _VAMPIRE_WORDS

    for letter in set("".join(_VAMPIRE_WORDS)):
        for code in range(sys.maxunicode + 1):
            ch = chr(code)
            if re.fullmatch(letter, ch, re.I):
                assert ch.lower() == letter, (letter, ch)


def test_vampire_story_reads_mixed_case():
    """Vampire mentions in any case make a vampire story."""
    from ficarchive.suggest.detectors.context import vampire_story

    assert vampire_story(analyse_chapters(["The VAMPIRE bared his Fangs. Undead, he said."]))
    assert not vampire_story(analyse_chapters(["The vamp bared her teeth; a fang of rock."]))
