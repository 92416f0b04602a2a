"""The archive's character tags as a lookup from what a text calls someone to the tag.

A :class:`CharacterLexicon` maps surface forms (normalised token sequences) to the
canonical character tags they may refer to, with each tag's fandoms. Forms come from
the canonical name, its wrangled synonyms, and short forms derived from both:

* the name without a fandom disambiguator: ``Spike (Buffy the Vampire Slayer)`` → ``Spike``;
* the name without a leading title or article: ``Dr. John Watson`` → ``John Watson``;
* the first name (``Buffy`` for ``Buffy Summers``) and the family name
  (``Watson``), unless the word is a title, particle or common adjective.

A form derived for several characters *of the same fandom* (``Holmes`` for Sherlock and
Mycroft) is *weak*: the detector resolves it only to a character named in full
elsewhere in the text. A form shared across fandoms is resolved by the fandom whose
other characters are present.
"""

from __future__ import annotations

import re
import threading
import time
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import IntEnum
from functools import cached_property

from .text import WORD

__all__ = [
    "CharacterLexicon",
    "CharacterTag",
    "FormStrength",
    "SurfaceForm",
    "build_lexicon",
    "form_key",
    "invalidate_lexicon_cache",
    "lexicon_from_database",
    "parse_relationship",
    "short_forms",
]


class FormStrength(IntEnum):
    """How firmly a surface form points at its character."""

    WEAK = 1  # derived and shared within a fandom: needs a full mention elsewhere
    SHORT = 2  # derived first or family name
    FULL = 3  # the canonical name (with or without disambiguator) or a wrangled synonym


@dataclass(frozen=True)
class CharacterTag:
    """A canonical character tag with its fandoms and wrangled synonyms."""

    name: str
    fandoms: tuple[str, ...] = ()
    synonyms: tuple[str, ...] = ()


@dataclass(frozen=True)
class SurfaceForm:
    """One way of writing a character's name, and the character it points at."""

    text: str
    character: str
    strength: FormStrength
    # Whether the text must capitalise the word(s) that are capitalised here.
    cased: bool
    # Per word: must the text capitalise it? (articles and particles never need to)
    caps: tuple[bool, ...] = ()


@dataclass
class CharacterLexicon:
    """Surface forms → canonical character tags (+ fandoms), built once and shared."""

    characters: dict[str, CharacterTag] = field(default_factory=dict)
    forms: dict[str, tuple[SurfaceForm, ...]] = field(default_factory=dict)
    first_tokens: frozenset[str] = frozenset()
    max_tokens: int = 0
    # (separator, characters) → the archive's relationship tag name for them.
    relationships: dict[tuple[str, frozenset[str]], str] = field(default_factory=dict)

    @cached_property
    def prefixes(self) -> frozenset[str]:
        """Every form key cut short after one or more of its words (``"john"`` and
        ``"john h"`` for ``"john h watson"``): a detector reading a name word by word
        stops as soon as what it read starts no longer form."""
        out: set[str] = set()
        for key in self.forms:
            words = key.split(" ")
            out.update(" ".join(words[:i]) for i in range(1, len(words)))
        return frozenset(out)

    def lookup(self, key: str) -> tuple[SurfaceForm, ...]:
        """The forms registered under a normalised key (see :func:`form_key`)."""
        return self.forms.get(key, ())

    def fandoms_of(self, character: str) -> tuple[str, ...]:
        """The fandoms a character tag belongs to."""
        tag = self.characters.get(character)
        return tag.fandoms if tag else ()

    def relationship_name(self, characters: Sequence[str], separator: str) -> str:
        """The archive's tag for these characters, else ``A/B`` (or ``A & B``) of their names."""
        existing = self.relationships.get((separator, frozenset(characters)))
        if existing:
            return existing
        return separator.join(characters)

    def __len__(self) -> int:
        return len(self.characters)


# --- Deriving forms --------------------------------------------------------------

_DISAMBIGUATOR = re.compile(r"\s*\([^()]*\)\s*$")
_TITLES = frozenset(
    "mr mrs ms miss mx dr doctor sir dame lord lady madam madame monsieur mademoiselle master mistress "
    "inspector detective sergeant sgt constable officer captain capt colonel col lieutenant lt general "
    "major commander admiral professor prof reverend rev father brother sister saint st king queen prince "
    "princess duke duchess count countess baron baroness earl emperor empress uncle aunt grandmother "
    "grandfather granny old little young the a an".split()
)
# Never a short form on their own, however the name is built.
_NOT_A_NAME = _TITLES | frozenset(
    "de du da di del della der den van von le la les of and y al el bin ibn mac mc o "
    "big bad good evil poor wicked fair dark red white black green blue golden silver great "
    "happy selfish clever wise foolish brave mother father wife husband son daughter".split()
)
_NAME_PARTICLES = frozenset(
    "de du da di del della der den van von le la st saint bin ibn al el".split()
)


