"""Scoring of held-out works for the cross-validated figures (``bench suggest``).

:class:`Score` holds the running totals; :func:`score_work` adds one work's suggestions
against its author's tags; :func:`_result` turns totals into the report's figures.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ficarchive.tags.vocabulary import RATING_ORDER, ArchiveWarning, Rating

from .evaluation import Tally, name_to_tag, relationships_by_name
from .labelled import LabelledWork
from .learning import Labels
from .lexicon import CharacterLexicon, parse_relationship
from .suggestions import Suggestions

if TYPE_CHECKING:
    from .crossval import Prepared

ORDER = [r.value for r in RATING_ORDER]
REAL_WARNINGS = [
    ArchiveWarning.VIOLENCE.value,
    ArchiveWarning.MAJOR_CHARACTER_DEATH.value,
    ArchiveWarning.NON_CON.value,
    ArchiveWarning.UNDERAGE.value,
]
GRAVE = (ArchiveWarning.NON_CON.value, ArchiveWarning.UNDERAGE.value)
EXPLICIT = Rating.EXPLICIT.value


def labels_of(work: LabelledWork) -> Labels:
    """What a model may learn from a labelled work (warnings unknown when the author
    chose not to use them and named none)."""
    real = [w for w in work.warnings if w in REAL_WARNINGS]
    chose_not = ArchiveWarning.CHOSE_NOT_TO_WARN.value in work.warnings
    return Labels(
        rating=work.rating,
        warnings=None if chose_not and not real else real,
        categories=work.categories,
    )


@dataclass
class Score:
    """Running totals of the cross-validated figures."""

    tallies: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    confusion: dict[str, dict[str, int]] = field(
        default_factory=lambda: {g: dict.fromkeys(ORDER, 0) for g in ORDER}
    )
    rated: int = 0
    exact: int = 0
    within_one: int = 0
    rules_exact: int = 0
    rules_within_one: int = 0
    category_works: int = 0
    category_exact: int = 0
    grave_false: dict[str, int] = field(default_factory=lambda: dict.fromkeys(GRAVE, 0))
    grave_unwarned: dict[str, int] = field(default_factory=lambda: dict.fromkeys(GRAVE, 0))
    not_english: list[dict[str, Any]] = field(default_factory=list)


def _rating_step(score: Score, gold: str, got: str, rule: str) -> None:
    score.confusion[gold][got] += 1
    if gold == Rating.NOT_RATED.value:
        return
    score.rated += 1
    score.exact += got == gold
    score.within_one += got in ORDER and abs(ORDER.index(got) - ORDER.index(gold)) <= 1
    score.rules_exact += rule == gold
    score.rules_within_one += abs(ORDER.index(rule) - ORDER.index(gold)) <= 1
    score.tallies["explicit"].add(
        [got == EXPLICIT] if got == EXPLICIT else [], [True] if gold == EXPLICIT else []
    )


def score_work(score: Score, item: Prepared, got: Suggestions, lexicon: CharacterLexicon) -> None:
    """Add one held-out work's proposals to the totals."""
    work = item.work
    rating = got.rating[0].name if got.rating else Rating.NOT_RATED.value
    _rating_step(score, work.rating, rating, item.rule_rating)
    proposed = {w.name for w in got.warnings}
    known = labels_of(work).warnings
    for name in REAL_WARNINGS:
        if known is not None:
            score.tallies[f"warning: {name}"].add(
                [name] if name in proposed else [], [name] if name in known else []
            )
    for name in GRAVE:
        if name not in work.warnings:
            score.grave_unwarned[name] += 1
            score.grave_false[name] += name in proposed
    if work.categories:
        score.category_works += 1
        score.category_exact += {c.name for c in got.categories} == set(work.categories)
    # Names proposed as new tags are scored apart: the archive had no tag to match.
    score.tallies["characters"].add(
        [c.name for c in got.characters if not c.details.get("new")], work.characters
    )
    score.tallies["new characters"].add(
        [c.name for c in got.characters if c.details.get("new")], work.characters
    )
    pred = [
        ("/" if s.details.get("romantic") else " & ", frozenset(s.details.get("characters", ())))
        for s in got.relationships
    ]
    gold = [parse_relationship(r, lexicon) or r for r in work.relationships]
    score.tallies["relationships"].add(pred, gold)
    # Names proposed as new tags standing for the author's tag of the same words.
    score.tallies["characters by name"].add(
        {name_to_tag(c.name, work.characters) for c in got.characters}, work.characters
    )
    score.tallies["relationships by name"].add(
        *relationships_by_name(
            [
                ("/" if s.details.get("romantic") else " & ", s.details.get("characters", ()))
                for s in got.relationships
            ],
            work.relationships,
        )
    )
    if got.notes:
        score.not_english.append(
            {"id": work.id, "language": work.language, "rating": [work.rating, rating]}
        )


def _result(score: Score, works: Sequence[LabelledWork], folds: int) -> dict[str, Any]:
    tallies = {k: v.as_dict() for k, v in sorted(score.tallies.items())}
    explicit = tallies.get("explicit", {})
    unwarned = sum(score.grave_unwarned.values())
    return {
        "works": len(works),
        "folds": folds,
        "rating_works": score.rated,
        "rating_exact": _ratio(score.exact, score.rated),
        "rating_within_one": _ratio(score.within_one, score.rated),
        "rules_rating_exact": _ratio(score.rules_exact, score.rated),
        "rules_rating_within_one": _ratio(score.rules_within_one, score.rated),
        "rating_confusion": score.confusion,
        "explicit_recall": explicit.get("recall"),
        "explicit_precision": explicit.get("precision"),
        "warnings": {
            k.split(": ", 1)[1]: v for k, v in tallies.items() if k.startswith("warning: ")
        },
        "false_grave": {
            name: {
                "suggested": score.grave_false[name],
                "unwarned_works": score.grave_unwarned[name],
            }
            for name in GRAVE
        },
        "false_grave_rate": _ratio(
            max(score.grave_false.values()), max(score.grave_unwarned.values())
        )
        if unwarned
        else None,
        "category_works": score.category_works,
        "category_exact": _ratio(score.category_exact, score.category_works),
        "characters": tallies.get("characters"),
        "new_characters": tallies.get("new characters"),
        "relationships": tallies.get("relationships"),
        "characters_by_name": tallies.get("characters by name"),
        "relationships_by_name": tallies.get("relationships by name"),
        "not_english": score.not_english,
    }


def _ratio(a: int, b: int) -> float | None:
    return round(a / b, 3) if b else None
