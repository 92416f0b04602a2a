"""Faster ways of computing the detectors' intermediate results give the same results."""

from hypothesis import given, settings
from hypothesis import strategies as st

from ficarchive.suggest.detectors.characters import _PREVIOUS_WORD, _previous_word

_ALPHABET = st.sampled_from(list("aBcé Z.\n\t'’-1_?\"") + ["\u0308"])


@settings(max_examples=400, deadline=None)
@given(st.text(_ALPHABET, max_size=60), st.integers(0, 60))
def test_previous_word_is_the_search(text, start):
    start = min(start, len(text))
    found = _PREVIOUS_WORD.search(text, max(0, start - 40), start)
    fast = _previous_word(text, start)
    if found is None:
        assert fast is None
    else:
        assert fast is not None
        word, gap, word_start = fast
        assert (word, word_start) == (found.group(1), found.start(1))
        assert gap.strip() == found.group(2).strip()


def test_previous_word_examples():
    assert _previous_word("Baker Street", 6) == ("Baker", " ", 0)
    assert _previous_word("Dr. Watson", 4) == ("Dr", ". ", 0)
    assert _previous_word("St\n\nGeorge", 4)[0] == "St"
    assert _previous_word("said, Holmes", 6) is None


@settings(max_examples=400, deadline=None)
@given(st.text(_ALPHABET, max_size=30), st.integers(0, 30))
def test_word_before_is_the_search(text, end):
    from ficarchive.suggest.text import _WORD_BEFORE, _word_before

    end = min(end, len(text))
    found = _WORD_BEFORE.search(text, max(0, end - 12), end)
    assert _word_before(text, end) == (found.group(1) if found else None)


# Characters that exercise every branch of the segmentation and normalisation
# expressions: sentence ends, closing quotes, every kind of inline space, newlines.
_SEGMENT_ALPHABET = st.sampled_from(
    list("aB .!?…\"'”’)]“‘\n\t\r\u00a0\u2009\u3000\u2028\x1c\f\vxJ")
    + ["Mr", "etc", "st", "no", "  "]
)


@settings(max_examples=500, deadline=None)
@given(st.lists(_SEGMENT_ALPHABET, max_size=60).map("".join))
def test_fast_segmentation_expressions_match_the_originals(text):
    """The sentence-end and dialogue expressions written for speed find the same spans."""
    from ficarchive.suggest.text import (
        _DIALOGUE,
        _DIALOGUE_FAST,
        _SENTENCE_END,
        _SENTENCE_END_FAST,
    )

    for slow, fast in ((_SENTENCE_END, _SENTENCE_END_FAST), (_DIALOGUE, _DIALOGUE_FAST)):
        assert [m.span() for m in fast.finditer(text)] == [m.span() for m in slow.finditer(text)]


@settings(max_examples=500, deadline=None)
@given(st.lists(_SEGMENT_ALPHABET, max_size=60).map("".join), st.integers(0, 60))
def test_abbreviation_check_is_the_word_before(text, stop):
    """The quick test for a full stop after an abbreviation answers as the full one."""
    from ficarchive.suggest.text import _ABBREVIATIONS, _abbreviation_before, _word_before

    stop = min(stop, len(text))
    text = text[:stop] + "." + text[stop:]
    word = _word_before(text, stop + 1)
    slow = bool(word) and (word.lower() in _ABBREVIATIONS or (len(word) == 1 and word.isupper()))
    assert _abbreviation_before(text, stop) == slow


@settings(max_examples=500, deadline=None)
@given(st.lists(_SEGMENT_ALPHABET, max_size=60).map("".join))
def test_normalisation_is_works_normalize_text(text):
    """The suggestion engine's plain-text normalisation is works.text.normalize_text's."""
    from ficarchive.suggest.text import _normalize
    from ficarchive.works.text import normalize_text

    assert _normalize(text) == normalize_text(text)


