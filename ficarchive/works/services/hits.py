"""Writes of hits: one visitor's visit on one day (``WorkHit``) and the works' hit counts.

``hit_record`` writes one visit at once (the fallback when the buffer fails);
``hits_add`` writes a batch of buffered visits (``works.hits``) in one transaction. Both
count a visit once per visitor per day, as AO3 does: the ``workhit_once_a_day`` unique
constraint decides, so a visit flushed twice (a flush that crashed after its commit) or
recorded both ways is still one hit."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone

from ..models import Work, WorkHit

Visit = tuple[int, str, dt.date]  # (work id, visitor digest, day)
_CHUNK = 300


def visitor_digest(visitor_key: str) -> str:
    """The stored form of a visitor ("user:ID" or "guest:ADDRESS:AGENT"): a keyed hash, so
    no address is kept in clear. 64 hex characters."""
    return hashlib.sha256(f"{settings.SECRET_KEY}:{visitor_key}".encode()).hexdigest()


def hit_record(*, work: Work, visitor_key: str, day: dt.date | None = None) -> bool:
    """Count a visit now: once per visitor per day. Returns whether it counted."""
    day = day or timezone.localdate()
    try:
        with transaction.atomic():
            WorkHit.objects.create(work=work, visitor=visitor_digest(visitor_key), day=day)
            Work.objects.filter(pk=work.pk).update(hit_count=F("hit_count") + 1)
    except IntegrityError:
        return False
    return True


@transaction.atomic
def hits_add(*, visits: Iterable[Visit]) -> dict[int, int]:
    """Write buffered visits: each (work id, visitor digest, day) not yet recorded becomes a
    ``WorkHit`` and one more hit on its work; visits already recorded, and visits of works
    deleted since, count nothing. Returns {work id: hits added}. One INSERT per 300 visits
    (``ON CONFLICT DO NOTHING RETURNING``, SQLite 3.35+ and PostgreSQL) and one UPDATE per
    work."""
    batch = sorted(set(visits))
    live = set(Work.objects.filter(pk__in={v[0] for v in batch}).values_list("pk", flat=True))
    batch = [v for v in batch if v[0] in live]
    added: Counter[int] = Counter()
    table = WorkHit._meta.db_table
    adapt = connection.ops.adapt_datefield_value
    with connection.cursor() as cursor:
        for start in range(0, len(batch), _CHUNK):
            chunk = batch[start : start + _CHUNK]
            params: list[Any] = []
            for work_id, visitor, day in chunk:
                params += [work_id, visitor, adapt(day)]
            cursor.execute(
                f'INSERT INTO "{table}" ("work_id", "visitor", "day") VALUES '  # noqa: S608
                + ", ".join(["(%s, %s, %s)"] * len(chunk))
                + ' ON CONFLICT ("work_id", "visitor", "day") DO NOTHING RETURNING "work_id"',
                params,
            )
            added.update(row[0] for row in cursor.fetchall())
    for work_id, count in sorted(added.items()):
        Work.objects.filter(pk=work_id).update(hit_count=F("hit_count") + count)
    return dict(added)
