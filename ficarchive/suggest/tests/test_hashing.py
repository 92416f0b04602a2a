"""The faster hashed n-gram counts are scikit-learn's own."""

from __future__ import annotations

import numpy as np
import pytest

from ficarchive.suggest.hashing import hashed_counts
from ficarchive.suggest.learning import _hashing, _spaced


@pytest.mark.parametrize(
    "texts",
    [
        ["The cat sat on the mat. The CAT sat!", "", "one", "naïve café—déjà vu, x_y 3rd 42"],
        [_spaced("安娜和本一起去市场买苹果。他们谈论天气。"), "Don't stop; it's fine-ish."],
    ],
)
def test_same_matrix_as_the_vectorizer(texts):
    """Same shape, columns, counts and dtype as ``HashingVectorizer.transform``."""
    want = _hashing().transform(texts)
    got = hashed_counts(_hashing(), texts)
    assert got.shape == want.shape and got.dtype == want.dtype
    assert (got != want).nnz == 0
    assert np.array_equal(got.toarray(), want.toarray())


def test_other_settings_go_to_the_vectorizer():
    """A vectorizer with other n-grams is simply called."""
    from sklearn.feature_extraction.text import HashingVectorizer

    vec = HashingVectorizer(n_features=64, ngram_range=(1, 3), norm=None)
    texts = ["a b c d", "b c d e"]
    assert (hashed_counts(vec, texts) != vec.transform(texts)).nnz == 0
