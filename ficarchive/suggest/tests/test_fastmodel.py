"""The compiled model answers exactly as scikit-learn does for the same model."""

from __future__ import annotations

import pytest

from ficarchive.suggest import training
from ficarchive.suggest.crossval import prepare
from ficarchive.suggest.fastmodel import CompiledModel, compiled
from ficarchive.suggest.labelled import read_labelled
from ficarchive.suggest.learning import model_load

from .labelled_factory import write_labelled


def test_compiled_probabilities_equal_scikit_learns(tmp_path):
    """Every rating, warning and category probability of the compiled model equals the
    model's own ``predict_proba`` (calibrated and uncalibrated estimators alike)."""
    folder = write_labelled(tmp_path / "l")
    path = tmp_path / "model.joblib"
    training.model_train_from_labelled(folder, path)
    model = model_load(path)
    assert model is not None and model.rating is not None
    _, x, _ = prepare(read_labelled(folder))
    fast = compiled(model)
    assert isinstance(fast, CompiledModel) and compiled(model) is fast
    assert fast.works == model.works  # other attributes are the model's
    compared = 0
    for i in range(x.shape[0]):
        row = x[i]
        for method in ("rating_probabilities", "warning_probabilities", "category_probabilities"):
            want = getattr(model, method)(row)
            got = getattr(fast, method)(row)
            assert got.keys() == want.keys()
            for key, p in want.items():
                assert got[key] == pytest.approx(p, abs=1e-6)  # float32 sums in scikit-learn
                compared += 1
    assert compared > x.shape[0] * 4


def test_uncalibrated_and_fallback_estimators(tmp_path):
    """A plain (uncalibrated) logistic SGD model and an estimator of another kind give
    scikit-learn's probabilities too."""
    import numpy as np
    from scipy import sparse
    from sklearn.linear_model import SGDClassifier
    from sklearn.naive_bayes import MultinomialNB

    from ficarchive.suggest.fastmodel import _probabilities

    rng = np.random.default_rng(0)
    x = sparse.csr_matrix(rng.random((60, 40)) * (rng.random((60, 40)) > 0.7))
    for y in (rng.integers(0, 2, 60), rng.integers(0, 3, 60)):
        for est in (SGDClassifier(loss="log_loss", random_state=0), MultinomialNB()):
            est.fit(x, y)
            for i in range(5):
                assert np.allclose(_probabilities(est, x[i]), est.predict_proba(x[i])[0])
