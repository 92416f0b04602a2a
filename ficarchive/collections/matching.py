"""Gift exchange matching, on plain data (no database): potential matches and assignments.

**Potential matches** (AO3's term): giver *g* can write for recipient *r* when some offer of
*g* and some request of *r* share at least the required number of tags of each kind
(``required``, e.g. ``{"fandom": 1, "character": 1}``); the pair's score is the most tags
in common (all kinds) over such prompt pairs. Built with an inverted index, not by
comparing all pairs: per tag kind, the offers' prompt-by-tag incidence matrix in
compressed sparse column form is the index tag → offers, and the sparse product of a block
of requests with it visits only offers sharing a tag (SciPy's sparse matrix product).
Each recipient keeps its ``cap`` best givers and each giver its ``cap`` best recipients (ties
broken by a fixed pseudo-random order), so what is kept grows with sign-ups, not with their
square, and no giver is dropped because every recipient ranks them low.

**Assignments**: a minimum-cost full matching (SciPy's LAPJVsp,
``scipy.sparse.csgraph.min_weight_full_bipartite_matching``) on the potential matches
pruned to each side's ``ASSIGN_K`` best partners (``prune``),
padded so that a full matching always exists: each giver may stay unused and each
recipient unmatched at a cost ``A`` large enough that one more matched recipient always
beats any gain in overlap. So the solution gives the most recipients a giver, then has the
most overlap in total; a giver is never matched to themselves (no such edge exists).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from scipy.sparse.csgraph import min_weight_full_bipartite_matching

TAG_KINDS = ("fandom", "character", "relationship", "freeform")
DEFAULT_CAP = 50
# Givers and recipients each keep this many best partners for the solver (``prune``).
ASSIGN_K = 20
# Request rows per sparse product: smaller blocks bound the memory of the pairs found
# before capping (tens of millions at 30,000 sign-ups), at the same total work.
BLOCK_PROMPTS = 1024

Prompt = dict[str, frozenset[int] | set[int] | list[int]]


@dataclass
class Participant:
    """One sign-up: its requests and offers, each a mapping tag kind → tag ids."""

    requests: Sequence[Prompt]
    offers: Sequence[Prompt]


@dataclass
class Matches:
    """Potential matches as parallel arrays (participant indexes)."""

    giver: np.ndarray
    recipient: np.ndarray
    score: np.ndarray

    def __len__(self) -> int:
        return len(self.giver)


def _incidence(
    prompts: list[tuple[int, Prompt]], kind: str, columns: dict[int, int]
) -> sparse.csr_matrix:
    """Prompt-by-tag 0/1 matrix of one kind (``columns`` maps tag id → column, grown)."""
    rows, cols = [], []
    for row, (_, prompt) in enumerate(prompts):
        for tag in prompt.get(kind, ()):
            rows.append(row)
            cols.append(columns.setdefault(tag, len(columns)))
    data = np.ones(len(rows), dtype=np.int32)
    return sparse.csr_matrix((data, (rows, cols)), shape=(len(prompts), max(len(columns), 1)))


def _flatten(participants: Sequence[Participant], which: str) -> list[tuple[int, Prompt]]:
    return [(i, p) for i, part in enumerate(participants) for p in getattr(part, which)]


def potential_matches(
    participants: Sequence[Participant],
    required: dict[str, int],
    *,
    cap: int = DEFAULT_CAP,
    only_recipients: set[int] | None = None,
    only_givers: set[int] | None = None,
) -> Matches:
    """Every (giver, recipient, score) potential match, at most ``cap`` per recipient (the
    best). ``only_recipients``/``only_givers`` limit the work to some participants (to
    regenerate one). A kind whose ``required`` is 0 adds to the score but is not needed;
    when no kind is required, a pair needs one tag in common of any kind."""
    requests = _flatten(participants, "requests")
    offers = _flatten(participants, "offers")
    empty = Matches(*(np.zeros(0, dtype=np.int64) for _ in range(3)))
    if not requests or not offers:
        return empty
    req_owner = np.array([i for i, _ in requests], dtype=np.int64)
    off_owner = np.array([i for i, _ in offers], dtype=np.int64)
    kinds = [k for k in TAG_KINDS if any(k in p for _, p in requests)]
    needed = [k for k in kinds if required.get(k, 0) > 0]
    if any(required.get(k, 0) > 0 for k in TAG_KINDS if k not in kinds):
        return empty  # a required kind no request names: nobody can match
    req_m, off_t = {}, {}
    for kind in kinds:
        columns: dict[int, int] = {}
        r = _incidence(requests, kind, columns)
        o = _incidence(offers, kind, columns)
        width = max(len(columns), 1)
        r.resize((r.shape[0], width))
        o.resize((o.shape[0], width))
        req_m[kind] = r
        off_t[kind] = o.T.tocsr()  # tags x offers, row per tag: the inverted index
    if only_givers is not None:
        keep = np.isin(off_owner, sorted(only_givers)).astype(np.int32)
        mask = sparse.diags(keep)
        off_t = {k: (m @ mask).tocsr() for k, m in off_t.items()}
    parts = []
    starts = _blocks(req_owner, only_recipients)
    for lo, hi in starts:
        parts.append(
            _block(lo, hi, kinds, needed, required, req_m, off_t, req_owner, off_owner, cap)
        )
    if not parts:
        return empty
    found = Matches(*(np.concatenate([p[i] for p in parts]) for i in range(3)))
    # Each block kept its recipients' best and, within the block, its givers' best: the
    # union holds every giver's global best, which this final pass keeps.
    return prune(found, cap)


def _blocks(req_owner: np.ndarray, only: set[int] | None) -> list[tuple[int, int]]:
    """Ranges of request rows, cut between participants, ``BLOCK_PROMPTS`` rows or so."""
    if only is not None:
        rows = np.flatnonzero(np.isin(req_owner, sorted(only)))
        return [(int(r), int(r) + 1) for r in rows]
    out, lo, n = [], 0, len(req_owner)
    while lo < n:
        hi = min(lo + BLOCK_PROMPTS, n)
        while hi < n and req_owner[hi] == req_owner[hi - 1]:
            hi += 1
        out.append((lo, hi))
        lo = hi
    return out


def _block(lo, hi, kinds, needed, required, req_m, off_t, req_owner, off_owner, cap):  # noqa: PLR0913
    """The potential matches of request rows lo..hi, reduced to participants and capped."""
    products = {k: (req_m[k][lo:hi] @ off_t[k]).tocsr() for k in kinds}
    if needed:
        mask = None
        for kind in needed:
            hit = (products[kind] >= required[kind]).astype(np.int32)
            mask = hit if mask is None else mask.multiply(hit)
    else:
        mask = (sum(products.values()) > 0).astype(np.int32)
    scored = sparse.coo_matrix(sum(products[k].multiply(mask) for k in kinds))
    rows, cols = scored.row, scored.col
    points = np.asarray(scored.data, dtype=np.int64)
    recipient = req_owner[lo + rows]
    giver = off_owner[cols]
    keep = giver != recipient
    recipient, giver, points = recipient[keep], giver[keep], points[keep]
    if not len(points):
        return giver, recipient, points
    n = int(max(req_owner.max(), off_owner.max())) + 1
    if _several_prompts(req_owner[lo:hi]) or _several_prompts(off_owner):
        # Best score per (recipient, giver) over their prompt pairs (only needed when a
        # participant has several requests or offers: else each pair occurs once).
        key = recipient * n + giver
        order = np.lexsort((points, key))
        key, points = key[order], points[order]
        last = np.r_[key[1:] != key[:-1], True]
        key, points = key[last], points[last]
        recipient, giver = key // n, key % n
    tie = _tie(giver, recipient)
    best = _top_k(recipient, points, tie, cap) | _top_k(giver, points, tie, cap)
    return giver[best], recipient[best], points[best]


def _several_prompts(owner: np.ndarray) -> bool:
    """Does some participant own more than one of these prompts (rows sorted by owner)?"""
    return bool(len(owner) > 1 and np.any(owner[1:] == owner[:-1]))


def _tie(giver: np.ndarray, recipient: np.ndarray) -> np.ndarray:
    """A fixed pseudo-random tie-break (not by index, so early sign-ups are not favoured)."""
    return (giver * 2654435761 + recipient * 40503) % 1000003


def _top_k(group: np.ndarray, points: np.ndarray, tie: np.ndarray, k: int) -> np.ndarray:
    """A mask of each group's ``k`` best entries (highest ``points``, then lowest ``tie``):
    one sort on a combined integer key (group, points descending, tie), cheaper than a
    lexsort of three keys over millions of pairs."""
    if not len(group):
        return np.zeros(0, dtype=bool)
    top = int(points.max()) + 1
    key = (group * top + (top - 1 - points)) * 1000003 + tie
    order = np.argsort(key)
    sorted_group = group[order]
    first = np.r_[True, sorted_group[1:] != sorted_group[:-1]]
    group_start = np.maximum.accumulate(np.where(first, np.arange(len(order)), 0))
    rank = np.arange(len(order)) - group_start
    mask = np.zeros(len(group), dtype=bool)
    mask[order[rank < k]] = True
    return mask


def prune(matches: Matches, k: int) -> Matches:
    """Keep each recipient's ``k`` best givers and each giver's ``k`` best recipients (the
    union). Every participant with a potential match keeps one, so nobody who could be
    assigned loses their only chance; the solver's graph shrinks from up to ``cap`` edges
    per recipient to about ``2 k``."""
    if not len(matches):
        return matches
    g, r, s = matches.giver, matches.recipient, matches.score
    tie = _tie(g, r)
    keep = _top_k(r, s, tie, k) | _top_k(g, s, tie, k)
    return Matches(g[keep], r[keep], s[keep])


def assign(n: int, matches: Matches, *, k: int = ASSIGN_K) -> list[tuple[int, int, int]]:
    """Assignments (giver, recipient, score) over ``n`` participants: the most recipients
    given a giver, then the most overlap; each participant gives at most once and receives
    at most once. The graph is first pruned to each side's ``k`` best partners
    (``prune``; ``k=0``: not pruned). See the module docstring for the padding."""
    if n == 0 or len(matches) == 0:
        return []
    if k:
        matches = prune(matches, k)
    g, r, s = matches.giver, matches.recipient, matches.score
    top = int(s.max())
    real_cost = 1 + (top - s)  # 1..top+1: more overlap, lower cost; never zero
    pad = top + 3  # 2*pad > any saving in overlap from leaving a recipient out
    idx = np.arange(n)
    rows = np.concatenate([g, idx, n + idx, n + r])
    cols = np.concatenate([r, n + idx, idx, n + g])
    costs = np.concatenate([real_cost, np.full(n, pad), np.full(n, pad), np.ones(len(g))]).astype(
        np.float64
    )
    graph = sparse.csr_matrix((costs, (rows, cols)), shape=(2 * n, 2 * n))
    row_ind, col_ind = min_weight_full_bipartite_matching(graph)
    real = (row_ind < n) & (col_ind < n)
    givers, recipients = row_ind[real], col_ind[real]
    scores = sparse.csr_matrix((s, (g, r)), shape=(n, n))
    got = np.asarray(scores[givers, recipients]).ravel()
    return list(zip(givers.tolist(), recipients.tolist(), got.astype(int).tolist(), strict=True))
