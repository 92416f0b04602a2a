"""Where rate-limit counters and log-in locks live: one store every worker and app server
shares.

Two stores behind one small interface (`incr`, `get`, `put`, `delete`):

- ``database`` (the default without REDIS_URL): a row per counter in ``core_ratecounter``,
  bumped with one ``INSERT ... ON CONFLICT DO UPDATE ... RETURNING`` statement, atomic in
  SQLite (3.35+) and PostgreSQL alike, so two gunicorn workers or two machines on one
  database count the same events once each. Expired rows are swept now and then.
- ``cache``: Django's cache (`cache.add` + `cache.incr`, atomic in Redis). The default when
  REDIS_URL is set. With the local-memory cache it counts per process, which is why
  `manage.py check --deploy` warns about it (``ficarchive.core.checks``).

Chosen by settings.FICARCHIVE_RATELIMIT_STORE ("database" or "cache").
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import connection, models, transaction
from django.utils import timezone

# One sweep of expired rows every this many increments, on average.
_SWEEP_ONE_IN = 200


class RateCounter(models.Model):
    """One counter (or lock) of the rate limits: ``key`` is ``scope:digest:window``, hashed
    so addresses and account names are never stored in clear."""

    key = models.CharField(max_length=120, unique=True)
    count = models.BigIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        app_label = "core"

    def __str__(self) -> str:
        return f"{self.key}={self.count}"


def store_name() -> str:
    """ "database" or "cache" (settings.FICARCHIVE_RATELIMIT_STORE)."""
    return str(getattr(settings, "FICARCHIVE_RATELIMIT_STORE", "database"))


# Standard SQL identifiers in double quotes: the same statement for SQLite and PostgreSQL.
_UPSERT = (
    'INSERT INTO "core_ratecounter" ("key", "count", "expires_at") VALUES (%s, 1, %s) '
    'ON CONFLICT ("key") DO UPDATE SET '
    '"count" = CASE WHEN "core_ratecounter"."expires_at" > %s '
    'THEN "core_ratecounter"."count" + 1 ELSE 1 END, '
    '"expires_at" = CASE WHEN "core_ratecounter"."expires_at" > %s '
    'THEN "core_ratecounter"."expires_at" ELSE excluded."expires_at" END '
    'RETURNING "count"'
)


def _db_incr(key: str, timeout: int) -> int:
    now = timezone.now()
    expires = now + timedelta(seconds=timeout)
    # An expired row starts again at 1: the counter is reused only by keys without a
    # window number (locks), whose old value must not leak into the new period.
    with transaction.atomic(), connection.cursor() as cursor:
        adapt = connection.ops.adapt_datetimefield_value
        cursor.execute(_UPSERT, [key, adapt(expires), adapt(now), adapt(now)])
        value = int(cursor.fetchone()[0])
    if random.randrange(_SWEEP_ONE_IN) == 0:  # noqa: S311 (not for security)
        sweep()
    return value


def sweep() -> int:
    """Delete expired counters; returns how many."""
    deleted, _ = RateCounter.objects.filter(expires_at__lte=timezone.now()).delete()
    return deleted


def incr(key: str, timeout: int) -> int:
    """Add one to ``key`` (created at 1, living ``timeout`` seconds) and return the count."""
    if store_name() == "cache":
        cache.add(key, 0, timeout=timeout)
        try:
            return int(cache.incr(key))
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=timeout)
            return 1
    return _db_incr(key, timeout)


def get(key: str) -> int:
    """The current value of ``key``; 0 when absent or expired."""
    if store_name() == "cache":
        return int(cache.get(key, 0) or 0)
    row = (
        RateCounter.objects.filter(key=key, expires_at__gt=timezone.now())
        .values_list("count", flat=True)
        .first()
    )
    return int(row or 0)


def put(key: str, value: int, timeout: int) -> None:
    """Set ``key`` to ``value`` for ``timeout`` seconds (used for locks: value = until)."""
    if store_name() == "cache":
        cache.set(key, value, timeout=timeout)
        return
    RateCounter.objects.update_or_create(
        key=key,
        defaults={"count": value, "expires_at": timezone.now() + timedelta(seconds=timeout)},
    )


def delete(key: str) -> None:
    """Forget ``key``."""
    if store_name() == "cache":
        cache.delete(key)
        return
    RateCounter.objects.filter(key=key).delete()
