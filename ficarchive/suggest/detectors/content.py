"""Rating, archive warnings and content tags from cue lexicons.

Thresholds are in cue-weight units (see :mod:`ficarchive.suggest.cues`); densities are
per 1,000 words. The values were set on the development set's figures (see
``BENCHMARK_RESULTS.md``); they are round numbers on purpose.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from ...tags.vocabulary import ArchiveWarning, Rating, TagKind
from ..suggestions import Evidence, Suggestion
from ..text import Chapter
from .characters import CharacterFindings
from .context import ScoredHit
from .deaths import attributed_deaths

# --- Thresholds -----------------------------------------------------------------
EXPLICIT_MIN = 6.0  # explicit-sex weight for Explicit …
EXPLICIT_MIN_HITS = 3  # … spread over at least this many cues
MATURE_SEX = 5.0  # implied sex
MATURE_GRAPHIC = 6.0  # graphic violence
MATURE_PROFANITY = 10.0  # strong language (about five f-words)
TEEN_SEX = 2.0
TEEN_GRAPHIC = 2.0
TEEN_VIOLENCE = 4.0  # any violence, absolute …
TEEN_VIOLENCE_DENSITY = 1.0  # … and per 1,000 words
TEEN_DEATH = 3.0
TEEN_PROFANITY = 3.0
WARN_GRAPHIC = 5.0
WARN_GRAPHIC_HITS = 2
WARN_DEATH = 3.0
# … or sustained violence (per 1,000 words) with some gory or bloody detail.
WARN_VIOLENCE_DENSITY = 4.5
WARN_GORE_MIN = 2.0
_BLOODY = ("blood", "bled", "bleed", "wound")
WARN_NONCON = 3.0
WARN_UNDERAGE_SEX = 3.0


@dataclass
class ContentProfile:
    """Cue totals for a work, the basis of rating, warnings and content tags."""

    words: int
    totals: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    hits: dict[str, list[ScoredHit]] = field(default_factory=lambda: defaultdict(list))

    def total(self, family: str) -> float:
        """Sum of the family's cue values."""
        return self.totals.get(family, 0.0)

    def density(self, value: float) -> float:
        """``value`` per 1,000 words."""
        return 1000.0 * value / max(self.words, 200)

    def count(self, family: str) -> int:
        """Number of counted (non-negated) hits of the family."""
        return sum(1 for h in self.hits.get(family, ()) if h.factor > 0)

    def count_clustered(self, family: str) -> int:
        """Counted hits of a sexual family that have another sexual cue nearby."""
        at = [
            (h.chapter, h.sentence, h.hit.start)
            for f in SEXUAL
            for h in self.hits.get(f, ())
            if h.factor > 0
        ]
        return sum(
            1
            for h in self.hits.get(family, ())
            if h.factor > 0
            and any(
                c == h.chapter and abs(s - h.sentence) <= SCENE_SENTENCES and st != h.hit.start
                for c, s, st in at
            )
        )

    @property
    def explicit(self) -> float:
        return self.total("sex_explicit")

    @property
    def sex(self) -> float:
        return self.total("sex_implied") + 0.5 * self.explicit

    @property
    def graphic(self) -> float:
        return self.total("graphic")

    @property
    def violence(self) -> float:
        return self.total("violence") + 0.5 * self.total("death") + self.graphic

    @property
    def strong_profanity(self) -> float:
        return sum(h.value for h in self.hits.get("profanity", ()) if h.hit.weight >= 1.0)


SEXUAL = ("sex_implied", "sex_explicit")
SCENE_SENTENCES = 3  # sexual cues count fully only with another one this close
ISOLATED = 0.3  # … and this much when alone ("thrust his hand", "ejaculation" of surprise)


