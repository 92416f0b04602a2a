"""The text pipeline in every script and encoding (issue 12, kinds 2, 3 and 6)."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ficarchive.works.text import (
    body_to_html,
    clean_control_chars,
    count_words_in_text,
    decode_text,
    html_to_text,
)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("ฉันรักเธอมาก", 12),  # Thai: each character, as on AO3
        ("मैं तुमसे प्यार करता हूँ।", 5),  # Hindi: vowel signs stay in their word
        ("나는 너를 사랑해", 3),  # Hangul is spaced like Latin
        ("私は猫が好きです", 8),  # Han and kana: each character
        ("魔法少女 and friends", 6),
        (unicodedata.normalize("NFD", "Zoë met Renée"), 3),  # decomposed accents
        ("don't stop, mother-in-law's e.g. 3.14", 7),
        ("می\u200cخواهم بروم", 2),  # a ZWNJ does not split a Persian word
        ("👩\u200d👩\u200d👧 🏳️\u200d🌈", 0),  # emoji are not words
    ],
)
def test_word_counts_follow_ao3_for_every_script(text, words):
    """AO3's counter: Han/Hiragana/Katakana/Thai per character, else letter+mark runs."""
    assert count_words_in_text(text) == words


def test_mixed_utf8_and_windows_1252_lines_both_decode():
    """Valid UTF-8 lines stay UTF-8; the one Windows-1252 line is read as such."""
    data = "Café Crème\n".encode() + "“I’m sorry,” said Zoë.\n".encode("cp1252")
    assert decode_text(data) == "Café Crème\n“I’m sorry,” said Zoë.\n"


def test_whole_legacy_files_still_decode():
    """A Windows-1251 Russian file and a Windows-1252 French file read right."""
    russian = "Война и мир. " * 20 + "\nОна сказала: «Нет»."
    assert decode_text(russian.encode("cp1251")) == russian
    french = "L'été à la façade du café, naïve Renée.\n" * 5
    assert decode_text(french.encode("cp1252")) == french


def test_mojibake_in_valid_utf8_is_repaired_but_quotes_and_entities_stay():
    """ftfy undoes earlier tools' mojibake; curly quotes and &amp; are the author's."""
    assert decode_text("CafÃ© CrÃ¨me".encode()) == "Café Crème"
    assert decode_text("“Tom &amp; Jerry” — 50%".encode()) == "“Tom &amp; Jerry” — 50%"


def test_control_characters_become_breaks_or_go():
    """Form feed: paragraph break; vertical tab: line break; Ctrl-Z and C0: dropped."""
    assert clean_control_chars("a\x0cb\x0bc\x1a\x01d\ufffd") == "a\n\nb\ncd"
    html = body_to_html("One\x0bTwo\x0c\x0cThree\x1a", text_format="text")
    assert html == "<p>One<br>Two</p>\n<p>Three</p>"
    assert "Two" in html_to_text("<p>One\x0bTwo\x00</p>")


@given(st.binary(max_size=400))
def test_decode_text_never_raises_and_leaves_no_controls(data):
    """Any bytes decode, and no control character other than tab and line ends is left."""
    text = decode_text(data)
    assert not any(ord(ch) < 32 and ch not in "\t\n\r" for ch in text)
    assert "\ufffd" not in text
