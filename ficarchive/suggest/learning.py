"""A learned model of rating, archive warnings and categories, trained on labelled works.

Features (:func:`features`): hashed word unigrams and bigrams of the text (scikit-learn's
``HashingVectorizer``: no vocabulary is stored, so a saved model holds no word list), with
log-scaled counts and unit length; CJK characters are tokens of their own, so Chinese and
Japanese texts get character unigrams and bigrams; plus the rule engine's cue features
(each cue family's weight per 1,000 words, the rule engine's own rating, the length).

Models: a linear classifier with logistic loss (calibrated) for the rating (Not Rated left out: it is the
author's choice, not a property of the text), and one binary one per
archive warning and per category that has enough examples on each side (one-vs-rest). Their
probabilities are the suggestions' confidences. A label without enough examples is left
to the rules (:data:`MIN_POSITIVE`), and an archive with fewer than :data:`MIN_WORKS`
labelled works uses the rules alone.

The rating proposed first is an ordinal decision over the probabilities
(:func:`choose_rating`), not always the most probable rating: Explicit when it is the
most probable, otherwise the rating at the median of the probabilities taken in AO3's
order General < Teen < Mature < Explicit (the choice that minimises the expected number
of steps off).

The model lives in a file under FICARCHIVE_HOME (:func:`model_path`), never in git.
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ficarchive.tags.vocabulary import ArchiveWarning, Category, Rating

from .cues import CUE_LEXICON
from .detectors import ContentProfile

if TYPE_CHECKING:
    import numpy as np
    from scipy import sparse

# scikit-learn, SciPy and NumPy are imported when first needed: every `ficarchive`
# command imports the engine (through imports), and most never use a model.

MODEL_VERSION = 1
MIN_WORKS = 30  # fewer labelled works than this: the rules answer alone
MIN_POSITIVE = 5  # examples needed on each side of a label before it is learned
N_FEATURES = 2**18
CUE_WEIGHT = 1.0  # the cue block's scale beside the unit-length text block
ALPHA = 1e-4  # L2 regularisation of the linear models
CALIBRATION_FOLDS = 3
# Training reads at most this many words of each work, in SAMPLE_WINDOWS stretches spread
# over the text (:func:`training_sample`): the set's median length, so half of the
# shared set's works are read whole. Suggestions still read every word.
TRAINING_SAMPLE_WORDS = 2000
SAMPLE_WINDOWS = 4


LEARNED_RATINGS = [
    Rating.GENERAL.value,
    Rating.TEEN.value,
    Rating.MATURE.value,
    Rating.EXPLICIT.value,
]
LEARNED_WARNINGS = [
    ArchiveWarning.VIOLENCE.value,
    ArchiveWarning.MAJOR_CHARACTER_DEATH.value,
    ArchiveWarning.NON_CON.value,
    ArchiveWarning.UNDERAGE.value,
]
CATEGORIES = [c.value for c in Category]
FAMILIES = sorted(CUE_LEXICON)

_CJK = re.compile(r"([\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af])")
# Runs of them: one Python call per run instead of one template expansion per character.
_CJK_RUN = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]+")
_vectorizer: list[Any] = []


def _hashing() -> Any:
    """The one ``HashingVectorizer`` (stateless: nothing of the texts is kept in it)."""
    if not _vectorizer:
        import numpy as np
        from sklearn.feature_extraction.text import HashingVectorizer

        _vectorizer.append(
            HashingVectorizer(
                n_features=N_FEATURES,
                ngram_range=(1, 2),
                alternate_sign=False,
                norm=None,
                token_pattern=r"(?u)\b\w+\b",  # noqa: S106 - a regular expression, not a secret
                dtype=np.float32,
            )
        )
    return _vectorizer[0]


def _spaced(text: str) -> str:
    """Text with every CJK character standing alone, so it is a token (scripts that do
    not separate words by spaces get character n-grams)."""
    return _CJK_RUN.sub(_spaced_run, text)


def _spaced_run(match: re.Match[str]) -> str:
    # The same string as _CJK.sub(r" \1 ", ...) gives: " a  b  c " for "abc".
    return " " + "  ".join(match.group()) + " "


def cue_vector(profile: ContentProfile, rule_rating: str, words: int | None = None) -> np.ndarray:
    """The rule engine's view of a work as numbers: log(1 + weight per 1,000 words) of
    each cue family, the clustered explicit hits, a one-hot of the rules' rating, and
    log10 of the length in words.

    ``words`` is the whole work's length when ``profile`` was read from a
    :func:`training_sample` of it: the length feature is then the work's, and the count
    of clustered explicit hits is scaled up to the whole (densities need nothing)."""
    scale = max(words / max(profile.words, 1), 1.0) if words else 1.0
    values = [math.log1p(profile.density(profile.total(f))) for f in FAMILIES]
    values.append(math.log1p(profile.count_clustered("sex_explicit") * scale))
    values += [1.0 if rule_rating == r else 0.0 for r in LEARNED_RATINGS]
    values.append(math.log10(max(words or profile.words, 1)) / 5)
    import numpy as np

    return np.asarray(values, dtype=np.float32)


_BREAK = re.compile(r"(?<=\n)|(?<=</p>)")


def training_sample(text: str, limit: int = TRAINING_SAMPLE_WORDS) -> tuple[str, int]:
    """At most about ``limit`` words of ``text`` for training, and the text's length in
    words (whitespace-separated).

    A longer text is cut at paragraph breaks (newlines, or ``</p>`` in HTML) into
    :data:`SAMPLE_WINDOWS` stretches of ``limit / SAMPLE_WINDOWS`` words, the first at
    the start, the last at the end and the others evenly between, so a scene late in a
    long work is read too. Training only: the cost of training grows with the words
    read, and a work's rating shows in any long enough stretch of it far more often than
    not. A text without paragraph breaks is cut by words. Returns the text itself when
    it is not longer than ``limit``."""
    words = len(text.split())
    if words <= limit:
        return text, words
    window = max(limit // SAMPLE_WINDOWS, 1)
    span = words - window
    starts = [round(j * span / (SAMPLE_WINDOWS - 1)) for j in range(SAMPLE_WINDOWS)]
    pieces = _BREAK.split(text)
    if len(pieces) < 2 * SAMPLE_WINDOWS:
        tokens = text.split()
        return "\n\n".join(" ".join(tokens[s : s + window]) for s in starts), words
    kept: list[str] = []
    at = 0
    for piece in pieces:
        tokens = piece.split()
        n = len(tokens)
        # A paragraph is kept when it overlaps one of the windows; a very long one only
        # for the window's length (the sample stays bounded).
        if any(at < s + window and at + n > s for s in starts):
            kept.append(piece if n <= 2 * window else " ".join(tokens[:window]) + "\n")
        at += n
    return "".join(kept), words


def features(texts: Sequence[str], cues: Sequence[np.ndarray]) -> sparse.csr_matrix:
    """The feature matrix of works: one row per text, hashed n-grams then cue features.

    ``texts`` are plain texts (chapters run together); ``cues`` the matching
    :func:`cue_vector` rows.
    """
    import numpy as np
    from scipy import sparse
    from sklearn.preprocessing import normalize

    from .hashing import hashed_counts

    counts = hashed_counts(_hashing(), [_spaced(t) for t in texts])
    counts.data = np.log1p(counts.data)
    text_block = normalize(counts)
    cue_block = sparse.csr_matrix(np.vstack(cues) * CUE_WEIGHT) if len(cues) else None
    return sparse.hstack([text_block, cue_block], format="csr")


@dataclass
class Labels:
    """What the author chose for one training work. ``warnings`` is ``None`` when the
    author chose not to use archive warnings (unknown, so not learned from);
    ``categories`` is ``None`` when they are not known."""

    rating: str
    warnings: list[str] | None
    categories: list[str] | None


@dataclass
class SuggestModel:
    """The trained classifiers, with what they were trained on."""

    rating: Any
    warnings: dict[str, Any] = field(default_factory=dict)
    categories: dict[str, Any] = field(default_factory=dict)
    works: int = 0
    trained_at: float = 0.0
    seconds: float = 0.0
    source: str = ""  # "archive" or "labelled"
    version: int = MODEL_VERSION

    def rating_probabilities(self, row: sparse.csr_matrix) -> dict[str, float]:
        """Probability of each learned rating for one feature row (empty without a
        rating model)."""
        if self.rating is None:
            return {}
        proba = self.rating.predict_proba(row)[0]
        return {str(c): float(p) for c, p in zip(self.rating.classes_, proba, strict=True)}

    def rating_choice(self, proba: dict[str, float]) -> str | None:
        """The rating to propose first for :meth:`rating_probabilities`' answer
        (:func:`choose_rating`); ``None`` when ``proba`` is empty."""
        return choose_rating(proba)

    def warning_probabilities(self, row: sparse.csr_matrix) -> dict[str, float]:
        """Probability of each learned archive warning (warnings left to the rules are
        absent)."""
        return {w: float(m.predict_proba(row)[0][1]) for w, m in self.warnings.items()}

    def category_probabilities(self, row: sparse.csr_matrix) -> dict[str, float]:
        """Probability of each learned category."""
        return {c: float(m.predict_proba(row)[0][1]) for c, m in self.categories.items()}

    def summary(self) -> dict[str, Any]:
        """What the model knows, JSON-ready."""
        return {
            "works": self.works,
            "source": self.source,
            "ratings": [str(c) for c in self.rating.classes_] if self.rating is not None else [],
            "warnings": sorted(self.warnings),
            "categories": sorted(self.categories),
            "rating_decision": "ordinal",
            "trained_at": self.trained_at,
            "seconds": round(self.seconds, 3),
            "version": self.version,
        }


def choose_rating(proba: dict[str, float]) -> str | None:
    """The rating to propose first, from the probabilities of the learned ratings.

    Explicit when it is the most probable rating. Otherwise the rating at the median of
    the probabilities taken in AO3's order (General < Teen < Mature < Explicit): the
    first whose cumulative probability reaches half, which minimises the expected number
    of steps between the proposal and the author's rating (the median falls on Explicit
    only when Explicit holds more than half, so is the most probable). ``None`` when
    ``proba`` is empty.

    Why not always the most probable rating: on the shared set (5-fold CV) the median
    is off by two steps or more less often (within one step 95.2% against 93.9%) and
    under-rates less (an Explicit or Mature work proposed General: 0 against 6), for
    2.1 points of exact match (59.4% against 61.5%), General works being proposed Teen;
    see docs/benchmarks.md, issue 16, "ordinal decision". An Explicit threshold chosen
    on inner folds was tried and gained nothing there."""
    if not proba:
        return None
    explicit = Rating.EXPLICIT.value
    top = max(proba, key=proba.__getitem__)
    if top == explicit:
        return explicit
    total = sum(proba.values()) or 1.0
    running = 0.0
    for name in LEARNED_RATINGS:
        running += proba.get(name, 0.0) / total
        if running >= 0.5:
            return name
    return top


def classifier(y: Sequence[Any]) -> Any:
    """A linear model with logistic loss fitted by stochastic gradient descent (fast on
    hashed n-grams), classes weighted by their rarity; calibrated by Platt scaling
    (``CalibratedClassifierCV``, sigmoid) when every class has enough examples for its
    folds, so that its probabilities can stand as confidences."""
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.linear_model import SGDClassifier

    base = SGDClassifier(loss="log_loss", alpha=ALPHA, class_weight="balanced", random_state=0)
    smallest = min(list(y).count(c) for c in set(y))
    if smallest >= 2 * CALIBRATION_FOLDS:
        return CalibratedClassifierCV(base, method="sigmoid", cv=CALIBRATION_FOLDS)
    return base


def _binary(x: sparse.csr_matrix, y: list[int]) -> Any:
    positives = sum(y)
    if positives < MIN_POSITIVE or len(y) - positives < MIN_POSITIVE:
        return None
    return classifier(y).fit(x, y)


def train_model(x: sparse.csr_matrix, labels: Sequence[Labels]) -> SuggestModel:
    """Fit the classifiers on feature rows ``x`` (from :func:`features`) and their labels.

    Works rated Not Rated teach nothing about the rating; works whose author chose not to
    use archive warnings teach nothing about warnings; works without known categories
    nothing about categories. Raises ``ValueError`` when ``x`` and ``labels`` differ in
    length.
    """
    if x.shape[0] != len(labels):
        raise ValueError("one label per feature row is needed")
    started = time.process_time()
    rated = [i for i, lab in enumerate(labels) if lab.rating in LEARNED_RATINGS]
    rating = None
    if len(rated) >= MIN_WORKS and len({labels[i].rating for i in rated}) >= 2:
        ratings = [labels[i].rating for i in rated]
        rating = classifier(ratings).fit(x[rated], ratings)
    model = SuggestModel(rating=rating, works=len(labels))
    warned = [i for i, lab in enumerate(labels) if lab.warnings is not None]
    for name in LEARNED_WARNINGS:
        y = [int(name in (labels[i].warnings or ())) for i in warned]
        fitted = _binary(x[warned], y) if warned else None
        if fitted is not None:
            model.warnings[name] = fitted
    known = [i for i, lab in enumerate(labels) if lab.categories]
    if len(known) >= MIN_WORKS:
        for name in CATEGORIES:
            fitted = _binary(x[known], [int(name in (labels[i].categories or ())) for i in known])
            if fitted is not None:
                model.categories[name] = fitted
    model.trained_at = time.time()
    model.seconds = time.process_time() - started
    return model


def model_path() -> Path:
    """Where the archive's model is kept: ``FICARCHIVE_HOME/suggest/model.joblib``."""
    from django.conf import settings

    return Path(settings.FICARCHIVE_HOME) / "suggest" / "model.joblib"


def model_save(model: SuggestModel, path: Path | None = None) -> Path:
    """Write the model (atomically: a reader never sees half a file). Returns the path."""
    import joblib

    path = path or model_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    joblib.dump(model, partial)
    partial.replace(path)
    _loaded.clear()
    return path


_loaded: dict[str, tuple[float, SuggestModel | None]] = {}


def model_load(path: Path | None = None) -> SuggestModel | None:
    """The saved model, or ``None`` when there is none (or it is of an older version, or
    unreadable: the rules answer then). Kept in memory until the file changes."""
    import joblib

    path = path or model_path()
    try:
        stamp = path.stat().st_mtime
    except OSError:
        return None
    cached = _loaded.get(str(path))
    if cached and cached[0] == stamp:
        return cached[1]
    try:
        model = joblib.load(path)
    except Exception:  # noqa: BLE001 - a damaged model file must not stop suggestions
        model = None
    if not isinstance(model, SuggestModel) or model.version != MODEL_VERSION:
        model = None
    _loaded[str(path)] = (stamp, model)
    return model
