"""The exchange matching benchmark (`ficarchive challenge bench`): synthetic sign-ups as
the issue describes them, matched by ``matching`` (potential matches, then assignments),
timed, with the share of participants matched and the memory used.

Each sign-up has one request and one offer; each names 1-3 fandoms of ``fandoms`` (400)
drawn with Zipf-like popularity (weight 1/rank) and 2-10 characters from those fandoms
(30 a fandom, also 1/rank within the pool). Required overlap: 1 fandom and 1 character."""

from __future__ import annotations

import resource
import time
from typing import Any

import numpy as np

from . import matching

CHARACTERS_PER_FANDOM = 30


def synthetic_signups(n: int, *, fandoms: int = 400, seed: int = 1) -> list[matching.Participant]:
    """``n`` participants as described in the module docstring (deterministic per seed)."""
    rng = np.random.default_rng(seed)
    weights = 1 / np.arange(1, fandoms + 1)
    weights /= weights.sum()

    def prompt() -> matching.Prompt:
        chosen = rng.choice(fandoms, size=int(rng.integers(1, 4)), replace=False, p=weights)
        pool = [f * 1000 + c for f in chosen.tolist() for c in range(CHARACTERS_PER_FANDOM)]
        cw = 1 / np.arange(1, len(pool) + 1)
        cw /= cw.sum()
        size = min(len(pool), int(rng.integers(2, 11)))
        chars = rng.choice(pool, size=size, replace=False, p=cw)
        return {"fandom": set(chosen.tolist()), "character": set(chars.tolist())}

    return [matching.Participant(requests=[prompt()], offers=[prompt()]) for _ in range(n)]


def _rss_mib() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def run(n: int, *, required: dict[str, int] | None = None) -> dict[str, Any]:
    """Match ``n`` synthetic sign-ups; times in seconds, memory in MiB: the process's peak
    resident size before matching (Django and the generated sign-ups) and after it. Run one
    size per process for a clean peak."""
    required = required or {"fandom": 1, "character": 1}
    people = synthetic_signups(n)
    before = _rss_mib()
    t0 = time.perf_counter()
    found = matching.potential_matches(people, required)
    t1 = time.perf_counter()
    pairs = matching.assign(n, found)
    t2 = time.perf_counter()
    return {
        "signups": n,
        "potential_matches": len(found),
        "assigned": len(pairs),
        "matched_share": round(len(pairs) / n, 4) if n else 0.0,
        "potential_seconds": round(t1 - t0, 2),
        "assign_seconds": round(t2 - t1, 2),
        "seconds": round(t2 - t0, 2),
        "rss_before_mib": before,
        "max_rss_mib": _rss_mib(),
    }
