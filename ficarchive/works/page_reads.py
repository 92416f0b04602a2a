"""The work page's reads of a work's relations, each compiled once per process
(``core.compiledqs``): the same instances as ``Work.objects.with_blurb_data()`` and
``work.chapters`` give, without Django compiling the same statements on every page.

Only what is the same for every viewer is read here; who may read the work is decided
before, by ``access.access_work_page``."""

from __future__ import annotations

from functools import cache
from typing import Any

from django.db.models import prefetch_related_objects

from ficarchive.core.compiledqs import compiled_rows, set_prefetched
from ficarchive.tags.models import Tagging

from .models import Chapter, Creatorship, Work
from .querysets import blurb_prefetches


def _taggings(work_id: int) -> Any:
    return Tagging.objects.select_related("tag").filter(work_id=work_id)


def _creatorships(work_id: int) -> Any:
    return Creatorship.objects.select_related("pseud__user").filter(work_id=work_id)


@cache
def _prefetch_querysets() -> dict[str, Any]:
    """``with_blurb_data``'s prefetch querysets (never run: each work's cached one is
    built from them, as ``prefetch_related`` builds it)."""
    return {p.prefetch_to: p.queryset for p in blurb_prefetches()}


def blurb_data_load(work: Work, *, in_series: bool) -> None:
    """Load what ``with_blurb_data`` loads onto one work: its taggings with their tags and
    its creatorships with their pseuds and users (two compiled statements), and its series
    entries (through the ORM, only when ``in_series``; else set empty, no query)."""
    querysets = _prefetch_querysets()
    taggings = compiled_rows("works.page.taggings", Tagging, _taggings, work.pk)
    set_prefetched(work, "taggings", taggings, querysets["taggings"])
    creators = compiled_rows("works.page.creatorships", Creatorship, _creatorships, work.pk)
    set_prefetched(work, "creatorships", creators, querysets["creatorships"])
    if in_series:
        prefetch_related_objects([work], blurb_prefetches()[2])
    else:
        set_prefetched(work, "serial_works", [], querysets["serial_works"])


def _posted_chapters(work_id: int) -> Any:
    return Chapter.objects.filter(work_id=work_id, posted=True).order_by("position", "id")


def _all_chapters(work_id: int) -> Any:
    return Chapter.objects.filter(work_id=work_id).order_by("position", "id")


def chapters_of(work: Work, *, drafts: bool) -> list[Chapter]:
    """The work's chapters in order (``drafts``: unposted ones too), each pointing back at
    the work, as ``work.chapters.order_by("position", "id")`` gives them."""
    build = _all_chapters if drafts else _posted_chapters
    name = "works.page.chapters." + ("all" if drafts else "posted")
    chapters = compiled_rows(name, Chapter, build, work.pk)
    field = Chapter._meta.get_field("work")
    for chapter in chapters:
        field.set_cached_value(chapter, work)
    return chapters