def form_key(text: str) -> str:
    """Normalise a name for lookup: its words casefolded, possessive dropped, space-joined."""
    words = [_strip_possessive(m.group(0)).casefold() for m in WORD.finditer(text)]
    return " ".join(w for w in words if w)


def _strip_possessive(word: str) -> str:
    if len(word) > 2 and word[-2] in "'’" and word[-1] in "sS":
        return word[:-2]
    return word


def short_forms(name: str) -> list[tuple[str, FormStrength]]:
    """Forms derived from one name, strongest first (the name itself excluded).

    ``"Spike (Buffy the Vampire Slayer)"`` gives ``Spike``; ``"Dr. John Watson"`` gives
    ``John Watson``, ``John`` and ``Watson``.
    """
    out: list[tuple[str, FormStrength]] = []
    base = _DISAMBIGUATOR.sub("", name).strip() or name
    if base != name:
        out.append((base, FormStrength.FULL))
    words = [m.group(0) for m in WORD.finditer(base)]
    core = list(words)
    while len(core) > 1 and core[0].casefold() in _TITLES:
        core = core[1:]
    if core != words:
        out.append((" ".join(core), FormStrength.FULL))
    # "Snow Queen", "Happy Prince": a title inside the name means no first/family name.
    if len(core) >= 2 and not any(w.casefold() in _TITLES for w in core[1:]):
        first = core[0]
        if len(first) > 1 and first.casefold() not in _NOT_A_NAME:
            out.append((first, FormStrength.SHORT))
        # Family name, with its particle when it has one ("de Fortemps", "St. Clair").
        i = len(core) - 1
        while i > 1 and core[i - 1].casefold() in _NAME_PARTICLES:
            i -= 1
        family = core[i:]
        last = family[-1]
        if len(last) > 1 and last.casefold() not in _NOT_A_NAME:
            out.append((" ".join(family), FormStrength.SHORT))
            if len(family) > 1:
                out.append((last, FormStrength.SHORT))
    seen: set[str] = {form_key(name)}
    unique: list[tuple[str, FormStrength]] = []
    for text, strength in out:
        key = form_key(text)
        if key and key not in seen:
            seen.add(key)
            unique.append((text, strength))
    return unique


def _written_as_a_name(name: str) -> bool:
    """Whether a character tag's name starts as a name does: with a capital letter, or in
    a script without case. Tags such as "and others - Character" or "assorted ensemble
    characters" are free-text notes in the character field, not names to look for in a
    text; matching them made every "and" in a work a candidate name."""
    first = next((ch for ch in name if ch.isalpha()), "")
    return not first or first.isupper() or first.lower() == first.upper()


def _is_cased(text: str) -> bool:
    return any(ch.isupper() for ch in text)


_UNCASED_WORDS = frozenset(
    "the a an of and de du da di del della der den van von le la les y".split()
)


def _caps(text: str) -> tuple[bool, ...]:
    return tuple(
        w[0].isupper() and w.casefold() not in _UNCASED_WORDS
        for w in (m.group(0) for m in WORD.finditer(text))
    )


def build_lexicon(
    characters: Iterable[CharacterTag | Mapping[str, object]],
    relationships: Iterable[str] = (),
) -> CharacterLexicon:
    """Build a lexicon from character tags (or dicts with ``name``, ``fandoms``, ``synonyms``).

    ``relationships`` are existing relationship tag names (``"A/B"``, ``"A & B"``, with
    an optional trailing disambiguator); those whose parts all name known characters
    are used to spell suggested relationships the archive's way.
    """
    tags: dict[str, CharacterTag] = {}
    for item in characters:
        if isinstance(item, CharacterTag):
            tag = item
        else:
            tag = CharacterTag(
                name=str(item["name"]),
                fandoms=tuple(str(f) for f in item.get("fandoms", ()) or ()),  # type: ignore[union-attr, attr-defined]
                synonyms=tuple(str(s) for s in item.get("synonyms", ()) or ()),  # type: ignore[union-attr, attr-defined]
            )
        if tag.name in tags:  # merge repeated rows (a character in several fandoms)
            old = tags[tag.name]
            tag = CharacterTag(
                tag.name,
                tuple(dict.fromkeys(old.fandoms + tag.fandoms)),
                tuple(dict.fromkeys(old.synonyms + tag.synonyms)),
            )
        tags[tag.name] = tag

    # key → {character: strongest form}
    by_key: dict[str, dict[str, SurfaceForm]] = defaultdict(dict)

    def add(text: str, character: str, strength: FormStrength) -> None:
        key = form_key(text)
        if not key:
            return
        current = by_key[key].get(character)
        if current is None or current.strength < strength:
            by_key[key][character] = SurfaceForm(
                text, character, strength, _is_cased(text), _caps(text)
            )

    for tag in tags.values():
        if not _written_as_a_name(tag.name):
            continue
        add(tag.name, tag.name, FormStrength.FULL)
        for synonym in tag.synonyms:
            add(synonym, tag.name, FormStrength.FULL)
        for source in (tag.name, *tag.synonyms):
            for text, strength in short_forms(source):
                add(text, tag.name, strength)

    forms: dict[str, tuple[SurfaceForm, ...]] = {}
    for key, per_character in by_key.items():
        entries = list(per_character.values())
        if len(entries) > 1:
            entries = _weaken_shared(entries, tags)
        forms[key] = tuple(sorted(entries, key=lambda f: (-f.strength, f.character)))

    lexicon = CharacterLexicon(
        characters=tags,
        forms=forms,
        first_tokens=frozenset(k.split(" ", 1)[0] for k in forms),
        max_tokens=max((k.count(" ") + 1 for k in forms), default=0),
    )
    for name in relationships:
        parsed = parse_relationship(name, lexicon)
        if parsed:
            lexicon.relationships.setdefault(parsed, name)
    return lexicon


