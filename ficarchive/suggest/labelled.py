"""Labelled folders: works with their authors' own tags, for training and evaluation.

The layout is the shared set's (``../shared/data/labelled``): ``labels.jsonl``, one JSON
object per work, and the texts under the folder at each object's ``text`` path
(``text/NNNN.txt``). Fields used: ``id``, ``text``, ``rating``, ``warnings``,
``categories`` (``null`` when the source did not keep them), ``fandoms``,
``relationships``, ``characters``, ``language`` and ``words``. Nothing read here is ever
written into the repository: texts and labels are read where they lie, at run time.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings

from ficarchive.tags.vocabulary import ArchiveWarning, Category, Rating

RATINGS = {r.value for r in Rating}
WARNINGS = {w.value for w in ArchiveWarning}
CATEGORIES = {c.value for c in Category}


class LabelledError(ValueError):
    """A labelled folder that cannot be read: the message names the file and the fault."""


@dataclass
class LabelledWork:
    """One labelled work: its text (plain, chapters run together) and the author's tags.

    ``categories`` is ``None`` when the source did not keep categories (so a category
    figure leaves the work out); every other list is empty when the author chose none.
    """

    id: str
    text: str
    rating: str
    warnings: list[str] = field(default_factory=list)
    categories: list[str] | None = None
    fandoms: list[str] = field(default_factory=list)
    relationships: list[str] = field(default_factory=list)
    characters: list[str] = field(default_factory=list)
    language: str = ""


def default_labelled_dir() -> Path | None:
    """The shared labelled set beside the repository (``../shared/data/labelled``), or
    ``None`` when it is absent."""
    candidate = Path(settings.BASE_DIR).parent / "shared" / "data" / "labelled"
    return candidate if (candidate / "labels.jsonl").is_file() else None


def _names(row: dict[str, Any], key: str) -> list[str]:
    value = row.get(key)
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise LabelledError(f"work {row.get('id')!r}: {key!r} must be a list of tag names.")
    return [" ".join(v.split()) for v in value if v.strip()]


def _work(folder: Path, row: dict[str, Any], line: int) -> LabelledWork:
    if not isinstance(row, dict) or not row.get("id") or not row.get("text"):
        raise LabelledError(f"labels.jsonl line {line}: needs an 'id' and a 'text' path.")
    rating = row.get("rating") or Rating.NOT_RATED.value
    if rating not in RATINGS:
        raise LabelledError(f"labels.jsonl line {line}: {rating!r} is not an AO3 rating.")
    path = (folder / str(row["text"])).resolve()
    if folder.resolve() not in path.parents:
        raise LabelledError(f"labels.jsonl line {line}: text path leaves the folder.")
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise LabelledError(f"labels.jsonl line {line}: cannot read {row['text']}: {exc}") from exc
    warnings = [w for w in _names(row, "warnings") if w in WARNINGS]
    categories = row.get("categories")
    return LabelledWork(
        id=str(row["id"]),
        text=text,
        rating=rating,
        warnings=warnings,
        categories=None
        if categories is None
        else [c for c in _names(row, "categories") if c in CATEGORIES],
        fandoms=_names(row, "fandoms"),
        relationships=_names(row, "relationships"),
        characters=_names(row, "characters"),
        language=str(row.get("language") or ""),
    )


def read_labelled(folder: Path | str) -> list[LabelledWork]:
    """Every work of a labelled folder, in file order.

    Raises :class:`LabelledError` when the folder has no ``labels.jsonl``, a line is not
    a JSON object with ``id`` and ``text``, a rating is not one of AO3's five, or a text
    is missing or leaves the folder. Unknown warnings and categories are dropped.
    """
    folder = Path(folder)
    labels = folder / "labels.jsonl"
    if not labels.is_file():
        raise LabelledError(f"{folder} has no labels.jsonl.")
    works: list[LabelledWork] = []
    with labels.open(encoding="utf-8") as handle:
        for line, raw in enumerate(handle, start=1):
            if not raw.strip():
                continue
            try:
                row = json.loads(raw)
            except json.JSONDecodeError as exc:
                raise LabelledError(f"labels.jsonl line {line}: not JSON ({exc.msg}).") from exc
            works.append(_work(folder, row, line))
    if not works:
        raise LabelledError(f"{labels} holds no works.")
    return works
