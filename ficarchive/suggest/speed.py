"""CPU cost of suggesting tags, as issue 16's target states it: CPU per 10,000 words.

What is measured is one whole :func:`~.engine.suggest_for_text` call per work, from the
stored text to the suggestions (plain text, segmentation, every detector, the learned
model's features and probabilities), with the lexicon and model built beforehand (an
archive builds them once, not per work). The clock is the process's CPU time
(``time.process_time``: user and system time of this process), not wall-clock time,
so a loaded machine changes the figure little. The load average is reported beside it.
"""

from __future__ import annotations

import os
import random
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .engine import suggest_for_text
from .learning import SuggestModel
from .lexicon import CharacterLexicon

LONG_WORK_WORDS = 100_000
CHAPTER_WORDS = 5_000
PARAGRAPH_WORDS = 90


def cpu_per_10k_words(
    works: Sequence[Sequence[str]],
    lexicon: CharacterLexicon | None = None,
    model: SuggestModel | None = None,
    fandoms: Sequence[Sequence[str]] | None = None,
) -> dict[str, Any]:
    """Suggest for each work (a list of chapter texts) once; returns ``works``,
    ``words`` (as the engine counts them), ``cpu_seconds`` and ``ms_cpu_per_10k_words``
    (CPU milliseconds per 10,000 words, all works together)."""
    words = 0
    started = time.process_time()
    for i, chapters in enumerate(works):
        hints = fandoms[i] if fandoms is not None else ()
        words += suggest_for_text(list(chapters), lexicon, fandoms=hints, model=model).words
    spent = time.process_time() - started
    return {
        "works": len(works),
        "words": words,
        "cpu_seconds": round(spent, 3),
        "ms_cpu_per_10k_words": round(spent * 1000 * 10000 / max(words, 1), 2),
    }


def generated_long_work(
    corpus: Path | None, words: int = LONG_WORK_WORDS, seed: int = 16
) -> list[str]:
    """A long work of ``words`` words made as ``bench generate`` makes bodies: a run of
    the corpus's prose (``bench generate``'s corpus folder; generated words without
    one), here cut into paragraphs of :data:`PARAGRAPH_WORDS` words and chapters of
    :data:`CHAPTER_WORDS`. Returns the chapter texts."""
    from ficarchive.discovery.bench.generate import load_corpus

    pool = load_corpus(corpus, limit_words=max(words * 2, 200_000))
    rng = random.Random(seed)
    start = rng.randrange(0, max(1, len(pool) - words))
    run = (pool * (1 + words // max(len(pool), 1)))[start : start + words]
    chapters = []
    for c in range(0, len(run), CHAPTER_WORDS):
        part = run[c : c + CHAPTER_WORDS]
        paragraphs = [
            " ".join(part[p : p + PARAGRAPH_WORDS]) for p in range(0, len(part), PARAGRAPH_WORDS)
        ]
        chapters.append("\n\n".join(paragraphs))
    return chapters


def load_average() -> list[float] | None:
    """The 1, 5 and 15 minute load averages (``None`` where the system has none)."""
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return None


def suggest_cpu(
    folder: Path | str, corpus: Path | None = None, long_words: int = LONG_WORK_WORDS
) -> dict[str, Any]:
    """``bench suggest``'s CPU figures: every work of the labelled ``folder`` suggested
    once with a model trained on all of them and their tags as the lexicon (the
    accuracy figures come from the cross-validation; this is the cost alone), and one
    long generated work (:func:`generated_long_work`) with the same model and lexicon.

    Raises :class:`~.labelled.LabelledError` for an unreadable folder.
    """
    from .crossval import fold_lexicon, labels_of, prepare
    from .labelled import read_labelled
    from .learning import train_model

    works = read_labelled(folder)
    _, x, _ = prepare(works)
    model = train_model(x, [labels_of(w) for w in works])
    lexicon = fold_lexicon(works)
    before = load_average()
    labelled = cpu_per_10k_words(
        [[w.text] for w in works], lexicon, model, [w.fandoms for w in works]
    )
    long_work = cpu_per_10k_words([generated_long_work(corpus, long_words)], lexicon, model)
    return {
        "what": "CPU (process time) of one whole suggestion per work, per 10,000 words",
        "labelled": labelled,
        "long_work": long_work,
        "ms_cpu_per_10k_words": labelled["ms_cpu_per_10k_words"],
        "target_ms": 50.0,
        "met": max(labelled["ms_cpu_per_10k_words"], long_work["ms_cpu_per_10k_words"]) <= 50.0,
        "load_average": {"before": before, "after": load_average()},
    }
