"""What a posting form or the API adds to a work beyond the work itself: the collections
it goes into, its gift recipients and its series (AO3's posting form has all three)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from ficarchive.core.errors import NotFound
from ficarchive.core.viewers import Viewer
from ficarchive.works.models import Work
from ficarchive.works.services import series_for_work_add

from ..models import CollectionItem
from .collections import collection_by_name, item_add
from .gifts import gifts_set


@transaction.atomic
def work_extras_apply(
    *,
    actor: Viewer,
    work: Work,
    collections: list[str] | None = None,
    gift_to: list[str] | None = None,
    series: list[dict[str, Any]] | None = None,
) -> None:
    """Put the work in each named collection it is not in yet (``None``: leave them as
    they are), make its gifts exactly ``gift_to``, and add it to each series entry
    (``{"id"|"title", "position"}``). All or nothing: raises ``ValidationError`` (an
    unknown collection, a closed one, a refused gift, a bad series entry),
    ``PermissionDenied``, ``NotFound`` (an unknown series)."""
    if collections is not None:
        for name in collections:
            try:
                collection = collection_by_name(name)
            except NotFound as exc:
                raise ValidationError(str(exc)) from None
            if not CollectionItem.objects.filter(collection=collection, work=work).exists():
                item_add(actor=actor, collection=collection, work=work)
    if gift_to is not None:
        gifts_set(actor=actor, work=work, names=gift_to)
    if series:
        try:
            series_for_work_add(actor=actor, work=work, entries=series)  # type: ignore[arg-type]
        except ValueError as exc:
            raise ValidationError(str(exc)) from None


def work_extras_json(work: Work) -> dict[str, Any]:
    """``collections`` (names of the collections the work is approved in) and ``gift_to``
    (recipients, refused gifts left out), for the API's work object."""
    from ..selectors import gift_names_of

    names = CollectionItem.objects.filter(
        work=work, collection_approval="approved", creator_approval="approved"
    ).values_list("collection__name", flat=True)
    return {"collections": sorted(names), "gift_to": gift_names_of(work)}
