"""The matcher on plain data: potential matches with the required overlap, assignments
that give the most recipients a giver, then the most overlap; nobody to themselves."""

from __future__ import annotations

import io
import json
import random

import networkx as nx
import numpy as np
import pytest
from django.core.management import call_command

from ficarchive.collections.matching import Participant, assign, potential_matches


def p(req_f, off_f, req_c=(), off_c=()):
    return Participant(
        requests=[{"fandom": set(req_f), "character": set(req_c)}],
        offers=[{"fandom": set(off_f), "character": set(off_c)}],
    )


def test_required_overlap_per_kind():
    """A pair needs the required number of shared tags of each kind; the score counts all."""
    people = [p([1], [2], [10, 11], [20]), p([2], [1], [20], [10, 11])]
    found = potential_matches(people, {"fandom": 1, "character": 2})
    assert list(
        zip(found.giver.tolist(), found.recipient.tolist(), found.score.tolist(), strict=True)
    ) == [(1, 0, 3)]
    assert len(potential_matches(people, {"fandom": 2})) == 0


def test_no_self_match_even_when_one_offers_what_they_request():
    people = [p([1], [1]), p([2], [2])]
    assert len(potential_matches(people, {"fandom": 1})) == 0
    assert assign(2, potential_matches(people, {"fandom": 1})) == []


def test_cardinality_beats_overlap():
    """Giving two recipients a giver beats giving one recipient a better match."""
    # 0 can write for 1 (overlap 3) or 2 (overlap 1); 3 can write only for 1 (overlap 1).
    people = [
        p([9], [1, 2, 3], [], []),
        p([1, 2, 3], [9]),
        p([1], [8]),
        p([7], [2]),
    ]
    pairs = assign(4, potential_matches(people, {"fandom": 1}))
    givers = {r: g for g, r, _ in pairs}
    assert givers.get(2) == 0 and givers.get(1) == 3


@pytest.mark.parametrize("seed", range(8))
def test_as_many_as_a_maximum_matching(seed):
    """On random small exchanges the assignment count equals NetworkX's maximum bipartite
    matching on the same potential matches (an independent solver)."""
    rng = random.Random(seed)
    n = 25
    people = [p(rng.sample(range(6), 2), rng.sample(range(6), 1)) for _ in range(n)]
    found = potential_matches(people, {"fandom": 1})
    pairs = assign(n, found)
    graph = nx.Graph()
    graph.add_nodes_from((("g", i) for i in range(n)), bipartite=0)
    graph.add_nodes_from((("r", i) for i in range(n)), bipartite=1)
    graph.add_edges_from(
        (("g", g), ("r", r))
        for g, r in zip(found.giver.tolist(), found.recipient.tolist(), strict=True)
    )
    best = nx.bipartite.maximum_matching(graph, top_nodes=[("g", i) for i in range(n)])
    assert len(pairs) == len(best) // 2
    assert all(g != r for g, r, _ in pairs)
    assert len({g for g, _, _ in pairs}) == len(pairs) == len({r for _, r, _ in pairs})


def test_cap_keeps_best_per_recipient_and_per_giver():
    """The cap holds per recipient, except that each giver keeps its own best recipients:
    ten givers who can write only for participant 0 all keep that edge."""
    people = [p([1], [5])] + [p([5], [1], [], []) for _ in range(10)]
    found = potential_matches(people, {"fandom": 1}, cap=3)
    assert (found.recipient == 0).sum() == 10
    assert (found.giver == 0).sum() == 10  # each of 1..10 keeps its only giver
    many = [p([1], [1]) for _ in range(12)]
    capped = potential_matches(many, {"fandom": 1}, cap=3)
    assert len(capped) <= 2 * 3 * 12 < len(potential_matches(many, {"fandom": 1}))
    assert min(np.bincount(capped.recipient)) >= 3 and min(np.bincount(capped.giver)) >= 3


@pytest.mark.django_db
def test_bench_command_prints_figures():
    out = io.StringIO()
    call_command("challenge", "bench", "--signups", "60", "--json", stdout=out)
    row = json.loads(out.getvalue())
    assert row["signups"] == 60 and 0 < row["assigned"] <= 60
    assert {"seconds", "matched_share", "max_rss_mib", "potential_matches"} <= set(row)


def test_pruning_keeps_every_givers_best():
    """Pruned to one partner a side, a giver whom every recipient ranks last still keeps
    their best recipient, so the assignments match as many as the full graph does."""
    from ficarchive.collections.matching import Matches, prune

    # Participants 0-3 give and receive; giver 0 scores 5 with everyone, giver 1 scores 1.
    g = np.array([0, 0, 0, 1, 1, 1])
    r = np.array([1, 2, 3, 0, 2, 3])
    s = np.array([5, 5, 5, 1, 1, 1])
    pruned = prune(Matches(g, r, s), 1)
    assert 1 in pruned.giver.tolist()  # the fallback edge of giver 1
    assert len(assign(4, Matches(g, r, s), k=1)) == len(assign(4, Matches(g, r, s), k=0)) == 2


def test_pruning_keeps_the_share_of_the_benchmark():
    """On the benchmark's sign-ups, the pruned solver assigns as many as the full graph."""
    from ficarchive.collections.bench import synthetic_signups

    people = synthetic_signups(600)
    found = potential_matches(people, {"fandom": 1, "character": 1})
    assert len(assign(600, found)) == len(assign(600, found, k=0))
