"""Reads of works and chapters, each with the visibility check built in."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from ficarchive.accounts.models import Pseud, User
from ficarchive.accounts.selectors import pseuds_of
from ficarchive.core.errors import NotFound
from ficarchive.core.viewers import Viewer, is_user

from . import access
from .models import Chapter, Series, Work
from .page_reads import chapters_of


def work_get_for_viewer(work_id: int | str, viewer: Viewer) -> Work:
    """The work if the viewer may see it, with everything the work page shows; else NotFound
    (the same answer for "does not exist" and "not yours to see", so nothing leaks).
    ``access.access_work`` with ``Need.READ``."""
    return access.access_work(viewer, work_id)


def chapters_for_viewer(work: Work, viewer: Viewer) -> list[Chapter]:
    """The chapters a viewer reads: posted ones, and drafts too for the creators. One
    compiled statement (``page_reads.chapters_of``)."""
    return chapters_of(work, drafts=access.is_creator(viewer, work))


def works_listed(viewer: Viewer) -> QuerySet[Work]:
    """Posted works the viewer may see, newest update first, ready for blurbs."""
    return Work.objects.listed_for(viewer).with_blurb_data().order_by("-revised_at", "-id")


def works_by_user(user: User, viewer: Viewer) -> QuerySet[Work]:
    """A user's works as a viewer may see them (``access.credited_q``: anonymous ones only
    for their creators and admins); the user themselves also finds their works an admin hid,
    on their own pages only."""
    return _credited_works(viewer, user.pk).filter(creatorships__pseud__user=user).distinct()


def works_by_pseud(pseud: Pseud, viewer: Viewer) -> QuerySet[Work]:
    """A pseud's works as a viewer may see them, by the rule of ``works_by_user`` (so an
    anonymous work is never traced back through its pseud)."""
    return _credited_works(viewer, pseud.user_id).filter(creatorships__pseud=pseud).distinct()


def _is_owner(viewer: Viewer, owner_id: int | None) -> bool:
    return is_user(viewer) and owner_id is not None and viewer.pk == owner_id  # type: ignore[union-attr]


def _credited_works(viewer: Viewer, owner_id: int | None) -> QuerySet[Work]:
    if _is_owner(viewer, owner_id):
        own = Work.objects.visible_to(viewer).filter(posted=True).with_blurb_data()
        return own.order_by("-revised_at", "-id")
    return works_listed(viewer).filter(access.credited_q(viewer))


def pseuds_with_work_counts(user: User, viewer: Viewer) -> QuerySet[Pseud]:
    """A user's pseuds, the default first, each with ``work_total``: for the user, all
    their works (drafts included: a pseud with works cannot be deleted); for anyone else,
    the works ``works_by_pseud`` lists (``access.credited_q``), so a count never points at
    an anonymous, draft, restricted or hidden work."""
    if _is_owner(viewer, user.pk):
        counted = Count("creatorships", distinct=True)
    else:
        credited = Work.objects.filter(access.credited_q(viewer)).values("pk")
        counted = Count("creatorships", filter=Q(creatorships__work__in=credited), distinct=True)
    return pseuds_of(user).annotate(work_total=counted)


def drafts_of(user: User) -> QuerySet[Work]:
    """The user's unposted works, last edited first."""
    return (
        Work.objects.filter(posted=False, creatorships__pseud__user=user)
        .with_blurb_data()
        .order_by("-updated_at")
        .distinct()
    )


def series_get_for_viewer(series_id: int | str, viewer: Viewer) -> tuple[Series, list[Work]]:
    """A series and its works the viewer may see, in series order (``access.series_works_shown``:
    an anonymous series lists only its anonymous works to those who may not see its
    creators). A series none of whose works the viewer may see is NotFound, so its title
    does not leak."""
    try:
        series = Series.objects.get(pk=int(series_id))
    except (TypeError, ValueError, Series.DoesNotExist):
        raise NotFound("No such series.")
    positions = dict(series.serial_works.values_list("work_id", "position"))
    works = list(Work.objects.visible_to(viewer).filter(pk__in=positions).with_blurb_data())
    works = access.series_works_shown(series, works, viewer)
    if not works:
        raise NotFound("No such series.")
    works.sort(key=lambda w: (positions[w.pk], w.pk))
    return series, works
