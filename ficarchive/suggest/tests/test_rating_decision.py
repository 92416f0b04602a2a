"""The rating proposed first: an ordinal decision over the model's probabilities
(`learning.choose_rating`): Explicit when most probable, else the median in AO3's order."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import sparse

from ficarchive.suggest.combine import learned_rating
from ficarchive.suggest.learning import SuggestModel, choose_rating
from ficarchive.tags.vocabulary import Rating

G, T, M, E = (
    Rating.GENERAL.value,
    Rating.TEEN.value,
    Rating.MATURE.value,
    Rating.EXPLICIT.value,
)


@pytest.mark.parametrize(
    ("proba", "expected"),
    [
        # General is the most probable, but Teen and above hold more than half: the
        # median (fewest expected steps off) is Teen.
        ({G: 0.40, T: 0.35, M: 0.20, E: 0.05}, T),
        # Half or more on General: General.
        ({G: 0.55, T: 0.30, M: 0.10, E: 0.05}, G),
        # Mature is proposed when the median falls on it, though Teen is more probable.
        ({G: 0.10, T: 0.35, M: 0.30, E: 0.25}, M),
        # Explicit when it is the most probable, even below half.
        ({G: 0.05, T: 0.25, M: 0.30, E: 0.40}, E),
        # Teen the most probable, Mature at the median.
        ({G: 0.05, T: 0.37, M: 0.08, E: 0.36}, M),
        # Probabilities that do not add up to one are taken relative to their sum.
        ({G: 2.0, T: 1.0, M: 0.5, E: 0.5}, G),
        # A model that learned only some ratings.
        ({G: 0.3, T: 0.7}, T),
    ],
)
def test_choose_rating(proba, expected):
    assert choose_rating(proba) == expected


def test_choose_rating_without_probabilities():
    assert choose_rating({}) is None


class _Fixed:
    """A rating model answering fixed probabilities."""

    classes_ = np.array([E, G, M, T])

    def __init__(self, proba):
        self.proba = proba

    def predict_proba(self, row):
        return np.array([[self.proba[c] for c in self.classes_]])


def test_learned_rating_lists_the_decision_first_then_by_probability():
    """The engine's rating list: the decision first (not the most probable here), then
    the others most probable first, unlikely ones left out."""
    model = SuggestModel(rating=_Fixed({G: 0.40, T: 0.35, M: 0.20, E: 0.05}), works=100)
    got = learned_rating(model, sparse.csr_matrix((1, 3)), [])
    assert [s.name for s in got] == [T, G, M]
    assert got[0].score == pytest.approx(0.35)
    assert all(s.details["source"] == "model" for s in got)
