"""Curated cue lexicons: the words and phrases behind rating, warning and relationship
suggestions, each with a weight. Written for this project; compiled once into a single
regular expression so a chapter is scanned in one pass.

Weights are rough evidential strength: 1 is an ordinary cue ("kissed", "blood"), 2–3 a
cue that on its own nearly settles the question ("made love", "raped", "slit his throat").
Sexual vocabulary is kept to what is needed to recognise the content.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from re import _constants as _C  # type: ignore[attr-defined]
from re import _parser  # type: ignore[attr-defined]
from typing import Any

# family → [(pattern, weight)]; patterns are case-insensitive and matched on word boundaries.
CUE_LEXICON: dict[str, list[tuple[str, float]]] = {
    # Romantic interest between two people.
    "romance": [
        (r"kiss(?:ed|es|ing)?", 1.5),
        (r"in love", 2.0),
        (r"fell in love|falling in love", 2.0),
        (r"lovers?", 1.5),
        (r"lov(?:e|ed|es|ing)", 0.6),
        (r"(?:his|her|my|your) (?:love|beloved|darling|sweetheart)", 1.5),
        (r"sweetheart|darling|beloved", 1.0),
        (r"marr(?:y|ied|ies|ying)|marriage|wedding|wedded|wed", 1.5),
        (r"husband|wife|bride|bridegroom|groom", 1.2),
        (r"betrothed|engaged|engagement|fianc[ée]e?", 1.5),
        (r"embrac(?:e|ed|es|ing)|in (?:his|her|their) arms", 1.0),
        (r"caress(?:ed|es|ing)?|stroked (?:his|her) (?:hair|cheek|face)", 1.2),
        (r"held hands|hand in hand|(?:took|held|holding) (?:his|her) hand", 0.8),
        (r"court(?:ed|ing|ship)|woo(?:ed|ing)?", 1.2),
        (r"blush(?:ed|es|ing)?", 0.4),
        (r"a date|on a date|dating", 1.0),
        (r"girlfriend|boyfriend|partner", 0.8),
        (r"heart (?:raced|fluttered|skipped)", 0.8),
    ],
    # Sexual content that is implied or described without anatomy.
    "sex_implied": [
        (r"made love|making love|make love|lovemaking", 3.0),
        (r"slept (?:with|together)|sleeping (?:with|together)|sleep with", 2.0),
        (r"(?:spent|spend) the night (?:with|together)", 2.0),
        (
            r"in bed (?:with|together)|took (?:him|her) to bed|into (?:his|her|their|the) bed together",
            2.0,
        ),
        (r"undress(?:ed|es|ing)? (?:him|her|each other|them)|undressed", 1.2),
        (r"naked|nude", 0.8),
        (r"arous(?:ed|al)|desire[ds]? (?:him|her)", 1.2),
        (r"seduc(?:e|ed|es|ing|tion)", 1.0),
        (r"sexual(?:ly)?|sex", 1.2),
        (r"moan(?:ed|s|ing)?", 0.6),
        (r"afterglow|tangled sheets", 1.5),
        # Euphemism is still sexual content.
        (r"(?:his|her|their) (?:length|hardness|core|entrance|folds|slick heat)", 1.2),
        (
            r"inside (?:her|him|me|them) (?:again|deeper|slowly|fully)|buried (?:himself|herself) in",
            1.5,
        ),
        (
            r"came undone|came apart beneath|found (?:his|her|their) release|(?:his|her) release",
            1.5,
        ),
        (r"took (?:her|him) (?:hard|slowly|deep|again)|rode (?:him|her)", 1.5),
        (r"writh(?:ed|ing) beneath|arched (?:into|against|beneath)", 1.0),
    ],
    # Sexual content described explicitly (clinical and common terms).
    "sex_explicit": [
        (r"intercourse|had sex|have sex|having sex|oral sex|anal sex", 2.0),
        (r"orgasm(?:ed|s|ing)?|climax(?:ed|es|ing)?", 2.0),
        (r"erection|erect", 1.5),
        (r"penis|vagina|vulva|clitoris|clit|genitals?|testicles|scrotum", 2.0),
        (r"ejaculat(?:e|ed|es|ing|ion)|semen|cum(?:ming|med|s)?", 2.0),
        (r"masturbat(?:e|ed|es|ing|ion)", 2.0),
        (r"nipples?|breasts?", 0.8),
        (r"thrust(?:s|ed|ing)?", 0.8),
        (r"penetrat(?:e|ed|es|ing|ion)", 1.2),
        (r"fuck(?:ed|ing|s)? (?:him|her|me|them|you)|fucking (?:into|in)", 2.0),
        (r"cock|dick", 0.8),
    ],
    # Violence of any intensity.
    "violence": [
        (r"kill(?:s|ed|ing)?|slay|slain|slew", 1.0),
        (r"murder(?:s|ed|ing|er|ers|ous)?", 1.2),
        (r"stab(?:s|bed|bing)?", 1.2),
        (r"shoot|shot (?:him|her|them|at)|gunshot|gunfire", 1.0),
        (r"strangl(?:e|ed|es|ing)|throttl(?:e|ed|ing)", 1.2),
        (r"beat(?:en)? (?:him|her|them) |punch(?:ed|es|ing)?|kick(?:ed|ing)? (?:him|her)", 0.7),
        (r"struck (?:him|her|them|at)|blows?", 0.5),
        (r"attack(?:s|ed|ing)?|assault(?:s|ed|ing)?", 0.8),
        (r"blood|bloody|bled|bleeding", 0.8),
        (r"wound(?:s|ed)?|injur(?:y|ies|ed)", 0.6),
        (r"fight(?:s|ing)?|fought|battle", 0.4),
        (r"gun|pistol|revolver|rifle|sword|dagger|axe|knife", 0.3),
        (r"scream(?:s|ed|ing)?", 0.3),
        (r"violen(?:ce|t)", 0.8),
        (r"cruel(?:ly|ty)?|torment(?:ed)?", 0.4),
        (r"devour(?:s|ed|ing)?|ate (?:him|her|them) up|eat (?:him|her|them|you) up", 0.8),
        (r"drown(?:s|ed|ing)?|hanged|burn(?:t|ed) (?:alive|to death)", 1.0),
    ],
    # Violence described in physical detail.
    "graphic": [
        (r"gore|gory|gruesome", 1.5),
        (r"entrails|intestines|guts|innards|bowels", 2.0),
        (r"sever(?:ed|s|ing)|decapitat(?:e|ed|es|ing|ion)|beheaded|behead", 2.0),
        (
            r"(?:cut|chopped|hacked|struck|chop|hack|strike|tore|torn) off (?:his|her|their|its|the) (?:head|hand|hands|arm|arms|leg|legs|feet|foot|finger|fingers|toe|heel)",
            2.0,
        ),
        (r"(?:head|heads) (?:flew|rolled|fell) off|off (?:flew|fell|rolled) (?:his|her) head", 2.0),
        (
            r"dismember(?:ed|s|ing|ment)?|mutilat(?:e|ed|es|ing|ion)|disembowel(?:ed|s|ing|led)?",
            2.5,
        ),
        (r"(?:cut|chopped|hacked|torn|tore|ripped|hewn) (?:\w+ )?(?:in|into|to) pieces", 2.5),
        (r"chopp(?:ed|ing) (?:him|her|them|it) up|chopped up", 2.0),
        (
            r"slit (?:his|her|their|its) throat|throat (?:was |had been )?(?:cut|slit)|cut (?:his|her|their) throat",
            2.5,
        ),
        (
            r"blood (?:poured|gushed|spurted|sprayed|streamed|flowed|pooled|ran|spattered|splattered)",
            1.5,
        ),
        (
            r"pool of blood|covered (?:in|with) blood|soaked (?:in|with) blood|bloodstained|blood-stained|bloodied",
            1.2,
        ),
        (
            r"(?:bone|bones|skull|ribs?) (?:cracked|snapped|shattered|crunched|broke|splintered)|broken bones",
            1.5,
        ),
        (r"brains|skull (?:was )?(?:split|crushed|smashed)|crushed (?:his|her) skull", 1.5),
        (
            r"torn (?:apart|open|limb from limb)|ripped (?:open|apart)|tore (?:him|her|them) (?:apart|open)",
            2.0,
        ),
        (
            r"(?:eyes?) (?:were |was )?(?:pecked|gouged|put|torn|plucked|picked) out|(?:pecked|gouged|put|tore|plucked|picked) out (?:his|her|their|the) eyes?",
            2.0,
        ),
        (r"tortur(?:e|ed|es|ing)", 1.5),
        (r"flay(?:ed|ing)?|skinned alive|impal(?:e|ed|ing)", 2.0),
        (r"(?:cut|cuts|cutting) open|slashed|hacked|chopped", 1.0),
        (
            r"gaping wound|open wound|wound (?:gaped|bled)|bleeding (?:heavily|profusely)|bled out",
            1.5,
        ),
        (r"corpses?|carcass", 0.5),
        (r"mangled|maimed|crushed to death", 1.5),
    ],
    # A death happening (see detectors: negation and hypotheticals are discounted).
    "death": [
        (r"died|dies|dying", 1.2),
        (r"(?:was|were|is|are|lay|fell|lying|be|been|now|quite|stone|dropped) dead", 1.5),
        (r"dead body|dead bodies|lifeless|corpse", 1.2),
        (r"killed (?:him|her|them|himself|herself|it)|was killed|were killed|been killed", 1.5),
        (r"murdered|been murdered", 1.5),
        (r"to death", 1.2),
        (
            r"breathed (?:his|her|their) last|passed away|drew (?:his|her) last breath|gave up the ghost",
            2.0,
        ),
        (r"drowned|perished|froze to death|frozen to death", 1.5),
        (r"death of|(?:his|her|their) death", 0.8),
        (r"funeral|buried|burial|grave|coffin|mourn(?:ed|ing)", 0.5),
        (
            r"never (?:woke|rose|moved|breathed) again|did not move again|moved no more|stirred no more",
            2.0,
        ),
        (r"(?:heart|pulse) (?:stopped|stilled)|stopped breathing|no longer breath(?:ed|ing)", 1.5),
    ],
    # Sexual acts without consent (weights high: one clear statement suffices).
    "noncon": [
        (r"rap(?:e|ed|es|ing|ist)", 3.0),
        (
            r"non-?con(?:sensual)?|without (?:his|her|their|my) consent|did(?:n['’]t| not) consent|never consented",
            3.0,
        ),
        (r"forced (?:himself|herself|themselves) (?:on|upon)", 3.0),
        (r"against (?:his|her|their|my) will", 1.5),
        (
            r"molest(?:ed|s|ing|ation)?|sexual(?:ly)? assault(?:ed)?|assaulted (?:her|him) sexually",
            3.0,
        ),
        (r"pinned (?:him|her) down|held (?:him|her) down", 1.0),
        (r"(?:she|he|i) said no|begged (?:him|her) to stop|told (?:him|her) to stop", 1.0),
        (r"dub-?con|dubious consent", 2.0),
    ],
    # Close platonic bonds.
    "platonic": [
        (r"friends?|friendship|comrades?|companions?|partners? in crime", 1.0),
        (r"best friend|old friend|dear friend|childhood friend", 1.5),
        (r"brothers?|sisters?|siblings?|twins?", 1.2),
        (r"together", 0.3),
        (r"trust(?:ed|s)?|loyal(?:ty)?", 0.5),
        (r"hugg?(?:ed|s|ing)?|clapped (?:him|her) on the (?:back|shoulder)", 0.7),
        (r"playmates?|little comrade", 1.5),
    ],
    # Family words that make a romantic reading of "love" unlikely.
    "family": [
        (
            r"mother|father|brother|sister|son|daughter|grandmother|grandfather|grandson|granddaughter|aunt|uncle|niece|nephew|cousin|step-?(?:mother|father|daughter|son|sister|brother)|parents?|child(?:ren)?",
            1.0,
        ),
    ],
    # Strong language.
    "profanity": [
        (r"fuck(?:s|ed|ing|er|ers)?|motherfucker|cunt", 2.0),
        (
            r"shit(?:s|ty|ting)?|bullshit|asshole|arsehole|bastards?|bitch(?:es)?|dickhead|prick",
            1.0,
        ),
        (r"damn(?:ed|it)?|goddamn|bloody hell|hell|crap|piss(?:ed)?", 0.3),
    ],
    # A character under eighteen.
    "minor": [
        (r"(?:twelve|thirteen|fourteen|fifteen|sixteen|seventeen|1[2-7])[- ]years?[- ]old", 1.0),
        (r"underage|under-age|minor", 1.0),
    ],
    # Content tags proposed as additional (freeform) tags.
    "alcohol": [
        (r"drunk(?:en)?|whisk(?:e)?y|brandy|beer|wine|gin|liquor|tipsy|hangover|intoxicated", 0.5)
    ],
    "drugs": [(r"opium|heroin|cocaine|morphine|laudanum|overdos(?:e|ed)|high on", 1.0)],
    "suicide": [
        (
            r"suicid(?:e|al)|killed (?:himself|herself|themselves)|took (?:his|her|their) own life|hanged (?:himself|herself)",
            3.0,
        ),
    ],
    "self_harm": [
        (r"self-harm|cut (?:himself|herself) (?:on purpose|again)|self-injur(?:y|ed)", 3.0)
    ],
}

# Terms that name a person, for attributing deaths when no named character is near.
PERSON_NOUNS = re.compile(
    r"\b(?:he|she|him|her|man|woman|men|women|boy|girl|child|children|king|queen|prince|princess|"
    r"mother|father|brother|sister|son|daughter|wife|husband|friend|witch|giant|wolf|bird|old|lady|"
    r"gentleman|soldier|captain|doctor|servant|maid|master)\b",
    re.I,
)


@dataclass(frozen=True)
class CueHit:
    """One cue found in a chapter's plain text."""

    family: str
    weight: float
    start: int
    end: int


