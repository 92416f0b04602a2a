"""Reads for the suggestions panel: what the engine proposes for a work (cached per
revision of its text), less what the work already carries and what its creators dropped."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from ficarchive.tags.models import Tag, tag_key
from ficarchive.tags.selectors import wrangling_stamp
from ficarchive.tags.vocabulary import ArchiveWarning, TagKind
from ficarchive.works.models import Chapter, Work

from .models import DismissedSuggestion
from .suggestions import JSON_KEYS

CACHE_VERSION = 2
CACHE_SECONDS = 60 * 60 * 24 * 7
# Passages shown per suggestion; the rest are counted ("and 4 more passages").
EVIDENCE_SHOWN = 3

# The panel's groups, in AO3's order of the tag fields.
GROUPS: list[tuple[str, str | Promise]] = [
    (TagKind.RATING.value, gettext_lazy("Rating")),
    (TagKind.WARNING.value, gettext_lazy("Archive Warnings")),
    (TagKind.CATEGORY.value, gettext_lazy("Categories")),
    (TagKind.FANDOM.value, gettext_lazy("Fandoms")),
    (TagKind.RELATIONSHIP.value, gettext_lazy("Relationships")),
    (TagKind.CHARACTER.value, gettext_lazy("Characters")),
    (TagKind.FREEFORM.value, gettext_lazy("Additional Tags")),
]
# Warnings that say "nothing to warn about" (or "I won't say"), not a warning itself.
PLACEHOLDER_WARNINGS = {ArchiveWarning.NONE_APPLY.value, ArchiveWarning.CHOSE_NOT_TO_WARN.value}


def model_stamp() -> float:
    """When the archive's learned model was last saved (0 without one)."""
    from .learning import model_path

    try:
        return model_path().stat().st_mtime
    except OSError:
        return 0.0


def _revision_key(work: Work) -> str:
    """What the engine's answer depends on: the chapters' text (by id, position and last
    change), the work's fandoms (hints for clashing names) and the wrangling stamp (the
    archive's character tags), and the learned model's file (retraining refreshes the
    proposals). Two small indexed reads, no chapter bodies."""
    chapters = list(
        Chapter.objects.filter(work_id=work.pk)
        .order_by("position", "id")
        .values_list("id", "position", "updated_at")
    )
    fandoms = sorted(
        Tag.objects.filter(taggings__work_id=work.pk, kind=TagKind.FANDOM).values_list(
            "name_key", flat=True
        )
    )
    basis = repr(
        (
            [(i, p, u.isoformat()) for i, p, u in chapters],
            fandoms,
            wrangling_stamp(),
            model_stamp(),
        )
    )
    digest = hashlib.sha256(basis.encode("utf-8")).hexdigest()[:32]
    return f"suggest:v{CACHE_VERSION}:{work.pk}:{digest}"


def suggestions_for_work(work: Work) -> dict[str, Any]:
    """Everything the engine proposes for the work, as ``Suggestions.as_json(detail=True)``,
    from the cache when the text, fandoms and wrangling are unchanged since last time."""
    key = _revision_key(work)
    data = cache.get(key)
    if data is None:
        from .engine import suggest_for_work

        data = suggest_for_work(work).as_json(detail=True)
        cache.set(key, data, CACHE_SECONDS)
    return data


@dataclass
class Passage:
    """One piece of evidence, split around its cue so the template can mark it."""

    chapter: int
    before: str
    cue: str
    after: str


@dataclass
class PanelItem:
    """A proposed tag the work does not carry yet, with its passages."""

    kind: str
    name: str
    score: float
    passages: list[Passage] = field(default_factory=list)
    more_passages: int = 0

    @property
    def strength(self) -> str:
        """The engine's confidence in plain words."""
        if self.score >= 0.75:
            return "strong"
        if self.score >= 0.5:
            return "moderate"
        return "weak"

    @property
    def slug(self) -> str:
        return hashlib.sha1(f"{self.kind}:{tag_key(self.name)}".encode()).hexdigest()[:10]


@dataclass
class PanelGroup:
    kind: str
    label: str | Promise
    items: list[PanelItem]


