"""Accuracy of tag suggestions on the labelled development set (``evalset/``).

The set has three parts: public-domain stories from the shared data folder
(``<repo>/../shared/data/fiction/lcats-corpora``) labelled by hand in
``evalset/labels.json``; AO3 downloads and work pages from the same folder, whose
authors' tags are the labels (read from the HTML); and short texts written for this
project (``evalset/texts``), which ship in the repository and are always evaluated.
Every text is matched against one archive-wide lexicon (``evalset/lexicons.json``),
as on an archive whose wranglers made those tags.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import lxml.html

from ..tags.vocabulary import RATING_ORDER, ArchiveWarning, Rating
from .engine import suggest_for_text, time_per_10k_words
from .lexicon import CharacterLexicon, build_lexicon, parse_relationship
from .suggestions import Suggestions

EVALSET = Path(__file__).resolve().parent / "evalset"
REPO_ROOT = Path(__file__).resolve().parent.parent.parent
SHARED_DATA = REPO_ROOT.parent / "shared" / "data"

TARGETS = {
    "rating_exact": 0.80,
    "rating_within_one": 0.95,
    "characters_recall": 0.90,
    "characters_precision": 0.80,
    "relationship_top1": 0.70,
}
# AO3 character tags that no text names.
_UNNAMEABLE = {"original characters", "original character(s)", "original character", "ensemble"}


@dataclass
class Item:
    """One labelled work: its chapters and gold labels."""

    id: str
    source: str
    chapters: list[str]
    gold: dict[str, Any]


@dataclass
class Tally:
    """True positives, false positives and false negatives of one tag kind."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    items: int = 0

    def add(
        self, predicted: Iterable[Any], gold: Iterable[Any], ignore: Iterable[Any] = ()
    ) -> None:
        p, g, i = set(predicted), set(gold), set(ignore)
        self.tp += len(p & g)
        self.fp += len(p - g - i)
        self.fn += len(g - p)
        self.items += 1

    def as_dict(self) -> dict[str, Any]:
        precision = self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0
        recall = self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0
        return {
            "precision": round(precision, 3),
            "recall": round(recall, 3),
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "works": self.items,
        }


@dataclass
class _Run:
    tallies: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    confusion: dict[str, dict[str, int]] = field(
        default_factory=lambda: {r.value: {q.value: 0 for q in RATING_ORDER} for r in RATING_ORDER}
    )
    rated: int = 0
    exact: int = 0
    within_one: int = 0
    top1_items: int = 0
    top1_right: int = 0
    top1_pair_right: int = 0
    rows: list[dict[str, Any]] = field(default_factory=list)


def load_lexicon(path: Path = EVALSET / "lexicons.json") -> CharacterLexicon:
    """The development set's archive-wide character lexicon."""
    data = json.loads(path.read_text(encoding="utf-8"))
    characters: list[dict[str, Any]] = []
    for fandom, entries in data["fandoms"].items():
        for entry in entries:
            entry = {"name": entry} if isinstance(entry, str) else dict(entry)
            entry["fandoms"] = [fandom]
            characters.append(entry)
    return build_lexicon(characters, relationships=data.get("relationships", []))


def load_items(shared: Path = SHARED_DATA) -> tuple[list[Item], list[str]]:
    """The labelled works whose texts are available, and notes on those that are not."""
    labels = json.loads((EVALSET / "labels.json").read_text(encoding="utf-8"))
    items: list[Item] = []
    missing: list[str] = []
    for entry in labels["items"]:
        kind, _, path = entry["source"].partition(":")
        if kind == "text":
            items.append(
                Item(
                    entry["id"],
                    entry["source"],
                    [(EVALSET / "texts" / path).read_text(encoding="utf-8")],
                    entry,
                )
            )
            continue
        file = (
            shared / "fiction" / "lcats-corpora" / path / "story.json"
            if kind == "lcats"
            else shared / path
        )
        if not file.exists():
            missing.append(entry["source"])
            continue
        if kind == "lcats":
            body = json.loads(file.read_text(encoding="utf-8"))["body"]
            items.append(Item(entry["id"], entry["source"], [body], entry))
        else:
            chapters, gold = read_ao3_html(file)
            items.append(Item(entry["id"], entry["source"], chapters, gold))
    return items, missing


