"""Suggestion speed."""

from ficarchive.suggest.engine import time_per_10k_words
from ficarchive.suggest.evaluation import load_lexicon


def test_speed_is_measured():
    """Speed is measured per 10,000 words (the figure goes in docs/benchmarks.md; a shared
    machine's timing is never asserted)."""
    paragraph = (
        "Anna walked to the market with her brother, and they argued about the price of apples. "
        "It was raining; the stalls were crowded and a dog barked at a passing cart. "
    ) * 20
    result = time_per_10k_words([[paragraph] * 16], load_lexicon(), repeat=2)
    assert result["words"] > 9000
    print(f"{result['ms_per_10k_words']} ms per 10,000 words")
    assert result["ms_per_10k_words"] > 0