def _prefixes(items: Any, n: int) -> set[str] | None:
    """Every lowercase string of up to ``n`` characters a parsed pattern can start with
    (shorter ones when the pattern can end sooner); ``None`` when it cannot tell."""
    results = {""}
    for op, av in items:
        if all(len(r) >= n for r in results):
            break
        if op is _C.LITERAL:
            options = {chr(av).lower()}
        elif op is _C.IN:
            options = set()
            for kind, value in av:
                if kind is _C.LITERAL:
                    options.add(chr(value).lower())
                elif kind is _C.RANGE and value[1] - value[0] < 40:
                    options |= {chr(c).lower() for c in range(value[0], value[1] + 1)}
                else:
                    return None
        elif op is _C.BRANCH:
            options = set()
            for alternative in av[1]:
                sub = _prefixes(alternative, n)
                if sub is None:
                    return None
                options |= sub
        elif op is _C.SUBPATTERN:
            sub = _prefixes(av[3], n)
            if sub is None:
                return None
            options = sub
        elif op in (_C.MAX_REPEAT, _C.MIN_REPEAT):
            low, _, sub_items = av
            sub = _prefixes(sub_items, n)
            if sub is None:
                return None
            options = sub | ({""} if low == 0 else set())
        elif op in (_C.AT, _C.ASSERT, _C.ASSERT_NOT):
            continue
        else:
            return None
        grown = {(r + o)[:n] if len(r) < n else r for r in results for o in options}
        if len(grown) > 5000:
            return None
        results = grown
    return results


