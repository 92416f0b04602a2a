"""Which tags a work carries, keeping each tag's use count right."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction
from django.db.models import F

from ..models import Tag, Tagging
from ..vocabulary import TagKind


@transaction.atomic
def work_tags_set(*, work, tags_by_kind: dict[str, Sequence[Tag]]) -> None:
    """Make the work's tags of the given kinds exactly these (other kinds untouched),
    keeping each tag's use count right."""
    kinds = list(tags_by_kind)
    wanted: list[Tag] = []
    for kind in kinds:
        wanted.extend(tags_by_kind[kind])
    wanted_ids = [t.pk for t in wanted]
    current = Tagging.objects.filter(work=work, tag__kind__in=kinds)
    removed_ids = list(current.exclude(tag_id__in=wanted_ids).values_list("tag_id", flat=True))
    if removed_ids:
        Tagging.objects.filter(work=work, tag_id__in=removed_ids).delete()
        Tag.objects.filter(pk__in=removed_ids, uses__gt=0).update(uses=F("uses") - 1)
    existing = set(
        Tagging.objects.filter(work=work, tag_id__in=wanted_ids).values_list("tag_id", flat=True)
    )
    new = []
    for position, tag in enumerate(wanted):
        if tag.pk not in existing:
            new.append(Tagging(work=work, tag=tag, position=position))
            existing.add(tag.pk)
        else:
            Tagging.objects.filter(work=work, tag=tag).update(position=position)
    Tagging.objects.bulk_create(new)
    if new:
        Tag.objects.filter(pk__in=[t.tag_id for t in new]).update(uses=F("uses") + 1)


@transaction.atomic
def work_tags_clear(*, work) -> None:
    """Take every tag off the work (before it is deleted), keeping use counts right."""
    work_tags_set(work=work, tags_by_kind={kind: [] for kind in TagKind})
