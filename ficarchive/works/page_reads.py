"""The work page's reads of a work's relations, each compiled once per process
(``core.compiledqs``): the same instances as ``Work.objects.with_blurb_data()`` and
``work.chapters`` give, without Django compiling the same statements on every page.

Only what is the same for every viewer is read here; who may read the work is decided
before, by ``access.access_work_page``."""

from __future__ import annotations

from typing import Any

from django.db.models import prefetch_related_objects

from ficarchive.core.compiledqs import compiled_rows
from ficarchive.tags.models import Tagging

from .models import Chapter, Creatorship, Work
from .querysets import blurb_prefetches


def _taggings(work_id: int) -> Any:
    return Tagging.objects.select_related("tag").filter(work_id=work_id)


def _creatorships(work_id: int) -> Any:
    return Creatorship.objects.select_related("pseud__user").filter(work_id=work_id)


def _cache(work: Work, name: str, objs: list[Any]) -> None:
    """Store ``objs`` as ``work.<name>.all()``, as ``prefetch_related`` does, each pointing
    back at the work (as a prefetch sets it)."""
    manager = getattr(work, name)
    for obj in objs:
        manager.field.set_cached_value(obj, work)
    qs = manager.get_queryset()
    qs._result_cache = objs
    qs._prefetch_done = True
    cache = work.__dict__.setdefault("_prefetched_objects_cache", {})
    cache[manager.field.remote_field.cache_name] = qs


def blurb_data_load(work: Work, *, in_series: bool) -> None:
    """Load what ``with_blurb_data`` loads onto one work: its taggings with their tags and
    its creatorships with their pseuds and users (two compiled statements), and its series
    entries (through the ORM, only when ``in_series``; else set empty, no query)."""
    _cache(work, "taggings", compiled_rows("works.page.taggings", Tagging, _taggings, work.pk))
    _cache(
        work,
        "creatorships",
        compiled_rows("works.page.creatorships", Creatorship, _creatorships, work.pk),
    )
    if in_series:
        prefetch_related_objects([work], blurb_prefetches()[2])
    else:
        _cache(work, "serial_works", [])


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