def _clean(text: str) -> str:
    return " ".join(text.split())


def read_ao3_html(path: Path) -> tuple[list[str], dict[str, Any]]:
    """Chapters (as HTML) and the author's tags of an AO3 download or saved work page."""
    root = lxml.html.parse(str(path)).getroot()
    tags: dict[str, list[str]] = defaultdict(list)
    names = {
        "rating": "rating",
        "archive warning": "warnings",
        "category": "categories",
        "fandom": "fandoms",
        "relationship": "relationships",
        "character": "characters",
        "characters": "characters",
        "additional tags": "tags",
        "warning": "warnings",
    }
    for dd in root.xpath(
        '//dl[contains(@class, "work")]/dd[contains(@class, "tags")]'
    ):  # work page
        key = names.get(dd.get("class", "").split()[0].replace("freeform", "additional tags"))
        if key:
            tags[key] += [
                _clean(a.text_content()) for a in dd.xpath('.//a[contains(@class, "tag")]')
            ]
    if not tags:  # download: <dl class="tags"><dt>Rating:</dt><dd>…</dd>
        for dt in root.xpath('//dl[@class="tags"]/dt'):
            key = names.get(_clean(dt.text_content()).rstrip(":").lower())
            dd = dt.getnext()
            if key and dd is not None and dd.tag == "dd":
                tags[key] += [_clean(a.text_content()) for a in dd.xpath(".//a")]
    chapters = []
    for div in root.xpath(
        '//div[@id="chapters"]//div[contains(concat(" ", @class, " "), " userstuff ")]'
    ):
        if div.xpath(
            'ancestor::div[contains(concat(" ", @class, " "), " userstuff ")][ancestor::div[@id="chapters"]]'
        ):
            continue
        for landmark in div.xpath('.//h3[contains(@class, "landmark")]'):
            landmark.drop_tree()
        chapters.append(lxml.html.tostring(div, encoding="unicode"))
    warnings = tags.get("warnings", [])
    gold: dict[str, Any] = {
        "rating": (tags.get("rating") or [Rating.NOT_RATED.value])[0],
        "warnings": None
        if ArchiveWarning.CHOSE_NOT_TO_WARN.value in warnings
        else [w for w in warnings if w != ArchiveWarning.NONE_APPLY.value],
        "categories": tags.get("categories", []),
        "fandoms": tags.get("fandoms", []),
        "relationships": tags.get("relationships", []),
        "characters": [c for c in tags.get("characters", []) if c.lower() not in _UNNAMEABLE],
        "minor_characters": [],
        "author_tags": tags.get("tags", []),
    }
    return chapters, gold


def _rel_key(name: str, lexicon: CharacterLexicon) -> tuple[str, frozenset[str]] | str:
    return parse_relationship(name, lexicon) or name


def _score_item(item: Item, got: Suggestions, lexicon: CharacterLexicon, run: _Run) -> None:
    gold = item.gold
    # Names proposed as new tags (no tag in the lexicon) are not scored against tags.
    predicted = {
        k: [s.name for s in getattr(got, k) if not s.details.get("new")]
        for k in ("characters", "fandoms", "categories", "tags")
    }
    run.tallies["characters"].add(
        predicted["characters"], gold["characters"], gold.get("minor_characters", ())
    )
    run.tallies["fandoms"].add(predicted["fandoms"], gold["fandoms"])
    if gold.get("categories"):
        run.tallies["categories"].add(predicted["categories"], gold["categories"])
    if "tags" in gold and gold.get("labels") is None:
        run.tallies["tags"].add(predicted["tags"], gold["tags"])

    rel_pred = [
        (" & " if not s.details.get("romantic") else "/", frozenset(s.details["characters"]))
        for s in got.relationships
    ]
    rel_gold = [_rel_key(r, lexicon) for r in gold["relationships"]]
    run.tallies["relationships"].add(rel_pred, rel_gold)
    if rel_gold:
        run.top1_items += 1
        if rel_pred and rel_pred[0] in rel_gold:
            run.top1_right += 1
        pairs = {k[1] for k in rel_gold if isinstance(k, tuple)}
        if rel_pred and rel_pred[0][1] in pairs:
            run.top1_pair_right += 1

    warned = [w.name for w in got.warnings if w.name != ArchiveWarning.NONE_APPLY.value]
    if gold["warnings"] is not None:
        run.tallies["warnings"].add(warned, gold["warnings"])
        for w in ArchiveWarning:
            if w in (ArchiveWarning.NONE_APPLY, ArchiveWarning.CHOSE_NOT_TO_WARN):
                continue
            run.tallies[f"warning: {w.value}"].add(
                [x for x in warned if x == w.value], [x for x in gold["warnings"] if x == w.value]
            )

    rating = got.rating[0].name if got.rating else Rating.NOT_RATED.value
    if gold["rating"] != Rating.NOT_RATED.value:
        order = [r.value for r in RATING_ORDER]
        run.rated += 1
        run.confusion[gold["rating"]][rating] += 1
        run.exact += rating == gold["rating"]
        run.within_one += abs(order.index(rating) - order.index(gold["rating"])) <= 1
    run.rows.append(
        {
            "id": item.id,
            "words": got.words,
            "rating": [gold["rating"], rating],
            "warnings": [gold["warnings"], warned],
            "missed_characters": sorted(set(gold["characters"]) - set(predicted["characters"])),
            "extra_characters": sorted(
                set(predicted["characters"])
                - set(gold["characters"])
                - set(gold.get("minor_characters", ()))
            ),
            "relationships": [gold["relationships"], [s.name for s in got.relationships[:3]]],
        }
    )