def _weaken_shared(
    entries: list[SurfaceForm], tags: Mapping[str, CharacterTag]
) -> list[SurfaceForm]:
    """Derived forms shared by characters of one fandom become weak."""
    out = []
    for form in entries:
        if form.strength == FormStrength.SHORT:
            mine = set(tags[form.character].fandoms)
            if any(
                other is not form and (set(tags[other.character].fandoms) & mine or not mine)
                for other in entries
            ):
                form = SurfaceForm(
                    form.text, form.character, FormStrength.WEAK, form.cased, form.caps
                )
        out.append(form)
    return out


def parse_relationship(name: str, lexicon: CharacterLexicon) -> tuple[str, frozenset[str]] | None:
    """``("/" or " & ", characters)`` of a relationship tag whose parts all name characters."""
    match = _DISAMBIGUATOR.search(name)
    suffix = match.group(0).strip() if match else ""
    base = _DISAMBIGUATOR.sub("", name)
    if "/" in base:
        separator, parts = "/", base.split("/")
    elif " & " in base:
        separator, parts = " & ", base.split(" & ")
    else:
        return None
    found: list[str] = []
    for part in parts:
        part = part.strip()
        candidates = [part, f"{part} {suffix}" if suffix else part]
        character = next((c for c in candidates if c in lexicon.characters), None)
        if character is None:
            forms = [f for f in lexicon.lookup(form_key(part)) if f.strength >= FormStrength.SHORT]
            if len(forms) != 1:
                return None
            character = forms[0].character
        found.append(character)
    return separator, frozenset(found)


# --- From the database -----------------------------------------------------------

_CACHE_SECONDS = 300.0
_cache_lock = threading.Lock()
_cache: dict[str, object] = {}


def invalidate_lexicon_cache() -> None:
    """Forget the cached database lexicon (wrangling services call this after changes)."""
    with _cache_lock:
        _cache.clear()


def lexicon_from_database() -> CharacterLexicon:
    """The lexicon of the archive's canonical character tags, their synonyms and fandoms.

    Cached in the process; rebuilt when the character/relationship tags change (checked
    by a cheap fingerprint: count, last id and last change of those tags) or after five minutes, whichever comes first.
    Two queries build it: one for canonical characters with synonyms and fandoms
    (prefetched), one for canonical relationship names.
    """
    from django.db.models import Count, Max, Q

    from ficarchive.tags.models import Tag
    from ficarchive.tags.vocabulary import TagKind

    kinds = [TagKind.CHARACTER, TagKind.RELATIONSHIP, TagKind.FANDOM]
    fingerprint = tuple(
        Tag.objects.filter(kind__in=kinds)
        .aggregate(
            n=Count("id"),
            last=Max("id"),
            canon=Count("id", filter=Q(canonical=True)),
            changed=Max("updated_at"),
        )
        .values()
    )
    now = time.monotonic()
    with _cache_lock:
        cached = _cache.get("lexicon")
        if (
            cached is not None
            and _cache.get("fingerprint") == fingerprint
            and now - float(_cache["at"]) < _CACHE_SECONDS  # type: ignore[arg-type]
        ):
            return cached  # type: ignore[return-value]

    characters = (
        Tag.objects.filter(kind=TagKind.CHARACTER, canonical=True)
        .prefetch_related("synonyms", "fandoms")
        .only("id", "name")
    )
    tags = [
        CharacterTag(
            name=t.name,
            fandoms=tuple(sorted(f.name for f in t.fandoms.all())),
            synonyms=tuple(sorted(s.name for s in t.synonyms.all())),
        )
        for t in characters
    ]
    relationships = Tag.objects.filter(kind=TagKind.RELATIONSHIP, canonical=True).values_list(
        "name", flat=True
    )
    lexicon = build_lexicon(tags, relationships=list(relationships))
    with _cache_lock:
        _cache.update(lexicon=lexicon, fingerprint=fingerprint, at=now)
    return lexicon
