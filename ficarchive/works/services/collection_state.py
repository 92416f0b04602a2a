"""The collection flags on works (AO3's ``in_anonymous_collection`` and
``in_unrevealed_collection``). The collections app decides them from its items and calls
this; the access module reads them (``access.is_anonymous``, ``ListingRule.drop_unrevealed``)."""

from __future__ import annotations

from django.db import transaction

from ficarchive.core import changes

from ..models import Work


@transaction.atomic
def works_collection_state_set(*, states: dict[int, tuple[bool, bool]]) -> list[int]:
    """Set ``(in_anonymous_collection, in_unrevealed_collection)`` per work id, and tell the
    indexes about the works whose flags changed. Unknown ids are ignored. Returns the ids
    of the works that changed."""
    changed: list[int] = []
    works = Work.objects.filter(pk__in=list(states)).only(
        "pk", "in_anonymous_collection", "in_unrevealed_collection"
    )
    for work in works:
        anonymous, unrevealed = states[work.pk]
        if (work.in_anonymous_collection, work.in_unrevealed_collection) == (
            anonymous,
            unrevealed,
        ):
            continue
        work.in_anonymous_collection, work.in_unrevealed_collection = anonymous, unrevealed
        work.save(update_fields=["in_anonymous_collection", "in_unrevealed_collection"])
        changed.append(work.pk)
    changes.works_changed(changed)
    return changed
