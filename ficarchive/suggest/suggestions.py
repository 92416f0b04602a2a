"""What the engine proposes: suggestions with their evidence, and their JSON shapes."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# The keys of ``suggested`` in ``ficarchive import --json`` (see CONTRACT.md), in order.
JSON_KEYS = ("rating", "warnings", "categories", "fandoms", "relationships", "characters", "tags")


@dataclass(frozen=True)
class Evidence:
    """A passage behind a suggestion.

    ``chapter`` is 1-based in reading order; ``start``/``end`` are character offsets of
    the cue (or name) into that chapter's :func:`ficarchive.suggest.text.plain_text_of`
    text; ``excerpt`` is the surrounding sentence, which begins at ``excerpt_start`` in
    the same text (so the cue is ``excerpt[start - excerpt_start:end - excerpt_start]``).
    """

    chapter: int
    start: int
    end: int
    excerpt: str
    excerpt_start: int = 0

    def as_json(self) -> dict[str, Any]:
        """The evidence as a JSON-ready dict."""
        return {
            "chapter": self.chapter,
            "start": self.start,
            "end": self.end,
            "excerpt": self.excerpt,
            "excerpt_start": self.excerpt_start,
        }


@dataclass
class Suggestion:
    """One proposed tag: its name, kind (a ``TagKind`` value), confidence 0–1, evidence."""

    name: str
    kind: str
    score: float
    evidence: list[Evidence] = field(default_factory=list)
    # Detector figures shown to the author ("mentioned 14 times, 3 in dialogue").
    details: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        """The suggestion with score, details and evidence, JSON-ready."""
        return {
            "name": self.name,
            "kind": self.kind,
            "score": round(self.score, 3),
            "details": self.details,
            "evidence": [e.as_json() for e in self.evidence],
        }


@dataclass
class Suggestions:
    """Everything proposed for one work, each list best first."""

    rating: list[Suggestion] = field(default_factory=list)
    warnings: list[Suggestion] = field(default_factory=list)
    categories: list[Suggestion] = field(default_factory=list)
    fandoms: list[Suggestion] = field(default_factory=list)
    relationships: list[Suggestion] = field(default_factory=list)
    characters: list[Suggestion] = field(default_factory=list)
    tags: list[Suggestion] = field(default_factory=list)
    words: int = 0
    # Plain-words notes for the author (a language the rules do not read, say); not part
    # of the contract's ``suggested`` keys.
    notes: list[str] = field(default_factory=list)

    def as_json(self, detail: bool = False) -> dict[str, Any]:
        """The contract's ``suggested`` shape: names per key; with ``detail``, full objects
        and the engine's ``notes`` (plain words for the author)."""
        out: dict[str, Any] = {}
        for key in JSON_KEYS:
            items: list[Suggestion] = getattr(self, key)
            out[key] = [s.as_json() for s in items] if detail else [s.name for s in items]
        if detail:
            out["notes"] = list(self.notes)
        return out

    def all(self) -> list[Suggestion]:
        """Every suggestion, in the order of :data:`JSON_KEYS`."""
        return [s for key in JSON_KEYS for s in getattr(self, key)]
