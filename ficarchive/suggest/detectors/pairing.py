"""The category of a work's romance read from pronouns, when no named pair is found.

"He kissed her" is F/M, "she kissed her" F/F, "he kissed him" M/M: around each romantic
or sexual cue, the subject pronoun just before it and the object pronoun just after it
say who does what to whom. Used only when the relationships found name no romantic pair,
so a work full of romance is not called Gen for want of character tags.

Chinese is read the same way with its own pronouns, 他 (he) and 她 (she), which written
Chinese tells apart, around a short list of romance words (吻 kiss, 拥抱 embrace, 爱 love
...): "他吻了她" is F/M. The list is general vocabulary written for this project.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from ficarchive.tags.vocabulary import Category, TagKind

from ..suggestions import Evidence, Suggestion
from ..text import Chapter
from .context import ScoredHit

ROMANTIC_FAMILIES = frozenset({"romance", "sex_implied", "sex_explicit"})
_FAMILIES = ROMANTIC_FAMILIES
# Chinese romance and sex words (general vocabulary), and the pronouns right around them.
_ZH_ROMANCE = re.compile(
    r"亲吻|接吻|吻|拥吻|拥抱|抱住|搂住|爱上|爱着|我爱你|喜欢你|恋人|情人|恋爱|约会|"
    r"做爱|上床|同床|求婚|心动|脸红"
)
_ZH_BEFORE = re.compile(r"(他|她)[^。！？，；\n他她]{0,4}$")
_ZH_AFTER = re.compile(r"^[了着过]?[^。！？，；\n他她]{0,3}?(他|她)(?!们)")
_ZH_GENDER = {"他": "M", "她": "F"}
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
    for ch in chapters:
        for m in _ZH_ROMANCE.finditer(ch.text):
            before = _ZH_BEFORE.search(ch.text, max(0, m.start() - 6), m.start())
            after = _ZH_AFTER.match(ch.text[m.end() : m.end() + 6])
            if not before or not after:
                continue
            if ch.text[before.start(1) - 1 : before.start(1)] == "其":  # 其他 "other"
                continue
            category = _CATEGORY[_ZH_GENDER[before.group(1)] + _ZH_GENDER[after.group(1)]]
            votes[category.value] += 1
            start, end = before.start(1), m.end() + after.end()
            passages.setdefault(category.value, []).append(
                Evidence(ch.number, m.start(), m.end(), ch.text[start:end], start)
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


def romance_weight(chapters: Sequence[Chapter], hits: Sequence[ScoredHit]) -> float:
    """How much romance the text holds: the weight of its romantic and sexual cue hits
    (English), plus one per Chinese romance word."""
    english = sum(h.value for h in hits if h.hit.family in _FAMILIES and h.factor > 0)
    return english + sum(len(_ZH_ROMANCE.findall(ch.text)) for ch in chapters)
