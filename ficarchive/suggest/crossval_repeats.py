"""How much the cross-validated figures move: repeated splits and bootstrap intervals.

One K-fold split decides a figure to within a work or two; on 330 works one work is
0.3 points of rating accuracy. ``bench suggest --repeats R`` therefore repeats the
cross-validation with R different stratified splits (seeds 0..R-1, repeat 0 being the
usual split) and reports each headline figure's mean, standard deviation, minimum and
maximum over the repeats (:func:`aggregate`); and, from the first repeat's pooled
out-of-fold predictions, a 95% interval by a percentile bootstrap over works
(:func:`bootstrap_intervals`): works are drawn with replacement, which shows how much
the figure depends on which works the set happens to hold.

The figures are computed from per-work counts (:func:`work_counts`) with the same
definitions as :func:`~.crossval._result` (a precision with nothing proposed is 1.0, as
:class:`~.evaluation.Tally` has it), so the interval of the first repeat is around the
point figure the report prints.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from typing import Any

import numpy as np

# The headline figures: a key of the result, or "<tally>_precision" / "<tally>_recall".
HEADLINE = (
    "rating_exact",
    "rating_within_one",
    "explicit_recall",
    "explicit_precision",
    "false_grave_rate",
    "category_exact",
    "characters_precision",
    "characters_recall",
    "relationships_precision",
    "relationships_recall",
    "characters_by_name_precision",
    "characters_by_name_recall",
    "relationships_by_name_precision",
    "relationships_by_name_recall",
)
_TALLIES = (
    "explicit",
    "characters",
    "relationships",
    "characters by name",
    "relationships by name",
)
# The columns of a work's counts.
COLUMNS = (
    "rated",
    "exact",
    "within_one",
    "grave_false_0",
    "grave_false_1",
    "grave_unwarned_0",
    "grave_unwarned_1",
    "category_works",
    "category_exact",
    *(f"{t}:{part}" for t in _TALLIES for part in ("tp", "fp", "fn")),
)
RESAMPLES = 2000
BOOTSTRAP_SEED = 0


def headline(result: dict[str, Any]) -> dict[str, float | None]:
    """The headline figures of one cross-validation result (:func:`~.crossval._result`)."""
    out: dict[str, float | None] = {}
    for name in HEADLINE:
        if name in result:
            out[name] = result[name]
            continue
        kind, _, part = name.rpartition("_")
        tally = result.get(kind)
        out[name] = tally.get(part) if tally else None
    return out


def work_counts(score: Any) -> list[int]:
    """One work's counts, in :data:`COLUMNS` order, from a :class:`~.crossval.Score`
    that holds that work alone."""
    false = list(score.grave_false.values())
    unwarned = list(score.grave_unwarned.values())
    row = [score.rated, score.exact, score.within_one, *false, *unwarned]
    row += [score.category_works, score.category_exact]
    for name in _TALLIES:
        tally = score.tallies.get(name)
        row += [tally.tp, tally.fp, tally.fn] if tally else [0, 0, 0]
    return row


def _ratio(a: np.ndarray, b: np.ndarray, empty: float | None) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(b > 0, a / np.where(b > 0, b, 1), np.nan if empty is None else empty)


def figures_of(sums: np.ndarray) -> dict[str, np.ndarray]:
    """The headline figures from summed counts (the last axis in :data:`COLUMNS` order;
    any leading axes are kept): ``nan`` where a figure is undefined."""
    c = {name: sums[..., i] for i, name in enumerate(COLUMNS)}
    out = {
        "rating_exact": _ratio(c["exact"], c["rated"], None),
        "rating_within_one": _ratio(c["within_one"], c["rated"], None),
        "false_grave_rate": _ratio(
            np.maximum(c["grave_false_0"], c["grave_false_1"]),
            np.maximum(c["grave_unwarned_0"], c["grave_unwarned_1"]),
            None,
        ),
        "category_exact": _ratio(c["category_exact"], c["category_works"], None),
    }
    for name in _TALLIES:
        tp, fp, fn = c[f"{name}:tp"], c[f"{name}:fp"], c[f"{name}:fn"]
        key = name.replace(" ", "_")
        out[f"{key}_precision"] = _ratio(tp, tp + fp, 1.0)
        out[f"{key}_recall"] = _ratio(tp, tp + fn, 1.0)
    return {name: out[name] for name in HEADLINE}


def bootstrap_intervals(
    rows: Sequence[Sequence[int]],
    *,
    resamples: int = RESAMPLES,
    seed: int = BOOTSTRAP_SEED,
    level: float = 0.95,
) -> dict[str, Any]:
    """95% percentile-bootstrap intervals of the headline figures over works.

    ``rows`` are per-work counts (:func:`work_counts`) of pooled out-of-fold
    predictions. Each of ``resamples`` resamples draws as many works as there are, with
    replacement (NumPy's ``default_rng(seed)``, a multinomial count of each work), and
    recomputes every figure from the summed counts; the interval is the 2.5th and
    97.5th percentiles of those figures (resamples where a figure is undefined, such as
    no work with categories drawn, are left out). Returns ``{"method", "level",
    "resamples", "seed", "works", "figures": {name: {"value", "low", "high"}}}``.
    """
    counts = np.asarray(rows, dtype=np.float64)
    n = counts.shape[0]
    rng = np.random.default_rng(seed)
    weights = rng.multinomial(n, np.full(n, 1.0 / n), size=resamples)
    drawn = figures_of(weights @ counts)
    point = figures_of(counts.sum(axis=0))
    tail = (1 - level) / 2 * 100
    figures: dict[str, Any] = {}
    for name in HEADLINE:
        value = float(point[name])
        sample = drawn[name][~np.isnan(drawn[name])]
        if np.isnan(value) or not sample.size:
            figures[name] = {"value": None, "low": None, "high": None}
            continue
        low, high = np.percentile(sample, [tail, 100 - tail])
        figures[name] = {
            "value": round(value, 3),
            "low": round(float(low), 3),
            "high": round(float(high), 3),
        }
    return {
        "method": "percentile bootstrap over works (NumPy default_rng, multinomial resampling)",
        "level": level,
        "resamples": resamples,
        "seed": seed,
        "works": n,
        "figures": figures,
    }


def aggregate(
    results: Sequence[dict[str, Any]],
    *,
    folds: int,
    seeds: Sequence[int],
    targets: dict[str, tuple[float, str]],
) -> dict[str, Any]:
    """Mean, standard deviation (sample, n − 1), minimum and maximum of each headline
    figure over repeated cross-validations (``results``, one per split seed), with the
    per-repeat values; and for each figure with a target of issue 16, the mean against
    the target and in how many repeats it is met. Figures undefined in a repeat are
    left out of that figure's statistics. ``targets`` maps a figure to ``(target,
    ">=" or "<=")`` (:data:`~.crossval.TARGETS`)."""
    out: dict[str, Any] = {"repeats": len(results), "folds": folds, "seeds": list(seeds)}
    per_repeat = [headline(r) for r in results]
    for name in HEADLINE:
        values = [v[name] for v in per_repeat]
        known = [v for v in values if v is not None]
        out[name] = {
            "mean": round(statistics.fmean(known), 4) if known else None,
            "std": round(statistics.stdev(known), 4) if len(known) > 1 else None,
            "min": min(known) if known else None,
            "max": max(known) if known else None,
            "values": values,
        }
    reached = {}
    for name, (target, op) in targets.items():
        if name not in out:
            continue
        values = [v for v in out[name]["values"] if v is not None]

        def met(value: float | None, target: float = target, op: str = op) -> bool:
            return value is not None and (value >= target if op == ">=" else value <= target)

        reached[name] = {
            "target": f"{op} {target}",
            "mean": out[name]["mean"],
            "met_on_mean": met(out[name]["mean"]),
            "met_in_repeats": sum(met(v) for v in values),
        }
    out["targets"] = reached
    return out
