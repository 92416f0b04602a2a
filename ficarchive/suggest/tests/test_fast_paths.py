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
