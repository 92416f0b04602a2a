"""AO3 categories from the relationships found and the characters' genders.

AO3's categories (https://archiveofourown.org/faq/tags, "Categories"): F/F, F/M and
M/M for romantic or sexual relationships between women, between a woman and a man and
between men; Gen for no romantic or sexual relationship as a focus; Multi for more than
one kind of relationship or a relationship with several partners; Other for anything
else. A work may carry several.

Order of reading, first that answers wins:

1. Romantic pairs found (by the relationship detector, or shown together in the text and
   tagged "A/B" in the archive) whose partners' genders the pronouns say
   (:mod:`.genders`); a partner the pronouns leave open takes the text's own balance of
   pronouns when that is one-sided (a story told almost only with "he" is about men).
   "He kissed her"-style pronoun votes around romantic cues (:mod:`.pairing`) are
   joined with these when they name another kind (then Multi, as AO3 authors tag such
   works).
2. Romance in the text with nobody named (the archive knows no characters yet, or the
   text is Chinese), or a romantic pair whose genders 1 could not tell: the text's
   pronoun balance gives the kind when it is one-sided.
3. Else the pronoun votes alone.
4. No romance: Gen. A romantic pair of unknown kind: no category (the author picks).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from ...tags.vocabulary import Category, TagKind
from ..lexicon import CharacterLexicon
from ..suggestions import Suggestion
from ..text import Chapter
from .characters import CharacterFindings
from .context import ScoredHit
from .genders import character_genders, pronoun_counts
from .pairing import ROMANTIC_FAMILIES, pronoun_categories, romance_weight
from .relationships import more_romantic_pairs

_KIND = {"FM": Category.FM, "MF": Category.FM, "MM": Category.MM, "FF": Category.FF}
BALANCE = 4.0  # one side this many times the other makes the balance one-sided
BALANCE_MIN = 20  # pronouns needed before the balance says anything
ROMANCE_MIN = 6.0  # romance cue weight that makes a text romantic with nobody named


def pronoun_balance(chapters: Sequence[Chapter]) -> str | None:
    """``"M"`` when the text's third-person pronouns (English and Chinese, counted by
    :func:`~.genders.pronoun_counts` over a long work's start) are :data:`BALANCE` times
    more often masculine than feminine, ``"F"`` for the reverse, ``None`` when mixed or
    too few."""
    male, female = pronoun_counts(chapters)
    if male + female < BALANCE_MIN:
        return None
    if male >= BALANCE * female:
        return "M"
    if female >= BALANCE * male:
        return "F"
    return None


def detect_categories(
    relationships: Sequence[Suggestion], genders: dict[str, str], default: str | None = None
) -> list[Suggestion]:
    """F/M, M/M, F/F from romantic pairs' genders (``default`` for a partner whose gender
    is unknown; a pair with an unknown partner and no default gives nothing); Multi when
    there are several kinds or a romantic group; Gen when no romantic relationship."""
    kinds: dict[str, list[Suggestion]] = defaultdict(list)
    romantic = [
        r for r in relationships if r.details.get("romantic") and not r.details.get("group")
    ]
    for r in romantic:
        a, b = r.details["characters"]
        ga, gb = genders.get(a, default), genders.get(b, default)
        if ga and gb:
            kinds[_KIND[ga + gb].value].append(r)
    out = [
        Suggestion(
            name=name,
            kind=TagKind.CATEGORY.value,
            score=max(r.score for r in rels) * 0.9,
            evidence=[e for r in rels for e in r.evidence[:1]],
            details={"relationships": [r.name for r in rels]},
        )
        for name, rels in sorted(kinds.items(), key=lambda t: -max(r.score for r in t[1]))
    ]
    if len(out) > 1 or (
        out and any(r.details.get("group") for r in relationships if r.details.get("romantic"))
    ):
        out.append(_multi(out))
    if not romantic:
        out.append(_gen())
    return out


def work_categories(
    chapters: Sequence[Chapter],
    findings: CharacterFindings,
    relationships: Sequence[Suggestion],
    hits: Sequence[ScoredHit],
    lexicon: CharacterLexicon,
) -> list[Suggestion]:
    """The categories of a work, best first (see the module docstring for the order)."""
    balance = pronoun_balance(chapters)
    every = [*relationships, *more_romantic_pairs(findings)]
    named = detect_categories(
        as_tagged(every, lexicon), character_genders(chapters, findings), balance
    )
    real = [c for c in named if c.name not in (Category.GEN.value, Category.MULTI.value)]
    pronouns = pronoun_categories(chapters, hits)
    if real:
        return joined(named, pronouns)
    paired = any(r.details.get("romantic") for r in relationships)
    if balance and (paired or romance_weight(chapters, hits) >= ROMANCE_MIN):
        # Nobody named: a text told almost only with "he" (他) is about men, whatever a
        # side couple's "he kissed her" says (Chinese names its same-sex partners rather
        # than writing 他吻了他, so its pronoun votes lean towards F/M).
        return [
            Suggestion(
                _KIND[balance + balance].value,
                TagKind.CATEGORY.value,
                0.4,
                details={"reason": "romance in the text; its pronouns are nearly all one gender"},
            )
        ]
    if pronouns:
        return pronouns
    # A romantic pair whose kind nothing tells: no category rather than a wrong Gen.
    return [] if paired else [_gen()]


def joined(named: list[Suggestion], pronouns: list[Suggestion]) -> list[Suggestion]:
    """The named pairs' categories with those the pronouns vote for: with no named
    romantic pair the pronouns decide; a pronoun category the pairs lack is added, and
    the work becomes Multi (AO3: "more than one kind of relationship")."""
    real = [c for c in named if c.name not in (Category.GEN.value, Category.MULTI.value)]
    if not real:
        return pronouns or named
    have = {c.name for c in real}
    extra = [c for c in pronouns if c.name not in have and c.name != Category.MULTI.value]
    if not extra:
        return named
    out = real + extra
    return out + ([c for c in named if c.name == Category.MULTI.value] or [_multi(out)])


def as_tagged(relationships: Sequence[Suggestion], lexicon: CharacterLexicon) -> list[Suggestion]:
    """The relationships found, each pair the archive already tags as romantic ("A/B")
    counted as romantic, for the category only.

    The text alone often shows a pair together without a cue the rules read as romance;
    the archive's own relationship tags (its authors' and wranglers' choice) say the pair
    is a romantic one in this fandom. The relationship suggestions themselves are left
    as the text showed them."""
    out = []
    for r in relationships:
        pair = frozenset(r.details.get("characters", ()))
        if (
            not r.details.get("romantic")
            and len(pair) == 2
            and ("/", pair) in lexicon.relationships
        ):
            r = Suggestion(r.name, r.kind, r.score, r.evidence, {**r.details, "romantic": True})
        out.append(r)
    return out


def _multi(out: Sequence[Suggestion]) -> Suggestion:
    return Suggestion(
        Category.MULTI.value, TagKind.CATEGORY.value, min(s.score for s in out) if out else 0.5
    )


def _gen() -> Suggestion:
    return Suggestion(
        Category.GEN.value,
        TagKind.CATEGORY.value,
        0.5,
        details={"reason": "no romantic relationship found"},
    )


__all__ = [
    "ROMANTIC_FAMILIES",
    "as_tagged",
    "character_genders",
    "detect_categories",
    "joined",
    "pronoun_balance",
    "work_categories",
]
