"""Training the archive's suggestion model: from its own works, or from a labelled folder.

The archive's own works teach only what any guest can already read: posted works that
are neither restricted to users nor hidden by an admin (``access.listed_q`` for a guest),
and of those only the posted chapters. Drafts, restricted and hidden works never reach
the model, so no suggestion can reveal their labels.

The worker calls :func:`model_retrain_if_due` (see its docstring for when it retrains).
"""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

from ficarchive.tags.vocabulary import ArchiveWarning, TagKind

from .crossval import labels_of, prepare
from .detectors import content_profile, detect_rating, scored_hits
from .engine import analyse_chapters
from .labelled import read_labelled
from .learning import (
    MIN_WORKS,
    TRAINING_SAMPLE_WORDS,
    Labels,
    cue_vector,
    features,
    model_load,
    model_save,
    train_model,
    training_sample,
)

RETRAIN_MIN_NEW = 25  # new public works before the model is retrained …
RETRAIN_SHARE = 0.10  # … or this share of the works it was trained on, whichever is more
BATCH = 200  # works read from the database at a time


def _archive_works() -> Any:
    from ficarchive.works.models import Work

    return Work.objects.listed_for(None)


def archive_training_set() -> tuple[list[str], list[Any], list[Labels]]:
    """Texts, cue rows and labels of the archive's public posted works (what a guest may
    list), posted chapters only, in id order. Works rated Not Rated still teach warnings
    and categories."""
    from django.db.models import Prefetch

    from ficarchive.works.models import Chapter

    texts: list[str] = []
    cues: list[Any] = []
    labels: list[Labels] = []
    works = (
        _archive_works()
        .order_by("pk")
        .prefetch_related(
            Prefetch("chapters", queryset=Chapter.objects.filter(posted=True).order_by("position")),
            "taggings__tag",
        )
    )
    for work in works.iterator(chunk_size=BATCH):
        bodies, words = _sampled_bodies([c.body or "" for c in work.chapters.all()])
        chapters = analyse_chapters(bodies)
        hits = scored_hits(chapters)
        profile = content_profile(chapters, hits)
        texts.append("\n\n".join(ch.text for ch in chapters))
        cues.append(cue_vector(profile, detect_rating(chapters, profile)[0].name, words))
        warnings = [t.name for t in work.tags_of_kind(TagKind.WARNING)]
        real = [w for w in warnings if w not in _PLACEHOLDERS]
        categories = [t.name for t in work.tags_of_kind(TagKind.CATEGORY)]
        labels.append(
            Labels(
                rating=work.rating,
                warnings=None
                if ArchiveWarning.CHOSE_NOT_TO_WARN.value in warnings and not real
                else real,
                categories=categories or None,
            )
        )
    return texts, cues, labels


_TAG = re.compile(r"<[^>]*>")


def _sampled_bodies(bodies: list[str]) -> tuple[list[str], int | None]:
    """A work's chapter bodies as training reads them: when the work runs past
    :data:`~.learning.TRAINING_SAMPLE_WORDS` words, each chapter cut to its share of
    that budget by :func:`~.learning.training_sample`. Returns the bodies and, when they
    were cut, the whole work's length in words (markup left out), else ``None`` (the
    analysis counts the words read, which are all of them)."""
    lengths = [len(_TAG.sub(" ", b).split()) for b in bodies]
    total = sum(lengths)
    if total <= TRAINING_SAMPLE_WORDS:
        return bodies, None
    return [
        training_sample(b, max(TRAINING_SAMPLE_WORDS * n // total, 50))[0]
        for b, n in zip(bodies, lengths, strict=True)
    ], total


_PLACEHOLDERS = {ArchiveWarning.CHOSE_NOT_TO_WARN.value, ArchiveWarning.NONE_APPLY.value}


def _finish(model: Any, source: str, started: float, path: Path | None) -> dict[str, Any]:
    model.source = source
    model.seconds = time.process_time() - started
    saved = model_save(model, path)
    return {"trained": True, "source": source, "path": str(saved), **model.summary()}


def model_train_from_archive(path: Path | None = None) -> dict[str, Any]:
    """Train on the archive's public posted works and save the model (FICARCHIVE_HOME, or
    ``path``). With fewer than :data:`~.learning.MIN_WORKS` such works nothing is saved
    and the rules go on answering: ``{"trained": False, "works": N, "reason": ...}``.
    Otherwise ``{"trained": True, "source": "archive", "path", "works", "ratings",
    "warnings", "categories", "seconds" (CPU, features and fit), ...}``."""
    started = time.process_time()
    texts, cues, labels = archive_training_set()
    if len(texts) < MIN_WORKS:
        return {
            "trained": False,
            "source": "archive",
            "works": len(texts),
            "reason": f"{len(texts)} public posted works; at least {MIN_WORKS} are needed, "
            "the rules answer until then",
        }
    model = train_model(features(texts, cues), labels)
    return _finish(model, "archive", started, path)


def model_train_from_labelled(folder: Path | str, path: Path | None = None) -> dict[str, Any]:
    """Train on a labelled folder (``labels.jsonl`` + ``text/``, the shared set's layout)
    and save the model, as an archive moving from elsewhere would seed it. Raises
    :class:`~.labelled.LabelledError` for an unreadable folder and ``ValueError`` when it
    holds fewer than :data:`~.learning.MIN_WORKS` works."""
    started = time.process_time()
    works = read_labelled(folder)
    if len(works) < MIN_WORKS:
        raise ValueError(f"{len(works)} labelled works; at least {MIN_WORKS} are needed.")
    # Each long work is read from a bounded sample (training only; see `training_sample`).
    prepared, x, _ = prepare(works, sample_words=TRAINING_SAMPLE_WORDS)
    model = train_model(x, [labels_of(p.work) for p in prepared])
    return _finish(model, "labelled", started, path)


def model_retrain_if_due(path: Path | None = None) -> dict[str, Any] | None:
    """Retrain on the archive's works when it is due; the worker calls this from time to
    time (cheap when nothing is due: one count query and a file stat).

    Due when the archive has at least :data:`~.learning.MIN_WORKS` public posted works
    and: there is no model; or the model was trained on the archive and the count has
    moved by :data:`RETRAIN_MIN_NEW` works or :data:`RETRAIN_SHARE` of the count it was
    trained on, whichever is more; or the model was seeded from a labelled folder and the
    archive now holds as many works as the seed. Returns what
    :func:`model_train_from_archive` returns, or ``None`` when not due."""
    count = _archive_works().count()
    if count < MIN_WORKS:
        return None
    model = model_load(path)
    if model is not None:
        if getattr(model, "source", "") == "labelled":
            if count < model.works:
                return None
        elif abs(count - model.works) < max(RETRAIN_MIN_NEW, RETRAIN_SHARE * model.works):
            return None
    return model_train_from_archive(path)