def run_suggest_benchmark(shared: Path | None = None, *, timing_repeat: int = 3) -> dict[str, Any]:
    """Evaluate the suggestion engine on the development set.

    Returns precision/recall per tag kind, rating exact and within-one-step accuracy,
    the rating confusion matrix (gold → predicted), relationship top-1 accuracy, speed
    in ms per 10,000 words, the targets and whether each is met, and a row per work.
    When the shared data folder is absent only the shipped texts are evaluated, and
    ``skipped`` says so.
    """
    shared = SHARED_DATA if shared is None else shared
    lexicon = load_lexicon()
    items, missing = load_items(shared)
    run = _Run()
    for item in items:
        fandom_hints: list[str] = []
        _score_item(
            item, suggest_for_text(item.chapters, lexicon, fandoms=fandom_hints), lexicon, run
        )
    timing = time_per_10k_words([i.chapters for i in items], lexicon, repeat=timing_repeat)
    kinds = {k: v.as_dict() for k, v in sorted(run.tallies.items())}
    result: dict[str, Any] = {
        "works": len(items),
        "by_source": {
            k: sum(1 for i in items if i.source.startswith(k + ":"))
            for k in ("lcats", "ao3", "text")
        },
        "skipped": (
            f"shared data not found at {shared}: {len(missing)} labelled works skipped, only the shipped texts evaluated"
            if missing and not any(i.source.split(":")[0] in ("lcats", "ao3") for i in items)
            else (f"{len(missing)} labelled works not found under {shared}" if missing else None)
        ),
        "kinds": kinds,
        "rating_exact": round(run.exact / run.rated, 3) if run.rated else None,
        "rating_within_one": round(run.within_one / run.rated, 3) if run.rated else None,
        "rating_works": run.rated,
        "rating_confusion": run.confusion,
        "relationship_top1": round(run.top1_right / run.top1_items, 3) if run.top1_items else None,
        "relationship_top1_pair": round(run.top1_pair_right / run.top1_items, 3)
        if run.top1_items
        else None,
        "relationship_works": run.top1_items,
        "speed": timing,
        "ms_per_10k_words": timing["ms_per_10k_words"],
        "rows": run.rows,
    }
    values = {
        "rating_exact": result["rating_exact"],
        "rating_within_one": result["rating_within_one"],
        "characters_recall": kinds.get("characters", {}).get("recall"),
        "characters_precision": kinds.get("characters", {}).get("precision"),
        "relationship_top1": result["relationship_top1"],
    }
    result["targets"] = {
        k: {"value": values[k], "target": t, "met": values[k] is not None and values[k] >= t}
        for k, t in TARGETS.items()
    }
    result["targets"]["ms_per_10k_words"] = {
        "value": timing["ms_per_10k_words"],
        "target": 50.0,
        "met": timing["ms_per_10k_words"] <= 50.0,
    }
    return result


