"""A human-readable report of :func:`ficarchive.suggest.crossval.cross_validate`."""

from __future__ import annotations

from typing import Any

from ficarchive.tags.vocabulary import RATING_ORDER

SHORT = {
    "General Audiences": "G",
    "Teen And Up Audiences": "T",
    "Mature": "M",
    "Explicit": "E",
    "Not Rated": "NR",
}


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{100 * value:.1f}%"


def _pr(name: str, tally: dict[str, Any] | None) -> str:
    if not tally:
        return f"{name:<34} n/a"
    return (
        f"{name:<34}{tally['precision']:>10.3f}{tally['recall']:>8.3f}"
        f"{tally['tp']:>5}{tally['fp']:>5}{tally['fn']:>5}"
    )


def format_cv_report(result: dict[str, Any]) -> str:
    """The figures as text: rating, confusion, warnings, categories, characters and
    relationships, grave-warning false alarms, speed, training and the learning curve."""
    out = [
        f"Tag suggestions, {result['folds']}-fold cross-validation on {result['works']} labelled works "
        f"(model: {', '.join(result['model']['ratings']) or 'rules only'})",
        "",
        f"rating ({result['rating_works']} works, Not Rated left out): exact {_pct(result['rating_exact'])}, "
        f"within one {_pct(result['rating_within_one'])}; rules alone: exact "
        f"{_pct(result['rules_rating_exact'])}, within one {_pct(result['rules_rating_within_one'])}",
        f"Explicit: recall {_pct(result['explicit_recall'])}, precision {_pct(result['explicit_precision'])}",
        "confusion (rows: author's rating, columns: proposed)",
    ]
    labels = [r.value for r in RATING_ORDER]
    out.append("      " + "".join(f"{SHORT[c]:>5}" for c in labels))
    for g in labels:
        out.append(
            f"{SHORT[g]:>5} " + "".join(f"{result['rating_confusion'][g][p]:>5}" for p in labels)
        )
    out += ["", f"{'':<34}{'precision':>10}{'recall':>8}{'tp':>5}{'fp':>5}{'fn':>5}"]
    for name, tally in result["warnings"].items():
        out.append(_pr(f"warning: {name}", tally))
    out.append(_pr("characters", result["characters"]))
    out.append(_pr("characters proposed as new tags", result.get("new_characters")))
    out.append(_pr("relationships", result["relationships"]))
    out.append("")
    for name, v in result["false_grave"].items():
        out.append(
            f"{name} proposed on {v['suggested']} of {v['unwarned_works']} works not warned for it"
        )
    out.append(
        f"category exact: {_pct(result['category_exact'])} ({result['category_works']} works with categories)"
    )
    s, t = result["speed"], result["training"]
    out.append(f"speed: {s['ms_cpu_per_10k_words']} ms CPU per 10,000 words ({s['words']} words)")
    out.append(
        f"training: {t['cpu_seconds']} s CPU on {t['works']} works ({t['words']} words); "
        f"10,000 works of 2,000 words ≈ {t['seconds_10k_works_at_2000_words']} s; "
        f"10,000 like these, reading the training sample ≈ "
        f"{t['seconds_10k_works_like_these_sampled']} s"
    )
    out += ["", "learning curve (rating, held-out folds)"]
    for row in result["learning_curve"]:
        out.append(
            f"  {row['train_works']:>4} works ({row['folds']} folds): exact {_pct(row['rating_exact'])}, "
            f"within one {_pct(row['rating_within_one'])}, Explicit recall {_pct(row['explicit_recall'])} "
            f"precision {_pct(row['explicit_precision'])}"
        )
    held = result.get("held_out")
    if held:
        out += [
            "",
            f"held-out part ({len(held['ids'])} works by a hash of their ids, never tuned on; "
            f"model trained on the other {held['train_works']}): rating exact "
            f"{_pct(held['rating_exact'])}, within one {_pct(held['rating_within_one'])}, "
            f"Explicit recall {_pct(held['explicit_recall'])} precision "
            f"{_pct(held['explicit_precision'])}, category exact {_pct(held['category_exact'])} "
            f"({held['category_works']} works)",
        ]
    if result["not_english"]:
        out.append(f"not read as English: {len(result['not_english'])} works (model only)")
    out += ["", "targets"]
    for name, v in result["targets"].items():
        out.append(
            f"  {name:<30} {v['value']!s:>8} {v['target']:>10}  {'met' if v['met'] else 'NOT met'}"
        )
    if result.get("repeated"):
        out += ["", *_repeated_lines(result["repeated"], result.get("intervals") or {})]
    return "\n".join(out)


def _repeated_lines(repeated: dict[str, Any], intervals: dict[str, Any]) -> list[str]:
    """The spread of the headline figures over repeated splits, with the first split's
    bootstrap interval over works."""
    boot = intervals.get("figures", {})
    out = [
        f"over {repeated['repeats']} repeats of {repeated['folds']}-fold cross-validation "
        f"(seeds {', '.join(map(str, repeated['seeds']))}): mean ± sd [min, max]; "
        f"{int(100 * intervals.get('level', 0.95))}% bootstrap interval over works of the first",
    ]
    for name, v in repeated.items():
        if not isinstance(v, dict) or "mean" not in v or v["mean"] is None:
            continue
        sd = "" if v["std"] is None else f" ± {v['std']:.3f}"
        b = boot.get(name) or {}
        ci = f"  [{b['low']:.3f}, {b['high']:.3f}]" if b.get("low") is not None else ""
        out.append(f"  {name:<32} {v['mean']:.3f}{sd} [{v['min']:.3f}, {v['max']:.3f}]{ci}")
    for name, t in repeated.get("targets", {}).items():
        out.append(
            f"  target {name:<25} {t['target']:>8}: mean {'met' if t['met_on_mean'] else 'NOT met'}, "
            f"met in {t['met_in_repeats']} of {repeated['repeats']} splits"
        )
    return out
