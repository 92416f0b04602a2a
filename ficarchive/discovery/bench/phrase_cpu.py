"""The database CPU of a phrase search's text part, the two ways PostgreSQL can answer it:
"documents" (the phrase on the documents' GIN/RUM indexes, then ranked by evaluating it
again: the code before issue 17) and "pairs" (the word-pair index of migration 0008, then
the matched ids ranked by primary key). Same phrases (``bench run --seed``'s draw), the
two ways alternated phrase by phrase, each answer checked equal.

CPU is the database backend's user + system time read from ``/proc`` (the server must run
on this machine), so other load on the machine inflates it far less than wall time::

    python -m ficarchive.discovery.bench.phrase_cpu [COUNT] [SEED]

prints one JSON object: per way, ``db_cpu_ms`` and ``wall_ms`` per phrase."""

from __future__ import annotations

import json
import os
import random
import sys
import time


def _cpu_seconds(pid: int) -> float:
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()  # noqa: SIM115
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measure(count: int, seed: int) -> dict:
    """Per way, the mean database CPU and wall time per phrase, in ms (see the module)."""
    from django.db import connection

    from ..backends import postgres as pg
    from ..engines import RANK_CAP
    from ..query import parse_query
    from .run import phrases

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    drawn = phrases(count, random.Random(seed), seeded=True)
    expressions = [pg.match_expression(parse_query(q).clauses[0]) for q in drawn]

    def documents(expression: str) -> list[int]:
        ids = [r[0] for r in pg._fetch(pg.match_ids_sql(), [expression], on_rum=pg.has_rum())]
        if len(ids) > pg.RANK_MAX_MATCHES:
            return []
        return pg.top_ranked(expression, RANK_CAP, matches=len(ids))

    def pairs(expression: str) -> list[int]:
        ids = pg.match_ids(expression)
        if len(ids) > pg.RANK_MAX_MATCHES:
            return []
        return pg.top_ranked(expression, RANK_CAP, matches=len(ids), ids=ids)

    ways = {"documents": documents, "pairs": pairs}
    for expression in expressions:  # warm both, and check they agree
        if documents(expression) != pairs(expression):
            raise AssertionError(f"the two ways differ on {expression}")
    totals = {name: [0.0, 0.0] for name in ways}
    for turn in range(2):
        for expression in expressions:
            for name in sorted(ways, reverse=bool(turn)):
                cpu, wall = _cpu_seconds(pid), time.perf_counter()
                ways[name](expression)
                totals[name][0] += _cpu_seconds(pid) - cpu
                totals[name][1] += time.perf_counter() - wall
    n = 2 * len(expressions)
    return {
        "phrases": len(expressions),
        "load_average": os.getloadavg()[0],
        **{
            name: {"db_cpu_ms": round(c / n * 1000, 2), "wall_ms": round(w / n * 1000, 2)}
            for name, (c, w) in totals.items()
        },
    }


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    import django

    django.setup()
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 40
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    print(json.dumps(measure(count, seed)))


if __name__ == "__main__":
    main()
