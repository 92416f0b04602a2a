"""What a posting form or the API adds to a work beyond the work itself: the collections
it goes into, its gift recipients and its series (AO3's posting form has all three)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
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
    (``{"id"|"title", "position"}``). All or nothing. A name or id in the request that
    does not exist is bad input of its field, not a missing address: raises
    ``ValidationError`` keyed by the field (``collections``: unknown or closed;
    ``gift_to``: a refused gift, yourself; ``series``: an unknown id, a bad entry), and
    ``PermissionDenied`` (someone else's series). A ``gift_to`` name with no account is a
    gift to that name, as AO3 allows (``gifts.gift_add``)."""
    if collections is not None:
        with _field("collections"):
            for name in collections:
                collection = collection_by_name(name)
                if not CollectionItem.objects.filter(collection=collection, work=work).exists():
                    item_add(actor=actor, collection=collection, work=work)
    if gift_to is not None:
        with _field("gift_to"):
            gifts_set(actor=actor, work=work, names=gift_to)
    if series:
        with _field("series"):
            series_for_work_add(actor=actor, work=work, entries=series)  # type: ignore[arg-type]


@contextmanager
def _field(name: str) -> Iterator[None]:
    """Turn the validation errors, unknown names (``NotFound``) and bad values
    (``ValueError``) raised inside into one ``ValidationError`` of field ``name``."""
    try:
        yield
    except (NotFound, ValueError) as exc:
        raise ValidationError({name: [str(exc)]}) from None
    except ValidationError as exc:
        raise ValidationError({name: exc.messages}) from None


def work_extras_json(work: Work) -> dict[str, Any]:
    """``collections`` (names of the collections the work is approved in) and ``gift_to``
    (recipients, refused gifts left out), for the API's work object."""
    from ..selectors import gift_names_of

    names = CollectionItem.objects.filter(
        work=work, collection_approval="approved", creator_approval="approved"
    ).values_list("collection__name", flat=True)
    return {"collections": sorted(names), "gift_to": gift_names_of(work)}