def content_profile(chapters: Sequence[Chapter], hits: Sequence[ScoredHit]) -> ContentProfile:
    """Total the cue hits of a work by family.

    Sexual content comes in scenes: a sexual cue with no other within
    :data:`SCENE_SENTENCES` sentences counts for :data:`ISOLATED` of its weight.
    """
    profile = ContentProfile(words=sum(ch.words for ch in chapters))
    sexual_at: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for h in hits:
        if h.hit.family in SEXUAL and h.factor > 0:
            sexual_at[h.chapter].append((h.sentence, h.hit.start))
    for h in hits:
        profile.hits[h.hit.family].append(h)
        value = h.value
        if h.hit.family in SEXUAL and value > 0:
            near = any(
                abs(s - h.sentence) <= SCENE_SENTENCES and start != h.hit.start
                for s, start in sexual_at[h.chapter]
            )
            value *= 1.0 if near else ISOLATED
        profile.totals[h.hit.family] += value
    return profile


def _evidence(
    chapters: Sequence[Chapter], hits: Sequence[ScoredHit], limit: int = 5
) -> list[Evidence]:
    chapter_of = {ch.number: ch for ch in chapters}
    best = sorted((h for h in hits if h.factor > 0), key=lambda h: -h.value)[:limit]
    out = []
    for h in sorted(best, key=lambda h: (h.chapter, h.hit.start)):
        at, excerpt = chapter_of[h.chapter].excerpt(h.hit.start, h.hit.end)
        out.append(Evidence(h.chapter, h.hit.start, h.hit.end, excerpt, at))
    return out


def detect_rating(chapters: Sequence[Chapter], profile: ContentProfile) -> list[Suggestion]:
    """One rating: Explicit for described sex; Mature for implied sex, graphic violence or
    heavy strong language; Teen for violence, death, mild sexual content or swearing;
    otherwise General Audiences. "Not Rated" is the author's choice, never proposed."""
    p = profile
    reasons: list[tuple[str, list[ScoredHit]]] = []
    if p.explicit >= EXPLICIT_MIN and p.count_clustered("sex_explicit") >= EXPLICIT_MIN_HITS:
        rating, margin = Rating.EXPLICIT, p.explicit / EXPLICIT_MIN
        reasons.append(("explicit sexual content", p.hits["sex_explicit"]))
    else:
        rating, margin = _mature_or_below(p, reasons)
    hits = [h for _, group in reasons for h in group]
    score = max(0.35, min(0.95, 0.5 + 0.15 * (margin - 1.0))) if reasons else 0.7
    return [
        Suggestion(
            name=rating.value,
            kind=TagKind.RATING.value,
            score=score,
            evidence=_evidence(chapters, hits),
            details={
                "reasons": [r for r, _ in reasons],
                "explicit": round(p.explicit, 2),
                "sexual": round(p.sex, 2),
                "violence": round(p.violence, 2),
                "violence_per_1000_words": round(p.density(p.violence), 2),
                "graphic": round(p.graphic, 2),
                "strong_language": round(p.strong_profanity, 2),
            },
        )
    ]


def _mature_or_below(
    p: ContentProfile, reasons: list[tuple[str, list[ScoredHit]]]
) -> tuple[Rating, float]:
    sexual = p.hits["sex_implied"] + p.hits["sex_explicit"]
    mature: list[tuple[float, str, list[ScoredHit]]] = [
        (p.sex / MATURE_SEX, "implied sexual content", sexual),
        (p.graphic / MATURE_GRAPHIC, "graphic violence", p.hits["graphic"]),
        (p.strong_profanity / MATURE_PROFANITY, "strong language", p.hits["profanity"]),
        (p.total("noncon") / WARN_NONCON, "non-consent", p.hits["noncon"]),
    ]
    fired = [(m, r, h) for m, r, h in mature if m >= 1.0]
    if fired:
        reasons.extend((r, h) for _, r, h in fired)
        return Rating.MATURE, max(m for m, _, _ in fired)
    violent = p.hits["violence"] + p.hits["graphic"] + p.hits["death"]
    teen: list[tuple[float, str, list[ScoredHit]]] = [
        (
            min(p.violence / TEEN_VIOLENCE, p.density(p.violence) / TEEN_VIOLENCE_DENSITY),
            "violence",
            violent,
        ),
        (p.graphic / TEEN_GRAPHIC, "violence", p.hits["graphic"]),
        (p.total("death") / TEEN_DEATH, "death", p.hits["death"]),
        (p.sex / TEEN_SEX, "sexual references", sexual),
        (p.total("profanity") / TEEN_PROFANITY, "language", p.hits["profanity"]),
    ]
    fired = [(m, r, h) for m, r, h in teen if m >= 1.0]
    if fired:
        seen: set[str] = set()
        for _, r, h in fired:
            if r not in seen:
                seen.add(r)
                reasons.append((r, h))
        return Rating.TEEN, max(m for m, _, _ in fired)
    return Rating.GENERAL, 1.0 / max(0.2, max(m for m, _, _ in teen))