def format_report(result: dict[str, Any], *, rows: bool = False) -> str:
    """A human-readable report of :func:`run_suggest_benchmark`'s result."""
    out: list[str] = []
    src = result["by_source"]
    out.append(
        f"Tag suggestions: {result['works']} labelled works ({src['lcats']} public-domain stories, {src['ao3']} AO3 works, {src['text']} written for the set)"
    )
    if result.get("skipped"):
        out.append(f"NOTE: {result['skipped']}")
    out.append("")
    out.append(f"{'kind':<38}{'precision':>10}{'recall':>8}{'tp':>5}{'fp':>5}{'fn':>5}")
    for kind, v in result["kinds"].items():
        out.append(
            f"{kind:<38}{v['precision']:>10.3f}{v['recall']:>8.3f}{v['tp']:>5}{v['fp']:>5}{v['fn']:>5}"
        )
    out.append("")
    out.append(
        f"rating: exact {_pct(result['rating_exact'])}, within one step {_pct(result['rating_within_one'])} ({result['rating_works']} works)"
    )
    labels = [r.value for r in RATING_ORDER]
    short = {
        Rating.GENERAL.value: "G",
        Rating.TEEN.value: "T",
        Rating.MATURE.value: "M",
        Rating.EXPLICIT.value: "E",
        Rating.NOT_RATED.value: "NR",
    }
    out.append("confusion (rows: gold, columns: proposed)")
    out.append("      " + "".join(f"{short[c]:>5}" for c in labels))
    for g in labels:
        out.append(
            f"{short[g]:>5} " + "".join(f"{result['rating_confusion'][g][p]:>5}" for p in labels)
        )
    out.append("")
    out.append(
        f"relationship top-1: {_pct(result['relationship_top1'])} right with type, {_pct(result['relationship_top1_pair'])} right pair "
        f"({result['relationship_works']} works with a labelled relationship)"
    )
    s = result["speed"]
    out.append(
        f"speed: {s['ms_per_10k_words']} ms per 10,000 words ({s['words']} words in {s['seconds']} s, best of runs)"
    )
    out.append("")
    out.append("targets:")
    for name, t in result["targets"].items():
        value = t["value"]
        shown = (
            "n/a" if value is None else (f"{value}" if name == "ms_per_10k_words" else _pct(value))
        )
        out.append(
            f"  {name:<24}{shown:>9}  target {t['target']}  {'met' if t['met'] else 'NOT MET'}"
        )
    if rows:
        out.append("")
        for r in result["rows"]:
            out.append(json.dumps(r, ensure_ascii=False))
    return "\n".join(out)


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{100 * value:.1f}%"


# --- Names proposed as new tags, matched by their words (issue 16) ------------------------

_TAG_WORD = re.compile(r"[^\W_]+")


def _words_of(name: str) -> set[str]:
    return {w.casefold() for w in _TAG_WORD.findall(re.sub(r"\s*\([^()]*\)\s*$", "", name))}


def name_to_tag(name: str, tags: Iterable[str]) -> str:
    """The author's tag a proposed character name stands for: the one tag among ``tags``
    whose words include all the name's words ("Kirishima" → "Kirishima Eijirou"), else
    ``name`` itself (also when several tags would fit)."""
    words = _words_of(name)
    fits = [t for t in tags if words and words <= _words_of(t)]
    return fits[0] if len(fits) == 1 else name


def relationships_by_name(
    pairs: Iterable[tuple[str, Sequence[str]]], gold: Iterable[str]
) -> tuple[set[tuple[str, frozenset[str]]], set[tuple[str, frozenset[str]]]]:
    """Proposed ``(separator, names)`` and the author's relationship tags as comparable
    ``(separator, {character tag})`` sets, each proposed name standing for the author's
    character of the same words (:func:`name_to_tag`). Returns (proposed, gold)."""
    parsed = set()
    for tag in gold:
        separator = "/" if "/" in tag else " & " if " & " in tag else ""
        if separator:
            parsed.add((separator, frozenset(p.strip() for p in tag.split(separator))))
    people = {p for _, ps in parsed for p in ps}
    proposed = {(sep, frozenset(name_to_tag(n, people) for n in names)) for sep, names in pairs}
    return proposed, parsed
