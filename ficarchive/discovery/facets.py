"""The sidebar's facets: the top tags of each kind among a result's first works, as AO3
shows them, with links that include or exclude each one."""

from __future__ import annotations

import heapq
from collections import defaultdict
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ficarchive.tags.vocabulary import TagKind

from .engines import FACET_SAMPLE, TagInfo
from .forms import FilterParams

FACET_TOP = 10
# Kind, URL parameter (English, as AO3's) and the sidebar heading: lazy, so a cached facet
# list still reads in each request's language (its pickle keeps the message, not the text).
FACET_KINDS: list[tuple[str, str, Promise]] = [
    (TagKind.RATING, "rating", _("Ratings")),
    (TagKind.WARNING, "warning", _("Warnings")),
    (TagKind.CATEGORY, "category", _("Categories")),
    (TagKind.FANDOM, "tag", _("Fandoms")),
    (TagKind.CHARACTER, "tag", _("Characters")),
    (TagKind.RELATIONSHIP, "tag", _("Relationships")),
    (TagKind.FREEFORM, "tag", _("Additional Tags")),
]


@dataclass
class FacetEntry:
    """One tag of a facet, with the query strings that include or exclude it."""

    name: str
    count: int
    param: str
    include_qs: str
    exclude_qs: str
    included: bool = False
    excluded: bool = False


@dataclass
class Facet:
    """The top tags of one kind."""

    kind: str
    label: str | Promise  # the interface language's heading; never put in JSON
    param: str
    entries: list[FacetEntry]


def facets_from_counts(
    direct: dict[int, int], params: FilterParams, total: int, tag_info: TagInfo
) -> tuple[list[Facet], bool]:
    """Facets from per-tag counts over the sample (tags as written; a synonym counts for its
    canonical tag here, cheaper than grouping by the canonical id in SQL; a work carrying
    both counts twice, as AO3's own counts are approximate too), and whether they are exact
    (the whole result was sampled). ``tag_info``: (kind, synonym_of_id, name) of tags."""
    info = tag_info(list(direct))
    # Synonyms are few: fold them into their canonical tags, which take the synonym's kind
    # (the same kind once wrangled). Thousands of tags come per listing at 1M works, so the
    # common case stays one pass at C speed where it can (issue 17).
    synonyms = [(t, kind, syn) for t, (kind, syn, _name) in info.items() if syn and t in direct]
    folded = dict(direct)
    for tag_id, _kind, _syn in synonyms:
        del folded[tag_id]
    kind_of: dict[int, str] = {}
    for tag_id, kind, syn in synonyms:
        folded[syn] = folded.get(syn, 0) + direct[tag_id]
        kind_of[syn] = kind
    by_kind: dict[str, list[tuple[int, int]]] = defaultdict(list)
    no_info = ("", None, "")
    for filter_id, n in folded.items():
        kind = kind_of.get(filter_id) or info.get(filter_id, no_info)[0]
        by_kind[kind].append((n, filter_id))
    # A few more than shown per kind, so ties are broken by name as AO3 does.
    top = {kind: heapq.nlargest(FACET_TOP * 2, items) for kind, items in by_kind.items()}
    wanted = [i for items in top.values() for _, i in items]
    known = tag_info([i for i in wanted if i not in info])
    names = {i: (info.get(i) or known[i])[2] for i in wanted if i in info or i in known}
    facets = []
    for kind, param, label in FACET_KINDS:
        ranked = sorted(
            ((n, names[i]) for n, i in top.get(kind, []) if i in names),
            key=lambda x: (-x[0], x[1].casefold()),
        )[:FACET_TOP]
        included = getattr(params, param)
        excluded = getattr(params, f"exclude_{param}")
        include_link = params.value_links(param)
        exclude_link = params.value_links(f"exclude_{param}")
        entries = [
            FacetEntry(
                name=name,
                count=count,
                param=param,
                include_qs=include_link(name),
                exclude_qs=exclude_link(name),
                included=name in included,
                excluded=name in excluded,
            )
            for count, name in ranked
        ]
        facets.append(Facet(kind=kind, label=label, param=param, entries=entries))
    return facets, total <= FACET_SAMPLE


def active_extra(params: FilterParams, facets: list[Facet]) -> dict[str, list[tuple[str, str]]]:
    """Included and excluded values the facets do not list, so the sidebar keeps them."""
    listed = {(e.param, e.name) for f in facets for e in f.entries}
    out: dict[str, list[tuple[str, str]]] = {"include": [], "exclude": []}
    for param in ("rating", "warning", "category", "tag"):
        for name in getattr(params, param):
            if (param, name) not in listed:
                out["include"].append((param, name))
        for name in getattr(params, f"exclude_{param}"):
            if (param, name) not in listed:
                out["exclude"].append((f"exclude_{param}", name))
    return out