def detect_warnings(
    chapters: Sequence[Chapter], profile: ContentProfile, findings: CharacterFindings
) -> list[Suggestion]:
    """Archive warnings with their evidence; "No Archive Warnings Apply" when none fires.

    * Graphic Depictions Of Violence: graphic-violence cues (dismemberment, gore,
      pouring blood …) reach :data:`WARN_GRAPHIC` over at least two passages.
    * Major Character Death: death cues ("died", "lay dead", "was killed"), negation
      and hypotheticals discounted, attributed to a major character named in the same
      or previous sentence (full weight), or to some person (half weight).
    * Rape/Non-Con: non-consent cues reach :data:`WARN_NONCON`.
    * Underage Sex: an age under eighteen within two sentences of sexual content.

    When nothing fires we propose "No Archive Warnings Apply" (not "Creator Chose Not
    To Use Archive Warnings", which is a decision about disclosure that no text can
    suggest), with a score that falls as warning cues approach their thresholds.
    """
    p = profile
    out: list[Suggestion] = []
    strength: list[float] = []

    graphic_ratio = p.graphic / WARN_GRAPHIC
    strength.append(graphic_ratio)
    # Blood inside a consensual sexual scene, or a vampire feeding, is no gore
    # (context.IN_CONSENSUAL_SCENE, context.IN_FEEDING).
    gore = sum(h.value for h in p.hits["graphic"] if not (h.in_consensual_scene or h.in_feeding))
    gore += _bloody(chapters, p)
    sustained = p.density(p.violence) >= WARN_VIOLENCE_DENSITY and gore >= WARN_GORE_MIN
    if (graphic_ratio >= 1.0 and p.count("graphic") >= WARN_GRAPHIC_HITS) or sustained:
        out.append(
            _warning(
                ArchiveWarning.VIOLENCE,
                max(graphic_ratio, gore / WARN_GORE_MIN if sustained else 0.0),
                chapters,
                p.hits["graphic"] + p.hits["violence"],
                graphic=round(p.graphic, 2),
                gore=round(gore, 2),
                violence_per_1000_words=round(p.density(p.violence), 2),
            )
        )

    death_score, death_hits, dead = attributed_deaths(chapters, p.hits["death"], findings)
    strength.append(death_score / WARN_DEATH)
    if death_score >= WARN_DEATH:
        out.append(
            _warning(
                ArchiveWarning.MAJOR_CHARACTER_DEATH,
                death_score / WARN_DEATH,
                chapters,
                death_hits,
                characters=sorted(dead),
                death=round(death_score, 2),
            )
        )

    noncon_ratio = p.total("noncon") / WARN_NONCON
    strength.append(noncon_ratio)
    if noncon_ratio >= 1.0:
        out.append(
            _warning(
                ArchiveWarning.NON_CON,
                noncon_ratio,
                chapters,
                p.hits["noncon"],
                noncon=round(p.total("noncon"), 2),
            )
        )

    underage_hits = _near(p.hits["minor"], p.hits["sex_implied"] + p.hits["sex_explicit"], span=2)
    if p.sex >= WARN_UNDERAGE_SEX and underage_hits:
        out.append(
            _warning(ArchiveWarning.UNDERAGE, p.sex / WARN_UNDERAGE_SEX, chapters, underage_hits)
        )

    if not out:
        out.append(
            Suggestion(
                name=ArchiveWarning.NONE_APPLY.value,
                kind=TagKind.WARNING.value,
                score=max(0.1, min(0.9, 1.0 - max(strength, default=0.0))),
                details={"reason": "no warning cue reached its threshold"},
            )
        )
    return out


