"""The Explicit decision threshold: chosen on the training works' out-of-fold
predictions, and applied when the model proposes a rating."""

from __future__ import annotations

import numpy as np
from scipy import sparse

from ficarchive.suggest.learning import SuggestModel, explicit_threshold
from ficarchive.tags.vocabulary import Rating

G, T, M, E = (
    Rating.GENERAL.value,
    Rating.TEEN.value,
    Rating.MATURE.value,
    Rating.EXPLICIT.value,
)


def _separable(n: int = 20, seed: int = 0) -> tuple[sparse.csr_matrix, list[str]]:
    """Rows whose one informative column says the rating (plus noise)."""
    rng = np.random.default_rng(seed)
    rows, labels = [], []
    for i, rating in enumerate([G, T, M, E] * n):
        row = rng.normal(0, 0.1, 8)
        row[i % 4] += 3.0
        rows.append(row)
        labels.append(rating)
    return sparse.csr_matrix(np.abs(np.vstack(rows))), labels


def test_threshold_is_a_probability_on_a_learnable_set():
    """A set where Explicit is learnable gets a threshold between 0 and 1."""
    x, y = _separable()
    t = explicit_threshold(x, y)
    assert t is not None and 0.0 < t < 1.0


def test_no_threshold_without_enough_explicit_works():
    """Too few Explicit works to fold leaves the likeliest rating to decide."""
    x, y = _separable()
    y = [G if r == E else r for r in y]
    y[0] = E
    assert explicit_threshold(x, y) is None


def test_best_rating_uses_the_threshold():
    """Explicit is proposed from its threshold even when another rating is likelier,
    and not below it even when it is the likeliest."""
    model = SuggestModel(rating=None, explicit_threshold=0.3)
    assert model.best_rating({G: 0.1, T: 0.45, M: 0.1, E: 0.35}) == E
    model.explicit_threshold = 0.7
    assert model.best_rating({G: 0.05, T: 0.3, M: 0.05, E: 0.6}) == T
    model.explicit_threshold = None
    assert model.best_rating({G: 0.05, T: 0.3, M: 0.05, E: 0.6}) == E
    assert model.best_rating({}) is None