def _trie_regex(words: set[str]) -> str:
    """A regular expression matching any of ``words``, shaped as a trie (fast to reject)."""
    tree: dict[str, Any] = {}
    for w in words:
        node = tree
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def render(node: dict[str, Any]) -> str:
        if not node or list(node) == [""]:
            return ""
        options = [re.escape(ch) + render(child) for ch, child in sorted(node.items()) if ch]
        body = options[0] if len(options) == 1 else "(?:" + "|".join(options) + ")"
        return f"(?:{body})?" if "" in node else body

    return render(tree)


def _pattern_prefixes(pattern: str, n: int) -> set[str] | None:
    """:func:`_prefixes` of one cue pattern: up to ``n`` characters if it can tell,
    else fewer (down to one); ``None`` when it cannot tell even one."""
    parsed = _parser.parse(pattern, re.I)
    sizes = [k for k in (6, 5, 4, 3, 2, 1) if k <= n]
    found = next((f for f in (_prefixes(parsed, k) for k in sizes) if f is not None), None)
    return None if found is None or "" in found else found


def _compile() -> tuple[re.Pattern[str], list[tuple[str, float]], dict[str, int]]:
    """The one expression finding every cue, the family and weight of each cue, and
    the cue index (into that list) of each named group of the expression."""
    entries = [(f, p, w) for f, items in CUE_LEXICON.items() for p, w in items]
    meta = [(f, w) for f, _, w in entries]
    firsts = [_pattern_prefixes(p, 1) for _, p, _ in entries]
    prefixes: set[str] | None = set()
    for _, pattern, _ in entries:
        found = _pattern_prefixes(pattern, 6)
        prefixes = None if found is None or prefixes is None else prefixes | found
    groups: dict[str, int] = {}

    def alternatives(indices: list[int]) -> str:
        parts = []
        for i in indices:
            name = f"c{i}_{len(groups)}"
            groups[name] = i
            parts.append(f"(?P<{name}>{entries[i][1]})")
        return "|".join(parts)

    if all(f is not None for f in firsts):
        # The cues grouped by the letter they can start with, each group in lexicon
        # order (so the first cue matching at a position is the same one): a start is
        # tried against the few cues of its letter, not against all of them in turn.
        letters = sorted(set().union(*(f for f in firsts if f is not None)))
        body = "|".join(
            f"(?={re.escape(ch)})(?:"
            + alternatives([i for i, f in enumerate(firsts) if f is not None and ch in f])
            + ")"
            for ch in letters
        )
    else:
        body = alternatives(list(range(len(entries))))
    # Most word starts cannot begin any cue; a trie of the cues' first letters (up to six)
    # rejects them before the long alternation is tried.
    gate = f"(?i:(?={_trie_regex(prefixes)}))" if prefixes else ""
    combined = re.compile(r"(?<![\w-])" + gate + "(?:" + body + r")(?![\w])", re.I)
    return combined, meta, groups


