"""Reads of works and chapters, each with the visibility check built in."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from ficarchive.core.errors import NotFound

from .models import Chapter, Series, Work


def work_get_for_viewer(work_id: int | str, viewer: Any) -> Work:
    """The work if the viewer may see it, with everything the work page shows; else NotFound
    (the same answer for "does not exist" and "not yours to see", so nothing leaks)."""
    try:
        work_id = int(work_id)
    except (TypeError, ValueError):
        raise NotFound("No such work.")
    work = (
        Work.objects.visible_to(viewer)
        .filter(pk=work_id)
        .with_blurb_data()
        .first()
    )
    if work is None:
        raise NotFound("No such work.")
    return work


def chapters_for_viewer(work: Work, viewer: Any) -> list[Chapter]:
    """The chapters a viewer reads: posted ones, and drafts too for the creators."""
    qs = work.chapters.order_by("position", "id")
    if not work.is_creator(viewer):
        qs = qs.filter(posted=True)
    return list(qs)


def works_listed(viewer: Any) -> QuerySet[Work]:
    """Posted works the viewer may see, newest update first, ready for blurbs."""
    return Work.objects.listed_for(viewer).with_blurb_data().order_by("-revised_at", "-id")


def works_by_user(user: Any, viewer: Any) -> QuerySet[Work]:
    """A user's works as a viewer may see them: anonymous ones only for the user and admins."""
    if viewer.is_authenticated and viewer.pk == user.pk:
        # Owners see their own works an admin has hidden too, on their own page only.
        own = Work.objects.visible_to(viewer).filter(posted=True).with_blurb_data()
        return own.filter(creatorships__pseud__user=user).distinct().order_by("-revised_at", "-id")
    qs = works_listed(viewer).filter(creatorships__pseud__user=user).distinct()
    if not (viewer.is_authenticated and (viewer.pk == user.pk or viewer.is_admin)):
        qs = qs.filter(anonymous=False)
    return qs


def drafts_of(user: Any) -> QuerySet[Work]:
    """The user's unposted works, last edited first."""
    return (
        Work.objects.filter(posted=False, creatorships__pseud__user=user)
        .with_blurb_data()
        .order_by("-updated_at")
        .distinct()
    )


def series_get_for_viewer(series_id: int | str, viewer: Any) -> tuple[Series, list[Work]]:
    """A series and its works the viewer may see, in series order. A series none of whose
    works the viewer may see is NotFound, so its title does not leak."""
    try:
        series = Series.objects.get(pk=int(series_id))
    except (TypeError, ValueError, Series.DoesNotExist):
        raise NotFound("No such series.")
    positions = dict(series.serial_works.values_list("work_id", "position"))
    works = list(Work.objects.visible_to(viewer).filter(pk__in=positions).with_blurb_data())
    if not works:
        raise NotFound("No such series.")
    works.sort(key=lambda w: (positions[w.pk], w.pk))
    return series, works
