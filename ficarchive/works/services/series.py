"""Writes to series: AO3's series management (create, rename, describe, complete, add an
existing work, move, remove, delete).

A series belongs to the creators of the works in it (AO3 credits a series to its works'
creators): an account may manage a series when it holds a creatorship of one of them, and
may add only works it created."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max

from ficarchive.accounts.models import User
from ficarchive.core import changes
from ficarchive.core.errors import NotFound, PermissionDenied
from ficarchive.core.html import sanitize_html

from ..models import Creatorship, SerialWork, Series, Work
from ._inputs import NOTES_MAX, SUMMARY_MAX, TITLE_MAX

POSITION_MAX = 10_000


def _title(raw: str) -> str:
    title = " ".join((raw or "").split())[:TITLE_MAX]
    if not title:
        raise ValueError("A series needs a title.")
    return title


def series_may_manage(*, actor: User, series: Series) -> bool:
    """Does the account hold a creatorship of a work in the series?"""
    return Creatorship.objects.filter(
        pseud__user_id=actor.pk, work__serial_works__series=series
    ).exists()


def _owned_work(actor: User, work: Work) -> None:
    if not Creatorship.objects.filter(pseud__user_id=actor.pk, work=work).exists():
        raise PermissionDenied("Only the work's creators can put it in a series.")


def _managed(actor: User, series: Series) -> None:
    if not series_may_manage(actor=actor, series=series):
        raise PermissionDenied("Only the series' creators can change it.")


@transaction.atomic
def series_add_work(
    *,
    actor: User,
    work: Work,
    series_title: str = "",
    series: Series | None = None,
    position: int | None = None,
) -> Series:
    """Put the work in ``series`` (one the actor manages) or in the actor's series titled
    ``series_title``, made when it does not exist. ``position`` is its part number (kept as
    given: an import keeps "Part 3 of"); already in the series, it moves to ``position``.
    Raises ``PermissionDenied`` (not the work's creator or not the series'), ``ValueError``
    (no title)."""
    if series is None:
        title = _title(series_title)
        series = (
            Series.objects.filter(title=title, serial_works__work__creatorships__pseud__user=actor)
            .distinct()
            .first()
        )
        if series is None:
            series = Series.objects.create(title=title)
    else:
        _managed(actor, series)
    entry = SerialWork.objects.filter(series=series, work=work).first()
    if entry is None:
        if position is None:
            position = (series.serial_works.aggregate(m=Max("position"))["m"] or 0) + 1
        entry = SerialWork.objects.create(series=series, work=work, position=position)
        changes.series_parts_added([entry.pk])
    elif position is not None:
        entry.position = position
        entry.save(update_fields=["position"])
    changes.works_changed(series.serial_works.values_list("work_id", flat=True))
    return series


def _renumber(series: Series) -> None:
    """Positions 1..n in their present order."""
    entries = sorted(series.serial_works.all(), key=lambda e: (e.position, e.pk))
    for n, entry in enumerate(entries, start=1):
        if entry.position != n:
            entry.position = n
            entry.save(update_fields=["position"])


@transaction.atomic
def series_update(
    *,
    actor: User,
    series: Series,
    title: str | None = None,
    summary: str | None = None,
    notes: str | None = None,
    complete: bool | None = None,
) -> Series:
    """Rename, describe (HTML, sanitized) or mark complete. Raises ``PermissionDenied``,
    ``ValueError`` (empty title, description too long)."""
    _managed(actor, series)
    fields = []
    if title is not None:
        series.title = _title(title)
        fields.append("title")
    for name, value, limit in (("summary", summary, SUMMARY_MAX), ("notes", notes, NOTES_MAX)):
        if value is not None:
            if len(value) > limit:
                raise ValueError(f"The series {name} is longer than {limit} characters.")
            setattr(series, name, sanitize_html(value))
            fields.append(name)
    if complete is not None:
        series.complete = complete
        fields.append("complete")
    if fields:
        series.save(update_fields=[*fields, "updated_at"])
        changes.works_changed(series.serial_works.values_list("work_id", flat=True))
    return series


@transaction.atomic
def series_reorder(*, actor: User, series: Series, work_ids: list[int]) -> None:
    """Put the series' works in this order (every work of the series, once each). Raises
    ``PermissionDenied``, ``ValueError`` (a list that is not the series' works)."""
    _managed(actor, series)
    entries = {e.work_id: e for e in series.serial_works.all()}
    if sorted(work_ids) != sorted(entries):
        raise ValueError("The new order must list each work of the series once.")
    for n, work_id in enumerate(work_ids, start=1):
        entry = entries[work_id]
        if entry.position != n:
            entry.position = n
            entry.save(update_fields=["position"])
    changes.works_changed(work_ids)


@transaction.atomic
def series_remove_work(*, actor: User, series: Series, work: Work) -> bool:
    """Take the work out of the series (the actor must be its creator); a series left empty
    is deleted, as on AO3. Returns True when the series still exists."""
    _owned_work(actor, work)
    deleted, _ = SerialWork.objects.filter(series=series, work=work).delete()
    if not deleted:
        raise NotFound("That work is not in this series.")
    changes.works_changed([work.pk])
    if not series.serial_works.exists():
        series.delete()
        return False
    _renumber(series)
    return True


@transaction.atomic
def series_delete(*, actor: User, series: Series) -> None:
    """Delete the series; its works stay. Raises ``PermissionDenied``."""
    _managed(actor, series)
    work_ids = list(series.serial_works.values_list("work_id", flat=True))
    series.delete()
    changes.works_changed(work_ids)


def series_for_work_add(*, actor: User, work: Work, entries: list[dict]) -> list[Series]:
    """The API's ``"series": [{"id" | "title", "position"}]``: put the work in each. An
    ``id`` names an existing series the actor manages; a ``title`` the actor's series of that
    name (made when new). Raises ``NotFound`` (no such series), ``PermissionDenied``,
    ``ValueError`` (neither id nor title, a bad position)."""
    done = []
    for entry in entries:
        position = entry.get("position")
        if position is not None and (
            not isinstance(position, int) or not 1 <= position <= POSITION_MAX
        ):
            raise ValueError(f"A series position is a whole number from 1 to {POSITION_MAX}.")
        if entry.get("id") is not None:
            if not isinstance(entry["id"], int) or not 0 < entry["id"] < 2**31:
                raise NotFound(f"No series with id {entry['id']}.")
            series = Series.objects.filter(pk=entry["id"]).first()
            if series is None:
                raise NotFound(f"No series with id {entry['id']}.")
            done.append(series_add_work(actor=actor, work=work, series=series, position=position))
        elif entry.get("title"):
            done.append(
                series_add_work(
                    actor=actor, work=work, series_title=str(entry["title"]), position=position
                )
            )
        else:
            raise ValueError('Each series entry needs an "id" or a "title".')
    return done
