"""The category of a work's romance read from pronouns, when no named pair is found.

"He kissed her" is F/M, "she kissed her" F/F, "he kissed him" M/M: around each romantic
or sexual cue, the subject pronoun just before it and the object pronoun just after it
say who does what to whom. Used only when the relationships found name no romantic pair,
so a work full of romance is not called Gen for want of character tags.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from ficarchive.tags.vocabulary import Category, TagKind

from ..suggestions import Evidence, Suggestion
from ..text import Chapter
from .context import ScoredHit

_FAMILIES = frozenset({"romance", "sex_implied", "sex_explicit"})
_SUBJECT = re.compile(r"\b(he|she)\b(?:\s+\w+){0,2}\s*$", re.I)
_OBJECT = re.compile(r"^\s*(?:\w+\s+){0,2}?(him|her|himself|herself)\b", re.I)
_GENDER = {"he": "M", "him": "M", "himself": "M", "she": "F", "her": "F", "herself": "F"}
_CATEGORY = {"FM": Category.FM, "MF": Category.FM, "MM": Category.MM, "FF": Category.FF}
MIN_VOTES = 3
MULTI_SHARE = 0.3  # a second category this common makes the work Multi


def pronoun_categories(chapters: Sequence[Chapter], hits: Sequence[ScoredHit]) -> list[Suggestion]:
    """Categories voted by "subject pronoun, cue, object pronoun" around romantic and
    sexual cues (reflexives skipped); none below :data:`MIN_VOTES` votes. Each carries
    its share of the votes as its confidence (at most 0.8) and up to three passages."""
    chapter_of = {ch.number: ch for ch in chapters}
    votes: Counter[str] = Counter()
    passages: dict[str, list[Evidence]] = {}
    for h in hits:
        if h.hit.family not in _FAMILIES or h.factor <= 0:
            continue
        text = chapter_of[h.chapter].text
        before = _SUBJECT.search(text[max(0, h.hit.start - 30) : h.hit.start])
        after = _OBJECT.search(text[h.hit.end : h.hit.end + 30])
        if not before or not after or after.group(1).lower().endswith("self"):
            continue
        category = _CATEGORY[_GENDER[before.group(1).lower()] + _GENDER[after.group(1).lower()]]
        votes[category.value] += 1
        start = h.hit.start - 30 + before.start() if h.hit.start >= 30 else before.start()
        end = h.hit.end + after.end()
        passages.setdefault(category.value, []).append(
            Evidence(h.chapter, h.hit.start, h.hit.end, text[max(0, start) : end], max(0, start))
        )
    total = sum(votes.values())
    if total < MIN_VOTES:
        return []
    chosen = [(c, n) for c, n in votes.most_common() if n / total >= MULTI_SHARE]
    out = [
        Suggestion(
            name=c,
            kind=TagKind.CATEGORY.value,
            score=min(0.8, n / total),
            evidence=passages[c][:3],
            details={"reason": "pronouns around romantic and sexual cues", "votes": n},
        )
        for c, n in chosen
    ]
    if len(out) > 1:
        out.append(Suggestion(Category.MULTI.value, TagKind.CATEGORY.value, 0.4))
    return out