def _bloody(chapters: Sequence[Chapter], p: ContentProfile) -> float:
    """Value of the counted violence cues about blood and wounds."""
    chapter_of = {ch.number: ch for ch in chapters}
    return sum(
        h.value
        for h in p.hits.get("violence", ())
        if h.factor > 0
        and not (h.in_consensual_scene or h.in_feeding)
        and chapter_of[h.chapter].text[h.hit.start : h.hit.end].lower().startswith(_BLOODY)
    )


def _warning(
    warning: ArchiveWarning,
    ratio: float,
    chapters: Sequence[Chapter],
    hits: Sequence[ScoredHit],
    **details: object,
) -> Suggestion:
    return Suggestion(
        name=warning.value,
        kind=TagKind.WARNING.value,
        score=max(0.4, min(0.95, 0.5 + 0.2 * (ratio - 1.0))),
        evidence=_evidence(chapters, hits),
        details=dict(details),
    )


def _near(a: Sequence[ScoredHit], b: Sequence[ScoredHit], span: int) -> list[ScoredHit]:
    at = {(h.chapter, h.sentence) for h in b if h.factor > 0}
    return [h for h in a if any((h.chapter, h.sentence + d) in at for d in range(-span, span + 1))]


# --- Additional (freeform) content tags --------------------------------------------

_TagRule = tuple[str, str, Callable[[str], bool], float]
_CONTENT_TAGS: list[_TagRule] = [
    # tag, family, which hits (by their text), minimum total value
    ("Blood", "violence", lambda t: t.startswith(("blood", "bled", "bleed")), 3.0),
    ("Murder", "violence", lambda t: t.startswith("murder"), 2.4),
    ("Kissing", "romance", lambda t: t.startswith("kiss"), 3.0),
    ("Torture", "graphic", lambda t: t.startswith("tortur"), 3.0),
    ("Alcohol", "alcohol", lambda t: True, 3.0),
    ("Drug Use", "drugs", lambda t: True, 3.0),
    ("Suicide", "suicide", lambda t: True, 3.0),
    ("Self-Harm", "self_harm", lambda t: True, 3.0),
]


def detect_content_tags(
    chapters: Sequence[Chapter],
    profile: ContentProfile,
    warnings: Sequence[Suggestion],
    rating: Sequence[Suggestion],
) -> list[Suggestion]:
    """A few additional tags readers filter on (Blood, Murder, Kissing, Alcohol, …)."""
    chapter_of = {ch.number: ch for ch in chapters}
    out = []
    for name, family, wanted, minimum in _CONTENT_TAGS:
        hits = [
            h
            for h in profile.hits.get(family, ())
            if h.factor > 0 and wanted(chapter_of[h.chapter].text[h.hit.start : h.hit.end].lower())
        ]
        total = sum(h.value for h in hits)
        if total >= minimum:
            out.append(
                Suggestion(
                    name,
                    TagKind.FREEFORM.value,
                    min(0.9, 0.4 + 0.1 * total / minimum),
                    _evidence(chapters, hits),
                    {"total": round(total, 2)},
                )
            )
    warned = {w.name for w in warnings}
    if ArchiveWarning.MAJOR_CHARACTER_DEATH.value in warned:
        mcd = next(w for w in warnings if w.name == ArchiveWarning.MAJOR_CHARACTER_DEATH.value)
        out.append(
            Suggestion("Character Death", TagKind.FREEFORM.value, mcd.score, list(mcd.evidence))
        )
    if (
        profile.violence >= 2 * TEEN_VIOLENCE
        and profile.density(profile.violence) >= 2 * TEEN_VIOLENCE_DENSITY
    ):
        out.append(
            Suggestion(
                "Violence",
                TagKind.FREEFORM.value,
                0.5,
                _evidence(chapters, profile.hits["violence"] + profile.hits["graphic"]),
            )
        )
    rated = rating[0].name if rating else ""
    if rated == Rating.EXPLICIT.value:
        out.append(
            Suggestion(
                "Sexual Content", TagKind.FREEFORM.value, rating[0].score, list(rating[0].evidence)
            )
        )
    elif profile.sex >= MATURE_SEX / 2:
        out.append(
            Suggestion(
                "Implied Sexual Content",
                TagKind.FREEFORM.value,
                0.5,
                _evidence(chapters, profile.hits["sex_implied"]),
            )
        )
    out.sort(key=lambda s: -s.score)
    return out
