"""Writes to series."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max

from ficarchive.accounts.models import User
from ficarchive.core import changes

from ..models import (
    SerialWork,
    Series,
    Work,
)
from ._inputs import TITLE_MAX


@transaction.atomic
def series_add_work(
    *, actor: User, work: Work, series_title: str, position: int | None = None
) -> Series:
    """Put the work in the actor's series of that title, made when it does not exist."""
    title = " ".join(series_title.split())[:TITLE_MAX]
    series = (
        Series.objects.filter(title=title, serial_works__work__creatorships__pseud__user=actor)
        .distinct()
        .first()
    )
    if series is None:
        series = Series.objects.create(title=title)
    if position is None:
        position = (series.serial_works.aggregate(m=Max("position"))["m"] or 0) + 1
    entry, made = SerialWork.objects.get_or_create(
        series=series, work=work, defaults={"position": position}
    )
    if made:
        changes.series_parts_added([entry.pk])
    return series