_CUES, _CUE_META, _CUE_GROUPS = _compile()
_FAMILY_PATTERNS: dict[str, re.Pattern[str]] = {
    family: re.compile(r"(?<![\w-])(?:" + "|".join(p for p, _ in entries) + r")(?![\w])", re.I)
    for family, entries in CUE_LEXICON.items()
}


def _case_sensitive(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """``pattern`` without case folding, for lowercased text (the cues are written in
    lowercase; an uppercase letter in one would make this wrong, hence the check)."""
    source = pattern.pattern.replace("(?i:", "(?:")
    if re.search(r"(?<!\\)[A-Z]", re.sub(r"\(\?P<\w+>", "", source)):
        return pattern
    return re.compile(source)


_CUES_LOWER = _case_sensitive(_CUES)
_FAMILY_PATTERNS_LOWER = {f: _case_sensitive(p) for f, p in _FAMILY_PATTERNS.items()}


def _family_prefixes() -> dict[str, set[str] | None]:
    """Each family's :func:`_pattern_prefixes` (six characters at most), ``None`` for
    a family with a pattern whose start cannot be told."""
    out: dict[str, set[str] | None] = {}
    for family, entries in CUE_LEXICON.items():
        found: set[str] | None = set()
        for pattern, _ in entries:
            one = _pattern_prefixes(pattern, 6)
            found = None if one is None or found is None else found | one
        out[family] = found
    return out


_FAMILY_PREFIXES = _family_prefixes()
# The windows are compared as written: only when the lowercased text is matched case-sensitively.
_WINDOWS_EXACT = not any(p.flags & re.IGNORECASE for p in _FAMILY_PATTERNS_LOWER.values())
# Lowercased six-character windows seen at cue starts -> the families that can match there.
_OTHERS_AT: dict[str, tuple[str, ...]] = {}


def _families_at(window: str) -> tuple[str, ...]:
    """The families a match can start with ``window`` (the six lowercased characters
    at a cue's start) for: a family none of whose prefixes begins ``window`` cannot."""
    found = _OTHERS_AT.get(window)
    if found is None:
        found = tuple(
            family
            for family, prefixes in _FAMILY_PREFIXES.items()
            if prefixes is None or len(window) < 6 or any(map(window.startswith, prefixes))
        )
        if len(_OTHERS_AT) < 50_000:
            _OTHERS_AT[window] = found
    return found


def find_cues(text: str, lowered: str | None = None) -> list[CueHit]:
    """All cue hits in ``text``, with their family, weight and offsets (``lowered``:
    ``text.lower()`` when the caller has it).

    One combined expression finds the positions where any cue starts; at those few
    positions every other family that can start there is tried too, so a phrase that is
    evidence for two families ("killed him": violence and death) counts for both.
    """
    hits: list[CueHit] = []
    combined, families = _CUES, _FAMILY_PATTERNS
    lowered = text.lower() if lowered is None else lowered
    fast = _WINDOWS_EXACT and len(lowered) == len(text)
    if len(lowered) == len(text):
        # Case-sensitive matching of the lowercased text finds the same spans as
        # case-insensitive matching of the text, in about half the CPU; a text whose
        # lowercase changes length (rare letters) keeps the case-insensitive patterns,
        # so that offsets stay those of the text.
        text, combined, families = lowered, _CUES_LOWER, _FAMILY_PATTERNS_LOWER
    groups, meta, every = _CUE_GROUPS, _CUE_META, tuple(families)
    for m in combined.finditer(text):
        start = m.start()
        family, weight = meta[groups[m.lastgroup]]  # type: ignore[index]
        hits.append(CueHit(family, weight, start, m.end()))
        for other in _families_at(text[start : start + 6]) if fast else every:
            if other == family:
                continue
            o = families[other].match(text, start)
            if o:
                hits.append(CueHit(other, _weight_of(other, o.group(0)), o.start(), o.end()))
    return hits


_WEIGHT_PATTERNS: dict[str, list[tuple[re.Pattern[str], float]]] = {
    family: [(re.compile(p, re.I), w) for p, w in entries]
    for family, entries in CUE_LEXICON.items()
}


def _weight_of(family: str, span: str) -> float:
    for pattern, weight in _WEIGHT_PATTERNS[family]:
        if pattern.fullmatch(span):
            return weight
    return max(w for _, w in CUE_LEXICON[family])
