"""The rating proposed first: an ordinal decision over the model's probabilities
(`learning.choose_rating`), Explicit past a threshold chosen on the training works' own
calibration folds (`learning.explicit_threshold`)."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import sparse

from ficarchive.suggest.combine import learned_rating
from ficarchive.suggest.learning import (
    EXPLICIT_PRECISION,
    EXPLICIT_THRESHOLDS,
    SuggestModel,
    choose_rating,
    classifier,
    explicit_threshold,
)
from ficarchive.tags.vocabulary import Rating

G, T, M, E = (
    Rating.GENERAL.value,
    Rating.TEEN.value,
    Rating.MATURE.value,
    Rating.EXPLICIT.value,
)


@pytest.mark.parametrize(
    ("proba", "threshold", "expected"),
    [
        # General is the most probable, but Teen and above hold more than half: the
        # median (fewest expected steps off) is Teen.
        ({G: 0.40, T: 0.35, M: 0.20, E: 0.05}, None, T),
        # Half or more on General: General.
        ({G: 0.55, T: 0.30, M: 0.10, E: 0.05}, None, G),
        # Mature is proposed when the median falls on it, though Teen is more probable.
        ({G: 0.10, T: 0.35, M: 0.30, E: 0.25}, None, M),
        # Without a threshold, Explicit only when it is the most probable.
        ({G: 0.05, T: 0.15, M: 0.20, E: 0.60}, None, E),
        # The median on Explicit without the Explicit decision: Mature.
        ({G: 0.05, T: 0.20, M: 0.20, E: 0.55}, 0.6, M),
        # With a threshold, Explicit from it even when not the most probable.
        ({G: 0.10, T: 0.45, M: 0.10, E: 0.35}, 0.3, E),
        ({G: 0.10, T: 0.45, M: 0.10, E: 0.35}, 0.4, T),
        # Probabilities that do not add up to one are taken relative to their sum.
        ({G: 2.0, T: 1.0, M: 0.5, E: 0.5}, None, G),
        # A model that learned only some ratings.
        ({G: 0.3, T: 0.7}, None, T),
    ],
)
def test_choose_rating(proba, threshold, expected):
    assert choose_rating(proba, threshold) == expected


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


def _separable(n_per: int, explicit_shift: float, seed: int = 0):
    """Feature rows where Explicit works stand apart by ``explicit_shift`` on one
    column and the other ratings overlap."""
    rng = np.random.default_rng(seed)
    rows, labels = [], []
    for rating in (G, T, M, E):
        base = rng.normal(0.0, 1.0, size=(n_per, 6))
        if rating == E:
            base[:, 0] += explicit_shift
        rows.append(base)
        labels += [rating] * n_per
    return sparse.csr_matrix(np.vstack(rows)), labels


def test_explicit_threshold_is_chosen_on_the_training_folds():
    """Explicit set clearly apart: a threshold is found, from the grid, and the model's
    own out-of-fold precision at it is at least the target."""
    x, y = _separable(40, explicit_shift=6.0)
    rating = classifier(y).fit(x, y)
    t = explicit_threshold(rating, x, y)
    assert t in EXPLICIT_THRESHOLDS
    proba = rating.predict_proba(x)[:, list(rating.classes_).index(E)]
    chosen = proba >= t
    assert np.mean(np.asarray(y)[chosen] == E) >= EXPLICIT_PRECISION


def test_no_threshold_when_explicit_cannot_be_told_apart():
    """Explicit works like all others: no threshold reaches the precision, so the
    decision falls back to "Explicit when most probable"."""
    x, y = _separable(40, explicit_shift=0.0, seed=3)
    rating = classifier(y).fit(x, y)
    assert explicit_threshold(rating, x, y) is None


def test_no_threshold_for_an_uncalibrated_model():
    x, y = _separable(4, explicit_shift=6.0)  # too few for calibration folds
    rating = classifier(y).fit(x, y)
    assert not hasattr(rating, "calibrated_classifiers_")
    assert explicit_threshold(rating, x, y) is None