@dataclass
class Panel:
    """The panel for one work: groups with items (empty groups left out), and dismissals."""

    groups: list[PanelGroup]
    dismissed: list[DismissedSuggestion]
    # Plain-words notes from the engine (a language its rules do not read).
    notes: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(len(g.items) for g in self.groups)

    def names(self) -> list[str]:
        return [item.name for g in self.groups for item in g.items]


def passage_of(evidence: dict[str, Any]) -> Passage:
    """Split an evidence excerpt around its cue (offsets clipped to the excerpt)."""
    excerpt = evidence.get("excerpt") or ""
    offset = int(evidence.get("excerpt_start") or 0)
    start = max(0, min(len(excerpt), int(evidence["start"]) - offset))
    end = max(start, min(len(excerpt), int(evidence["end"]) - offset))
    return Passage(
        chapter=int(evidence["chapter"]),
        before=excerpt[:start],
        cue=excerpt[start:end],
        after=excerpt[end:],
    )


def carried_keys(work: Work) -> set[tuple[str, str]]:
    """(kind, name key) of every tag on the work, and of the canonical tags its synonyms
    stand for (carrying "Sherlock" is carrying "Sherlock Holmes")."""
    taggings = list(work.taggings.all())
    keys = {(t.tag.kind, t.tag.name_key) for t in taggings}
    synonym_of = [t.tag.synonym_of_id for t in taggings if t.tag.synonym_of_id]
    if synonym_of:
        keys |= set(Tag.objects.filter(pk__in=synonym_of).values_list("kind", "name_key"))
    keys.add((TagKind.RATING.value, tag_key(work.rating)))
    return keys


def is_open(
    item: dict[str, Any],
    *,
    carried: set[tuple[str, str]],
    dismissed: set[tuple[str, str]],
    has_warnings: bool,
) -> bool:
    """Whether a proposal still needs the creator's decision."""
    key = (item["kind"], tag_key(item["name"]))
    if key in carried or key in dismissed:
        return False
    # "No Archive Warnings Apply" never overrides a choice the creator made about warnings.
    return not (
        item["kind"] == TagKind.WARNING.value
        and item["name"] in PLACEHOLDER_WARNINGS
        and has_warnings
    )


def suggestion_panel(work: Work) -> Panel:
    """The open proposals for a work, grouped by kind in AO3's order, best first."""
    data = suggestions_for_work(work)
    carried = carried_keys(work)
    dismissals = list(DismissedSuggestion.objects.filter(work_id=work.pk))
    dismissed = {(d.kind, d.name_key) for d in dismissals}
    has_warnings = any(kind == TagKind.WARNING.value for kind, _ in carried)
    by_kind: dict[str, list[PanelItem]] = {kind: [] for kind, _ in GROUPS}
    for items in (data.get(key, []) for key in JSON_KEYS):
        for item in items:
            if item["kind"] not in by_kind:
                continue
            if not is_open(item, carried=carried, dismissed=dismissed, has_warnings=has_warnings):
                continue
            evidence = item.get("evidence") or []
            by_kind[item["kind"]].append(
                PanelItem(
                    kind=item["kind"],
                    name=item["name"],
                    score=float(item.get("score") or 0),
                    passages=[passage_of(e) for e in evidence[:EVIDENCE_SHOWN]],
                    more_passages=max(0, len(evidence) - EVIDENCE_SHOWN),
                )
            )
    groups = [
        PanelGroup(kind=kind, label=label, items=by_kind[kind])
        for kind, label in GROUPS
        if by_kind[kind]
    ]
    return Panel(groups=groups, dismissed=dismissals, notes=list(data.get("notes", [])))


def suggestion_find(work: Work, *, kind: str, name: str) -> dict[str, Any] | None:
    """The engine's proposal of that kind and name for the work (compared as tag names
    are), whether or not it is still open; None when the engine does not propose it."""
    key = tag_key(name)
    data = suggestions_for_work(work)
    for items in (data.get(key, []) for key in JSON_KEYS):
        for item in items:
            if item["kind"] == kind and tag_key(item["name"]) == key:
                return item
    return None