def test_cue_groups_find_what_one_alternation_finds():
    """The cue expression grouped by first letter finds the same cue at the same place
    as the plain alternation of every cue in lexicon order."""
    import re

    from ficarchive.suggest.cues import _CUE_GROUPS, _CUE_META, _CUES, CUE_LEXICON

    plain = re.compile(
        r"(?<![\w-])(?:"
        + "|".join(
            f"(?P<c{i}>{p})" for i, p in enumerate(p for e in CUE_LEXICON.values() for p, _ in e)
        )
        + r")(?![\w])",
        re.I,
    )
    text = (
        "She kissed him and they made love; later he killed him with a knife, blood "
        "poured, and the twelve-year-old saw it. Fucking hell, said the vampire, in love "
        "and in bed with her. He was dead. 12 years old. Sweetheart! Their engagement."
    )
    slow = [(m.span(), int(m.lastgroup[1:])) for m in plain.finditer(text)]
    fast = [(m.span(), _CUE_GROUPS[m.lastgroup]) for m in _CUES.finditer(text)]
    assert fast == slow and len(fast) > 10
    assert all(_CUE_META[i][0] in CUE_LEXICON for _, i in fast)


_TOKEN_ALPHABET = st.sampled_from(list("aBéb Z.\n\t'’-1_?\"²½\u00a0\u2028\x1c\u0308"))


@settings(max_examples=500, deadline=None)
@given(st.text(_TOKEN_ALPHABET, max_size=60))
def test_lowercase_tokens_are_the_search(text):
    """The lowercase words found chunk by chunk are those one search of the text finds."""
    from ficarchive.suggest.text import _TOKEN, lowercase_tokens

    assert lowercase_tokens(text.split()) == {w for w in _TOKEN.findall(text) if w.islower()}


@settings(max_examples=500, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "I",
                "me",
                "my",
                "myself",
                "we",
                "us",
                "our",
                "s",
                "elf",
                "M",
                "_",
                "1",
                " ",
                "é",
                "'",
                "\n",
            ]
        ),
        max_size=30,
    ).map("".join)
)
def test_first_person_expression_matches_the_original(text):
    """The first-person pronoun expression written for speed finds the same spans."""
    from ficarchive.suggest.detectors.speech import _FIRST_PERSON, _FIRST_PERSON_FAST

    assert [m.span() for m in _FIRST_PERSON_FAST.finditer(text)] == [
        m.span() for m in _FIRST_PERSON.finditer(text)
    ]


_CHILD_PIECES = [
    "child",
    "Child",
    "ren",
    "little ",
    "LITTLE ",
    "boy",
    "girl",
    "ones",
    "play",
    "Play",
]


@settings(max_examples=500, deadline=None)
@given(
    st.lists(
        st.sampled_from([*_CHILD_PIECES, "mates", "fellow", "s", "x", " ", "_", "-", "."]),
        max_size=20,
    ).map("".join),
    st.integers(0, 80),
    st.integers(0, 80),
)
def test_child_words_expression_matches_the_original(text, pos, endpos):
    """The child-words expression written for speed finds what the original finds, in
    a whole text and in any stretch of it (as the detector searches one sentence)."""
    from ficarchive.suggest.detectors.speech import _CHILD_WORDS, _CHILD_WORDS_FAST

    assert [m.span() for m in _CHILD_WORDS_FAST.finditer(text)] == [
        m.span() for m in _CHILD_WORDS.finditer(text)
    ]
    fast, slow = _CHILD_WORDS_FAST.search(text, pos, endpos), _CHILD_WORDS.search(text, pos, endpos)
    assert (fast and fast.span()) == (slow and slow.span())


def test_child_words_first_letters_match_only_their_two_cases():
    """Ignoring case, c, l and p match only themselves and their capitals, so a class
    of the two stands for them exactly."""
    import re
    import sys

    for letter in "clp":
        found = [c for c in range(sys.maxunicode + 1) if re.fullmatch(letter, chr(c), re.I)]
        assert found == [ord(letter.upper()), ord(letter)]


@settings(max_examples=800, deadline=None)
@given(
    st.lists(st.sampled_from(list('a \n\t"“”‘’.') + ["\n\n", "\n \n", "’s"]), max_size=40).map(
        "".join
    )
)
def test_dialogue_expression_matches_the_original_on_quotes(text):
    """Quoted speech found by the expression written for speed is the original's, on
    texts made mostly of quotes, apostrophes and line breaks."""
    from ficarchive.suggest.text import _DIALOGUE, _DIALOGUE_FAST

    assert [m.span() for m in _DIALOGUE_FAST.finditer(text)] == [
        m.span() for m in _DIALOGUE.finditer(text)
    ]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab 。安娜和本ア한\u4dbf\u3040\uac00\n", max_size=60))
def test_cjk_spacing_by_runs_equals_one_substitution_per_character(text):
    from ficarchive.suggest.learning import _CJK, _spaced

    assert _spaced(text) == _CJK.sub(r" \1 ", text)
