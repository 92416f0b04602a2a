"""The learned model and the rules together: the model answers what it has learned, the
rules the rest, and the caution rules have the last word.

* Rating: the model's decision first (:func:`~.learning.choose_rating`), then its other
  ratings by probability (those under :data:`SHOWN` left out); the rules' passages stay
  on a rating they agree with.
* Warnings: a learned warning is proposed at probability ≥ 0.5; an unlearned one as the
  rules say. Rape/Non-Con and Underage Sex are proposed only with passages behind them
  (at least :data:`GRAVE_PASSAGES`) and the rules' threshold reached; a learned
  model can veto them but never add them alone (:func:`cautious_warnings`).
* Categories: the learned categories when there are any, else the rules' (relationships
  found and the characters' genders).
* Languages: the cue rules read English. A text that is not (:func:`reads_as_english`)
  gets rating and warnings from a learned model only, marked so; without a model it gets
  none, and a note says the language is not supported.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ficarchive.tags.vocabulary import ArchiveWarning, TagKind

from .learning import SuggestModel
from .suggestions import Suggestion

if TYPE_CHECKING:
    from scipy import sparse

SHOWN = 0.15  # a learned rating less likely than this is not listed
GRAVE = {ArchiveWarning.NON_CON.value, ArchiveWarning.UNDERAGE.value}
GRAVE_PASSAGES = 2  # passages a grave warning must show
PLACEHOLDER = ArchiveWarning.NONE_APPLY.value
UNSUPPORTED = (
    "The text does not read as English; rating and warning rules read English only, and "
    "this archive has no learned model yet, so none are suggested."
)
LEARNED_ONLY = (
    "The text does not read as English: rating and warnings come from the learned model alone."
)

_WORD = re.compile(r"[^\W\d_]+")
_ENGLISH = frozenset(
    "the and of to a in was he she it that i you his her they with for on as had at but not "
    "be is said her him me my we what all so".split()
)


def reads_as_english(text: str, sample: int = 1000) -> bool:
    """Whether the text reads as English: at least 20% of its first ``sample`` words
    are common English function words (English prose runs near 40%; French, German or
    Chinese, near none). A text too short to tell counts as English."""
    words = [w.lower() for w in _WORD.findall(text[: sample * 8])][:sample]
    latin = [w for w in words if w.isascii()]
    if len(words) < 20:
        return True
    if len(latin) < 0.5 * len(words):
        return False
    return sum(1 for w in latin if w in _ENGLISH) >= 0.2 * len(latin)


def learned_rating(
    model: SuggestModel, row: sparse.csr_matrix, rules: Sequence[Suggestion]
) -> list[Suggestion]:
    """The model's ratings, best first, each with its probability as the score; the rules'
    proposal (its passages and reasons) is kept on the rating it names. Best first means
    the model's decision (:meth:`~.learning.SuggestModel.rating_choice`: the rating at the
    median of the probabilities in AO3's order, or Explicit when most probable), which
    is not always the most probable; the others follow, most probable first."""
    proba = model.rating_probabilities(row)
    if not proba:
        return list(rules)
    by_name = {s.name: s for s in rules}
    # The first is the model's ordinal decision (learning.choose_rating), the others
    # follow by probability.
    first = model.rating_choice(proba)
    ranked = sorted(proba.items(), key=lambda kv: (kv[0] != first, -kv[1]))
    out = []
    for i, (name, p) in enumerate(ranked):
        if i and p < SHOWN:
            continue
        rule = by_name.get(name)
        out.append(
            Suggestion(
                name=name,
                kind=TagKind.RATING.value,
                score=p,
                evidence=list(rule.evidence) if rule else [],
                details={**(rule.details if rule else {}), "source": "model", "works": model.works},
            )
        )
    return out


def learned_warnings(
    model: SuggestModel, row: sparse.csr_matrix, rules: Sequence[Suggestion]
) -> list[Suggestion]:
    """Warnings from the model where it learned them, from the rules elsewhere."""
    proba = model.warning_probabilities(row)
    by_name = {s.name: s for s in rules}
    out: list[Suggestion] = []
    for name, kept in by_name.items():
        if name != PLACEHOLDER and name not in proba:
            out.append(kept)
    for name, p in proba.items():
        rule = by_name.get(name)
        if name in GRAVE:
            # The model may veto a grave warning, never propose one on its own.
            if rule is not None and p >= 0.5:
                rule.details["model_probability"] = round(p, 3)
            elif rule is not None:
                out = [s for s in out if s.name != name]
            continue
        if p >= 0.5:
            out.append(
                Suggestion(
                    name=name,
                    kind=TagKind.WARNING.value,
                    score=p,
                    evidence=list(rule.evidence) if rule else [],
                    details={"source": "model", "works": model.works},
                )
            )
    return with_placeholder(out, proba)


def with_placeholder(warnings: list[Suggestion], proba: dict[str, float]) -> list[Suggestion]:
    """The warnings best first, or "No Archive Warnings Apply" when there are none, its
    confidence the chance that no learned warning applies."""
    real = [w for w in warnings if w.name != PLACEHOLDER]
    if real:
        return sorted(real, key=lambda s: -s.score)
    none_apply = 1.0
    for p in proba.values():
        none_apply *= 1.0 - p
    return [
        Suggestion(
            name=PLACEHOLDER,
            kind=TagKind.WARNING.value,
            score=max(0.1, min(0.95, none_apply)),
            details={"reason": "no warning is likely"},
        )
    ]


def cautious_warnings(warnings: list[Suggestion]) -> list[Suggestion]:
    """Drop a Rape/Non-Con or Underage Sex proposal with fewer than :data:`GRAVE_PASSAGES`
    passages to show: a wrong one hurts an author more than a missed one, and the
    author decides either way."""
    kept = [w for w in warnings if w.name not in GRAVE or len(w.evidence) >= GRAVE_PASSAGES]
    return with_placeholder(kept, {}) if not kept else kept


def learned_categories(
    model: SuggestModel, row: sparse.csr_matrix, rules: Sequence[Suggestion]
) -> list[Suggestion]:
    """Categories at probability ≥ 0.5 from the model when it learned categories, best
    first; the rules' otherwise."""
    proba = model.category_probabilities(row)
    if not proba:
        return list(rules)
    chosen = sorted(((p, c) for c, p in proba.items() if p >= 0.5), reverse=True)
    if not chosen:
        chosen = [max((p, c) for c, p in proba.items())]
    return [
        Suggestion(name=c, kind=TagKind.CATEGORY.value, score=p, details={"source": "model"})
        for p, c in chosen
    ]
