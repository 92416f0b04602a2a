"""Plain text and segmentation."""

from ficarchive.suggest.text import Chapter, negated, plain_text_of


def test_html_paragraphs_become_blank_lines():
    """Block elements are separated by a blank line and <br> by a newline."""
    assert plain_text_of("<p>One <b>two</b></p><p>Three<br>four</p>") == "One two\n\nThree\nfour"


def test_scripts_and_comments_are_dropped():
    """Script contents and comments never reach the plain text."""
    assert plain_text_of("<p>Hi<script>alert(1)</script><!-- note --> there</p>") == "Hi there"


def test_plain_text_is_kept_and_idempotent():
    """Plain text keeps its words; applying the function twice changes nothing."""
    text = "First line.\r\nSecond   line.\n\n\n\nNext paragraph."
    once = plain_text_of(text)
    assert once == "First line.\nSecond line.\n\nNext paragraph."
    assert plain_text_of(once) == once


def test_sentences_do_not_split_after_titles():
    """ "Mr. Holmes" stays in one sentence."""
    ch = Chapter.from_text(1, "I met Mr. Holmes today. He was out.")
    assert len(ch.sentence_starts) == 2
    assert ch.text[ch.sentence_starts[1] :].startswith("He was")


def test_dialogue_is_located():
    """Offsets inside quotation marks are dialogue, outside are narration."""
    ch = Chapter.from_text(1, 'Anna said, "Come here, Ben." Ben came.')
    assert ch.in_dialogue(ch.text.index("Ben"))
    assert not ch.in_dialogue(ch.text.rindex("Ben"))


def test_negation_window():
    """ "did not die" is negated; "then died" is not."""
    text = "He did not die. Then he died."
    assert negated(text, text.index("die"), 0)
    second = text.rindex("died")
    assert not negated(text, second, text.index("Then"))
