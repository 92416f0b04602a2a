"""The learned model's probabilities for one work, without scikit-learn's per-call cost.

A :class:`~.learning.SuggestModel` holds calibrated linear classifiers (about twenty
linear estimators with their Platt scalings). Asking scikit-learn for one work's
probabilities runs each estimator's input checks and multiplies the one sparse row by
a copy of every weight vector (each 2**18 wide): that was a fifth of the engine's CPU
per work. Here each estimator's decision value is the dot product of the row's few
non-zero entries with the same entries of its weights, and the calibration and
averaging are those of scikit-learn 1.9 (``CalibratedClassifierCV.predict_proba``,
``_SigmoidCalibration.predict``, ``LinearClassifierMixin._predict_proba_lr``), so the
probabilities are the same to rounding (float32 sums: within 1e-6) (``tests/test_fastmodel.py`` compares them).
Anything of another kind falls back to its own ``predict_proba``.
"""

from __future__ import annotations

import weakref
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from scipy import sparse

    from .learning import SuggestModel


def _expit(x: np.ndarray) -> np.ndarray:
    from scipy.special import expit

    return np.asarray(expit(x), dtype=np.float64)


def _decision(estimator: Any, indices: np.ndarray, data: np.ndarray) -> np.ndarray:
    """A linear estimator's decision values for one sparse row: ``(k,)``, one per
    column of ``coef_`` (one for a binary estimator)."""
    # An elementwise product summed by numpy (pairwise summation), not ``@``: for a
    # float32 matrix and a float64 vector, ``@`` goes to a BLAS routine that starts its
    # threads for every call, and on a busy machine their waiting was most of this
    # function's CPU; the sum also no longer depends on the number of BLAS threads.
    gathered = estimator.coef_[:, indices].astype(np.float64)
    gathered *= data
    return np.asarray(gathered.sum(axis=1) + estimator.intercept_, dtype=np.float64)


def _calibrated_one(cc: Any, indices: np.ndarray, data: np.ndarray) -> np.ndarray:
    """One ``_CalibratedClassifier``'s probabilities (scikit-learn's own steps)."""
    classes = np.asarray(cc.classes)
    n_classes = classes.shape[0]
    predictions = _decision(cc.estimator, indices, data)
    proba = np.zeros(n_classes)
    positions = np.searchsorted(classes, cc.estimator.classes_)
    for class_idx, pred, calibrator in zip(positions, predictions, cc.calibrators, strict=False):
        at = class_idx + 1 if n_classes == 2 else class_idx
        if hasattr(calibrator, "a_") and hasattr(calibrator, "b_"):
            proba[at] = _expit(np.asarray(-(calibrator.a_ * pred + calibrator.b_)))
        else:  # isotonic: its own interpolation
            proba[at] = float(calibrator.predict(np.asarray([pred]))[0])
    if n_classes == 2:
        proba[0] = 1.0 - proba[1]
    else:
        total = proba.sum()
        proba = proba / total if total != 0 else np.full(n_classes, 1.0 / n_classes)
    proba[(proba > 1.0) & (proba <= 1.0 + 1e-5)] = 1.0
    return proba


def _is_linear_logistic(est: Any) -> bool:
    return hasattr(est, "coef_") and getattr(est, "loss", None) == "log_loss"


def _probabilities(est: Any, row: sparse.csr_matrix) -> np.ndarray:
    """``est.predict_proba(row)[0]`` for a one-row CSR matrix."""
    indices, data = row.indices, row.data.astype(np.float64)
    pieces = getattr(est, "calibrated_classifiers_", None)
    if pieces and all(
        _is_linear_logistic(c.estimator) or hasattr(c.estimator, "coef_") for c in pieces
    ):
        total = np.zeros(len(est.classes_))
        for cc in pieces:
            total += _calibrated_one(cc, indices, data)
        return total / len(pieces)
    if _is_linear_logistic(est):
        prob = _expit(_decision(est, indices, data))
        if prob.shape[0] == 1:
            return np.asarray([1.0 - prob[0], prob[0]])
        total = prob.sum()
        return prob / total if total != 0 else np.full(prob.shape[0], 1.0 / prob.shape[0])
    return np.asarray(est.predict_proba(row)[0], dtype=np.float64)


class CompiledModel:
    """A :class:`~.learning.SuggestModel` answering for one work at a time, fast.

    Same three methods as the model (``rating_probabilities``, ``warning_probabilities``,
    ``category_probabilities``: ``{label: probability}`` for a one-row CSR feature
    matrix); every other attribute is the model's own.
    """

    def __init__(self, model: SuggestModel) -> None:
        self._model = model

    def __getattr__(self, name: str) -> Any:
        return getattr(self._model, name)

    def rating_probabilities(self, row: sparse.csr_matrix) -> dict[str, float]:
        """Probability of each learned rating (empty without a rating model)."""
        rating = self._model.rating
        if rating is None:
            return {}
        proba = _probabilities(rating, row)
        return {str(c): float(p) for c, p in zip(rating.classes_, proba, strict=True)}

    def warning_probabilities(self, row: sparse.csr_matrix) -> dict[str, float]:
        """Probability of each learned archive warning."""
        return {w: float(_probabilities(m, row)[1]) for w, m in self._model.warnings.items()}

    def category_probabilities(self, row: sparse.csr_matrix) -> dict[str, float]:
        """Probability of each learned category."""
        return {c: float(_probabilities(m, row)[1]) for c, m in self._model.categories.items()}


_last: list[tuple[weakref.ref[Any], CompiledModel]] = []


def compiled(model: SuggestModel) -> CompiledModel:
    """The fast form of ``model`` (the last one asked for is kept while it lives)."""
    if _last and _last[0][0]() is model:
        return _last[0][1]
    fast = CompiledModel(model)
    _last[:] = [(weakref.ref(model), fast)]
    return fast
