"""Tag suggestions for a work, from its own text.

``suggest_for_text`` is pure (no database): the import command, the posting page and
the evaluation call it. ``suggest_for_work`` reads a saved work and the archive's tags.
Nothing here applies a tag; the author confirms or drops each suggestion.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, cast

from .combine import (
    LEARNED_ONLY,
    UNSUPPORTED,
    cautious_warnings,
    learned_categories,
    learned_rating,
    learned_warnings,
    reads_as_english,
)
from .detectors import (
    CharacterFindings,
    ContentProfile,
    ScoredHit,
    content_profile,
    detect_characters,
    detect_content_tags,
    detect_fandoms,
    detect_rating,
    detect_relationships,
    detect_warnings,
    scored_hits,
    work_categories,
)
from .detectors.new_names import (
    NAMES_UNSUPPORTED,
    detect_new_characters,
    latin_script,
    with_new_names,
)
from .fastmodel import compiled
from .learning import MIN_WORKS, SuggestModel, cue_vector, features, model_load
from .lexicon import CharacterLexicon, build_lexicon, form_key
from .suggestions import Evidence, Suggestion, Suggestions
from .text import Chapter, plain_text_of

if TYPE_CHECKING:
    from ficarchive.works.models import Work

__all__ = [
    "Evidence",
    "Suggestion",
    "Suggestions",
    "analyse_chapters",
    "plain_text_of",
    "suggest_for_text",
    "suggest_for_work",
]

_EMPTY = build_lexicon([])


def analyse_chapters(chapters: Sequence[tuple[str, str]] | Sequence[str]) -> list[Chapter]:
    """Plain text and segmentation of each chapter (``(title, body)`` pairs or bodies)."""
    out = []
    for number, item in enumerate(chapters, start=1):
        body = item[1] if isinstance(item, tuple) else item
        out.append(Chapter.from_text(number, plain_text_of(str(body or ""))))
    return out


def suggest_for_text(
    chapters: Sequence[tuple[str, str]] | Sequence[str],
    lexicon: CharacterLexicon | None = None,
    *,
    fandoms: Iterable[str] = (),
    model: SuggestModel | None = None,
) -> Suggestions:
    """Propose rating, warnings, categories, fandoms, relationships, characters and tags.

    ``chapters`` are chapter bodies (sanitized HTML or plain text) in reading order,
    or ``(title, body)`` pairs; titles are not analysed. Evidence offsets point into
    ``plain_text_of(body)`` of chapter ``evidence.chapter`` (1-based). ``lexicon`` holds
    the archive's character tags (none: only names the text itself makes likely are
    proposed, as new tags); ``fandoms`` are fandom tags the work already has, which settle
    clashing character names in their favour. ``model`` is a learned model
    (:mod:`.learning`); without one, or below its :data:`~.learning.MIN_WORKS`, the rules
    answer alone (:mod:`.combine` says how the two are joined).
    """
    return suggest_analysed(analyse_chapters(chapters), lexicon, fandoms=fandoms, model=model)


def suggest_analysed(
    analysed: list[Chapter],
    lexicon: CharacterLexicon | None = None,
    *,
    fandoms: Iterable[str] = (),
    model: SuggestModel | None = None,
    analysis: tuple[list[ScoredHit], ContentProfile] | None = None,
    row: Any = None,
) -> Suggestions:
    """:func:`suggest_for_text` on chapters already analysed (``analysis``: their cue
    hits and content profile, and ``row``: their model features from
    :func:`~.learning.features`, when the caller has them, as the cross-validation
    does; each is computed here otherwise)."""
    lexicon = lexicon if lexicon is not None else _EMPTY
    hits, profile = analysis or _analysis(analysed)
    findings = detect_characters(analysed, lexicon, fandom_hints=fandoms)
    # Names the archive has no tag for join the characters, for relationships too.
    findings = with_new_names(analysed, findings, _new_characters(analysed, lexicon, findings))
    relationships = detect_relationships(analysed, findings, hits, lexicon)
    rating = detect_rating(analysed, profile)
    warnings = detect_warnings(analysed, profile, findings)
    categories = work_categories(analysed, findings, relationships, hits, lexicon)
    notes: list[str] = []
    english = reads_as_english(" ".join(ch.text[:20000] for ch in analysed[:3]))
    if model is not None and model.works >= MIN_WORKS:
        if row is None:
            row = features(
                ["\n\n".join(ch.text for ch in analysed)], [cue_vector(profile, rating[0].name)]
            )
        # The compiled form gives the model's own probabilities at a fraction of the CPU.
        fast = cast("SuggestModel", compiled(model))
        rating = learned_rating(fast, row, rating)
        warnings = learned_warnings(fast, row, warnings)
        categories = learned_categories(fast, row, categories)
        if not english:
            notes.append(LEARNED_ONLY)
    elif not english:
        rating, warnings = [], []
        notes.append(UNSUPPORTED)
    if not english and not latin_script(analysed):
        notes.append(NAMES_UNSUPPORTED)
    warnings = cautious_warnings(warnings) if warnings else warnings
    return Suggestions(
        rating=rating,
        warnings=warnings,
        categories=categories,
        fandoms=detect_fandoms(findings, lexicon),
        relationships=relationships,
        characters=findings.suggestions,
        tags=detect_content_tags(analysed, profile, warnings, rating),
        words=profile.words,
        notes=notes,
    )


def _new_characters(
    analysed: list[Chapter], lexicon: CharacterLexicon, findings: CharacterFindings
) -> list[Suggestion]:
    """Names the text uses that the archive has no character tag for, as new tags."""
    found = {s.name.casefold() for s in findings.suggestions}

    def known(name: str) -> bool:
        key = form_key(name)
        return bool(lexicon.lookup(key)) or name.casefold() in found

    return detect_new_characters(analysed, known)


def _analysis(analysed: list[Chapter]) -> tuple[list[ScoredHit], ContentProfile]:
    hits = scored_hits(analysed)
    return hits, content_profile(analysed, hits)


def suggest_for_work(work: Work) -> Suggestions:
    """Suggestions for a saved work: its chapters by position, the archive's lexicon, and
    its fandom tags as hints for clashing names, and the archive's learned model when
    it has one (``FICARCHIVE_HOME/suggest/model.joblib``)."""
    from .lexicon import lexicon_from_database

    chapters = [(c.title or "", c.body or "") for c in work.chapters.order_by("position")]
    fandoms: list[str] = []
    tags = getattr(work, "tags", None)
    if tags is not None:
        fandoms = list(tags.filter(kind="fandom").values_list("name", flat=True))
    return suggest_for_text(chapters, lexicon_from_database(), fandoms=fandoms, model=model_load())


def time_per_10k_words(
    texts: Sequence[Sequence[str]], lexicon: CharacterLexicon | None = None, repeat: int = 3
) -> dict[str, Any]:
    """Measure suggestion speed: best-of-``repeat`` milliseconds per 10,000 words."""
    words = 0
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        total = 0
        for chapters in texts:
            total += suggest_for_text(list(chapters), lexicon).words
        best = min(best, time.perf_counter() - started)
        words = total
    return {
        "words": words,
        "seconds": round(best, 4),
        "ms_per_10k_words": round(best * 1000 * 10000 / max(words, 1), 2),
    }
