"""Reads of tags as one viewer may see them: the tags app's selectors narrowed by
``works.access`` (the tags app sits below works and cannot ask the access rule itself).

The web pages, the API and OPDS call these; the wrangling pages and the command line call
``tags.selectors`` directly, since they see every tag."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from ficarchive.core.viewers import Viewer
from ficarchive.tags import selectors as tags
from ficarchive.tags.models import Tag, Tagging
from ficarchive.tags.vocabulary import FREE_KINDS

from . import access
from .models import Work

# The lists of other tags a tag page (and the API's tag object) shows.
RELATED_KEYS = ("synonyms", "parents", "children", "fandoms", "related", "characters")


def tag_get_for_viewer(segment: str, viewer: Viewer) -> Tag:
    """The tag named by a URL path segment, if the viewer may see it named
    (``access.tags_listed_q``); Http404 otherwise, the same answer as for no such tag."""
    tag = tags.tag_by_url_name(segment)
    # A canonical tag is listed for everyone (``tags_listed_q`` starts with canonical=True):
    # no query, whose compiling (three EXISTS) was a third of a tag's works page.
    if tag.canonical:
        return tag
    if not Tag.objects.filter(access.tags_listed_q(viewer), pk=tag.pk).exists():
        raise Http404("No such tag.")
    return tag


def _shown_ids(tag_lists: Sequence[Sequence[Tag]], viewer: Viewer) -> set[int]:
    ids = {t.pk for tags_ in tag_lists for t in tags_}
    if not ids:
        return set()
    return set(
        Tag.objects.filter(access.tags_listed_q(viewer), pk__in=ids).values_list("pk", flat=True)
    )


def tag_detail_for(tag: Tag, viewer: Viewer) -> dict[str, Any]:
    """``tags.selectors.tag_detail`` with the synonyms, parents, subtags, fandoms and related
    tags the viewer may not see named left out (one query more), and ``works_count``: the
    works under the tag's closure the viewer may list."""
    detail = tags.tag_detail(tag)
    lists = [detail[key] for key in RELATED_KEYS if key in detail]
    shown = _shown_ids(lists, viewer)
    for key in RELATED_KEYS:
        if key in detail:
            detail[key] = [t for t in detail[key] if t.pk in shown]
    detail["works_count"] = tag_works_count(tag.synonym_of or tag, viewer)
    return detail


def tag_json_for(tag: Tag, viewer: Viewer) -> dict[str, Any]:
    """``tags.selectors.tag_as_json`` as this viewer may see it: names of related tags they
    may not see left out (a synonym's canonical tag is always public), ``uses`` counting only works they may list, ``works`` the works
    under the closure they may list."""
    data = tags.tag_as_json(tag)
    names = {name for key in RELATED_KEYS for name in data.get(key) or []}
    shown = set(
        Tag.objects.filter(access.tags_listed_q(viewer), name__in=names).values_list(
            "name", flat=True
        )
    )
    for key in RELATED_KEYS:
        if key in data:
            data[key] = [name for name in data[key] if name in shown]
    data["uses"] = access.tag_use_counts([tag.pk], viewer).get(tag.pk, 0)
    data["works"] = tag_works_count(tag, viewer)
    return data


def tag_autocomplete_for(
    viewer: Viewer,
    *,
    term: str,
    kind: str | None = None,
    fandoms: Sequence[str] = (),
    limit: int = tags.AUTOCOMPLETE_LIMIT,
) -> list[dict[str, Any]]:
    """``tags.selectors.tag_autocomplete`` offering only tags the viewer may see named, each
    with ``uses`` counted on works the viewer may list (one grouped query more)."""
    rows = tags.tag_autocomplete(
        term=term, kind=kind, fandoms=fandoms, limit=limit, only=access.tags_listed_q(viewer)
    )
    counts = access.tag_use_counts([r["id"] for r in rows], viewer)
    for row in rows:
        row["uses"] = counts.get(row["id"], 0)
    return rows


def works_under_tag(tag: Tag | int | Iterable[Tag | int], viewer: Viewer) -> QuerySet[Work]:
    """Works listed for the viewer that carry the tag or anything in its closure, newest
    update first, ready for blurbs. Filters, feeds, search, OPDS and the API use this."""
    closure = tags.tag_closure_ids(tag)
    tagged = Tagging.objects.filter(tag_id__in=closure).values("work_id")
    return (
        Work.objects.listed_for(viewer)
        .filter(pk__in=tagged)
        .with_blurb_data()
        .order_by("-revised_at", "-id")
    )


def tag_works_count(tag: Tag | int, viewer: Viewer = None) -> int:
    """How many works a viewer (the guest by default) finds under the tag's closure."""
    closure = tags.tag_closure_ids(tag)
    tagged = Tagging.objects.filter(tag_id__in=closure).values("work_id")
    return Work.objects.listed_for(viewer).filter(pk__in=tagged).count()


# The /tags cloud: how many tags it shows, out of how many of the most used canonical tags.
CLOUD_TAGS = 60
CLOUD_CANDIDATES = 200
CLOUD_SIZES = 5


def tags_cloud_for(
    viewer: Viewer, *, kind: str | None = None, limit: int = CLOUD_TAGS
) -> list[dict[str, Any]]:
    """The popular tags for AO3's tag index (``/tags``), by name, each as
    ``{"tag": Tag, "uses": int, "size": 1..CLOUD_SIZES}``: ``uses`` counts the works
    carrying the tag that the viewer may list (``access.tag_use_counts``), and only tags
    with at least one are shown, so a guest learns nothing of works they may not see.

    Free kinds only (fandom, relationship, character, additional tags), or one of them
    (``kind``). The candidates are ``CLOUD_CANDIDATES`` tags that are not synonyms (a
    synonym's works are its canonical tag's), canonical ones first (AO3's cloud shows only
    those; an archive nobody wrangles yet has none, so its most used tags stand in), then
    by direct uses; ``size`` grows with the log of the viewer's count (1 smallest).
    Three queries."""
    free = [k.value for k in FREE_KINDS]
    kinds = [kind] if kind in free else free
    candidates = list(
        Tag.objects.filter(kind__in=kinds, synonym_of__isnull=True, uses__gt=0)
        .order_by("-canonical", "-uses", "name_key")
        .values_list("pk", flat=True)[:CLOUD_CANDIDATES]
    )
    counts = access.tag_use_counts(candidates, viewer)
    top = sorted(counts, key=lambda pk: (-counts[pk], pk))[:limit]
    by_pk = Tag.objects.in_bulk(top)
    ranked = [by_pk[pk] for pk in top if pk in by_pk]
    sizes: dict[int, int] = {}
    if ranked:
        # Log-scaled between the least and the most used shown (as tag clouds usually
        # are, AO3's included): equal counts, equal sizes.
        low, high = math.log(counts[ranked[-1].pk]), math.log(counts[ranked[0].pk])
        for tag in ranked:
            share = (math.log(counts[tag.pk]) - low) / (high - low) if high > low else 1.0
            sizes[tag.pk] = 1 + round(share * (CLOUD_SIZES - 1))
    cloud = [{"tag": tag, "uses": counts[tag.pk], "size": sizes[tag.pk]} for tag in ranked]
    return sorted(cloud, key=lambda row: row["tag"].name.casefold())
