"""eFiction 3.x archives, from a MySQL dump, the way Open Doors moves them.

`read_efiction(sql_text, stories_dir=, mapping=)` returns an EfictionArchive: authors
(uid, penname, email, bio; never passwords), stories as ParsedWork with their eFiction
ids, series and reviews, plus a report of what was mapped and what was not.

Real dumps differ: the rating column holds an id or a name; dates are Unix integers or
DATETIME strings; catid/charid/classes/coauthors are comma-separated id lists; tables
carry any prefix; chapter text is in `chapters.storytext`, or in STORIES_DIR/UID/CHAPID.txt
(eFiction's "files" storage) in any common encoding. Only validated stories and
chapters are taken (validated > 0), as on the live archive.

The mapping (JSON, --mapping FILE; default in efiction_mapping.json beside this module)
turns ratings, class types, classes, categories and characters into AO3 tags."""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from ficarchive.tags.vocabulary import ArchiveWarning, Category
from ficarchive.works.text import decode_text

from .base import ImportRejected, ParsedChapter, ParsedWork
from .safety import check_size
from .sqldump import SqlDump

DEFAULT_MAPPING_PATH = Path(__file__).with_name("efiction_mapping.json")
AO3_RATINGS = ["Not Rated", "General Audiences", "Teen And Up Audiences", "Mature", "Explicit"]


def default_mapping() -> dict[str, Any]:
    return json.loads(DEFAULT_MAPPING_PATH.read_text(encoding="utf-8"))


def load_mapping(path: str | Path | None) -> dict[str, Any]:
    """The default mapping, overlaid with the runner's file when given."""
    mapping = default_mapping()
    if path:
        try:
            custom = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ImportRejected(f"cannot read the mapping file {path}: {exc}")
        if not isinstance(custom, dict):
            raise ImportRejected(f"the mapping file {path} must hold a JSON object.")
        for key, value in custom.items():
            if isinstance(value, dict) and isinstance(mapping.get(key), dict):
                mapping[key] = {**mapping[key], **value}
            else:
                mapping[key] = value
        _check_mapping(mapping, path)
    return mapping


# What each section of a mapping may map to: AO3's fixed vocabularies (None for a warning:
# keep it as an additional tag) and the class kinds ``read_efiction`` knows.
_MAPPING_VALUES: dict[str, tuple[str, list[str | None]]] = {
    "ratings": ("a rating", list(AO3_RATINGS)),
    "warnings": ("an archive warning", [*ArchiveWarning.values, None]),
    "categories": ("a category", list(Category.values)),
    "classtypes": (
        "a class kind",
        ["warning", "category", "freeform", "relationship", "character", "ignore"],
    ),
}


def _check_mapping(mapping: dict[str, Any], path: str | Path) -> None:
    """Refuse a mapping that maps to a value AO3 (or the reader) does not have: a typo
    there would otherwise quietly make every such story Not Rated, or drop its warning."""
    for section, (what, allowed) in _MAPPING_VALUES.items():
        table = mapping.get(section) or {}
        if not isinstance(table, dict):
            raise ImportRejected(f"the mapping file {path}: {section} must be a JSON object.")
        for source, target in table.items():
            if target not in allowed:
                choices = ", ".join(str(a) if a is not None else "null" for a in allowed)
                raise ImportRejected(
                    f"the mapping file {path}: {section} {source!r} -> {target!r} is not "
                    f"{what}; use one of: {choices}."
                )


@dataclass
class EfictionAuthor:
    uid: int
    penname: str
    email: str = ""
    bio: str = ""


@dataclass
class EfictionReview:
    sid: int
    chapid: int
    reviewer: str
    uid: int
    text: str
    date: dt.datetime | None


@dataclass
class EfictionStory:
    sid: int
    author_uids: list[int]
    parsed: ParsedWork
    chapter_ids: list[int]


@dataclass
class EfictionArchive:
    authors: dict[int, EfictionAuthor] = field(default_factory=dict)
    stories: list[EfictionStory] = field(default_factory=list)
    reviews: list[EfictionReview] = field(default_factory=list)
    report: dict[str, Any] = field(default_factory=dict)


def to_datetime(value: Any) -> dt.datetime | None:
    """A date from a Unix integer or a DATETIME/DATE string; None for zero or junk."""
    if value in (None, "", 0, "0"):
        return None
    if isinstance(value, int | float) or (isinstance(value, str) and value.strip().isdigit()):
        seconds = int(value)
        if seconds <= 0:
            return None
        try:
            return dt.datetime.fromtimestamp(seconds, tz=dt.UTC)
        except (OverflowError, OSError, ValueError):
            return None
    m = re.match(r"(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?", str(value))
    if not m or m.group(1) == "0000":
        return None
    try:
        year, month, day, hour, minute, second = (int(g or 0) for g in m.groups())
        return dt.datetime(year, month, day, hour, minute, second, tzinfo=dt.UTC)
    except ValueError:
        return None


def id_list(value: Any) -> list[int]:
    """Ids from "1,2, 3" (eFiction's lists), ignoring blanks and zeros."""
    if value is None:
        return []
    out = []
    for piece in str(value).split(","):
        piece = piece.strip()
        if piece.lstrip("-").isdigit() and int(piece) > 0:
            out.append(int(piece))
    return out


def _as_int(value: Any, default: int = 0) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _chapter_file(stories_dir: Path | None, uid: int, chapid: int) -> str | None:
    if stories_dir is None:
        return None
    for candidate in (stories_dir / str(uid) / f"{chapid}.txt", stories_dir / f"{chapid}.txt"):
        if candidate.is_file():
            check_size(candidate.stat().st_size, str(candidate))
            return decode_text(candidate.read_bytes())
    return None


def read_efiction(
    sql_text: str, *, stories_dir: str | Path | None = None, mapping: dict[str, Any] | None = None
) -> EfictionArchive:
    """Read an eFiction dump into authors, stories (as ParsedWork) and reviews."""
    mapping = mapping or default_mapping()
    dump = SqlDump(sql_text)
    if dump.find("stories") is None:
        raise ImportRejected(_("no eFiction stories table (…_stories) in the dump."))
    sdir = Path(stories_dir) if stories_dir else None
    archive = EfictionArchive()
    report: dict[str, Any] = {
        "ratings": {},
        "warnings": {},
        "categories": {},
        "fandoms": {},
        "freeforms": [],
        "unmapped": [],
        "skipped_stories": [],
        "missing_chapter_text": [],
    }
    archive.report = report

    for row in dump.rows("authors"):
        uid = _as_int(row.get("uid"))
        archive.authors[uid] = EfictionAuthor(
            uid=uid,
            penname=str(row.get("penname") or f"author{uid}"),
            email=str(row.get("email") or ""),
            bio=str(row.get("bio") or ""),
        )
    categories = {
        _as_int(r.get("catid")): str(r.get("category") or "") for r in dump.rows("categories")
    }
    characters = {
        _as_int(r.get("charid")): str(r.get("charname") or "") for r in dump.rows("characters")
    }
    ratings = {_as_int(r.get("rid")): str(r.get("rating") or "") for r in dump.rows("ratings")}
    classtypes = {
        _as_int(r.get("classtype_id")): str(
            r.get("classtype_name") or r.get("classtype_title") or ""
        )
        for r in dump.rows("classtypes")
    }
    classes = {
        _as_int(r.get("class_id")): (
            classtypes.get(_as_int(r.get("class_type")), ""),
            str(r.get("class_name") or ""),
        )
        for r in dump.rows("classes")
    }
    series = {_as_int(r.get("seriesid")): str(r.get("title") or "") for r in dump.rows("series")}
    in_series: dict[int, list[tuple[str, int | None]]] = {}
    for r in dump.rows("inseries"):
        title = series.get(_as_int(r.get("seriesid")))
        if title:
            in_series.setdefault(_as_int(r.get("sid")), []).append(
                (title, _as_int(r.get("inorder")) or None)
            )
    coauthors: dict[int, list[int]] = {}
    for r in dump.rows("coauthors"):
        coauthors.setdefault(_as_int(r.get("sid")), []).append(_as_int(r.get("uid")))
    chapters_by_story: dict[int, list[dict]] = {}
    for r in dump.rows("chapters"):
        chapters_by_story.setdefault(_as_int(r.get("sid")), []).append(r)

    rating_map = {k.lower(): v for k, v in mapping.get("ratings", {}).items()}
    classtype_map = {k.lower(): v for k, v in mapping.get("classtypes", {}).items()}
    warning_map = {k.lower(): v for k, v in mapping.get("warnings", {}).items()}
    category_map = {k.lower(): v for k, v in mapping.get("categories", {}).items()}
    fandom_map = mapping.get("fandoms", {})
    character_map = mapping.get("characters", {})

    def map_rating(raw: Any) -> str:
        name = (
            ratings.get(_as_int(raw), "") if str(raw).strip().isdigit() else str(raw or "").strip()
        )
        if not name:
            return "Not Rated"
        ao3 = next((r for r in AO3_RATINGS if r.lower() == name.lower()), None) or rating_map.get(
            name.lower()
        )
        if ao3 not in AO3_RATINGS:
            report["unmapped"].append(f"rating {name!r} -> Not Rated")
            ao3 = "Not Rated"
        report["ratings"][name] = ao3
        return ao3

    for row in dump.rows("stories"):
        sid = _as_int(row.get("sid"))
        title = str(row.get("title") or "").strip() or f"Story {sid}"
        if _as_int(row.get("validated"), 1) <= 0:
            report["skipped_stories"].append(
                {"sid": sid, "title": title, "reason": "not validated"}
            )
            continue
        uid = _as_int(row.get("uid"))
        parsed = ParsedWork(title=title, source_format="efiction")
        parsed.summary = str(row.get("summary") or "")
        parsed.notes = str(row.get("storynotes") or "")
        parsed.rating = map_rating(
            row.get("rid") if row.get("rid") not in (None, "") else row.get("rating")
        )
        for catid in id_list(row.get("catid")):
            name = categories.get(catid)
            if not name:
                report["unmapped"].append(
                    f"category id {catid} (story {sid}) not in the categories table"
                )
                continue
            fandom = fandom_map.get(name, name)
            report["fandoms"][name] = fandom
            if fandom and fandom not in parsed.fandoms:
                parsed.fandoms.append(fandom)
        if not parsed.fandoms and mapping.get("default_fandom"):
            parsed.fandoms.append(mapping["default_fandom"])
        for charid in id_list(row.get("charid")):
            name = characters.get(charid)
            if name:
                parsed.characters.append(character_map.get(name, name))
            else:
                report["unmapped"].append(
                    f"character id {charid} (story {sid}) not in the characters table"
                )
        for class_id in id_list(row.get("classes")):
            if class_id not in classes:
                report["unmapped"].append(
                    f"class id {class_id} (story {sid}) not in the classes table"
                )
                continue
            ctype, cname = classes[class_id]
            kind = classtype_map.get(ctype.lower(), "freeform")
            if kind == "ignore":
                continue
            if kind == "warning":
                ao3 = warning_map.get(cname.lower())
                if ao3:
                    report["warnings"][cname] = ao3
                    parsed.warnings.append(ao3)
                else:
                    report["warnings"][cname] = None
                    parsed.freeforms.append(cname)
                    if f"warning {cname!r} -> additional tag" not in report["unmapped"]:
                        report["unmapped"].append(f"warning {cname!r} -> additional tag")
            elif kind == "category":
                ao3 = category_map.get(cname.lower())
                if ao3:
                    report["categories"][cname] = ao3
                    parsed.categories.append(ao3)
                else:
                    parsed.freeforms.append(cname)
                    report["unmapped"].append(f"category class {cname!r} -> additional tag")
            elif kind == "relationship":
                parsed.relationships.append(cname)
            elif kind == "character":
                parsed.characters.append(cname)
            else:
                parsed.freeforms.append(cname)
                if cname not in report["freeforms"]:
                    report["freeforms"].append(cname)
        parsed.published_at = to_datetime(row.get("date"))
        parsed.revised_at = to_datetime(row.get("updated")) or parsed.published_at
        completed = _as_int(row.get("completed"), 1)
        parsed.in_progress = completed == 0
        parsed.series = in_series.get(sid, [])
        chapter_ids = []
        for ch in sorted(
            chapters_by_story.get(sid, []),
            key=lambda r: (_as_int(r.get("inorder")), _as_int(r.get("chapid"))),
        ):
            if _as_int(ch.get("validated"), 1) <= 0:
                continue
            chapid = _as_int(ch.get("chapid"))
            text = str(ch.get("storytext") or "")
            if not text.strip():
                text = _chapter_file(sdir, _as_int(ch.get("uid")) or uid, chapid) or ""
            if not text.strip():
                report["missing_chapter_text"].append({"sid": sid, "chapid": chapid})
                continue
            parsed.chapters.append(
                ParsedChapter(
                    body_html=text,
                    title=str(ch.get("title") or "").strip(),
                    notes=str(ch.get("notes") or ""),
                    end_notes=str(ch.get("endnotes") or ""),
                )
            )
            chapter_ids.append(chapid)
        if not parsed.chapters:
            report["skipped_stories"].append(
                {"sid": sid, "title": title, "reason": "no chapter text"}
            )
            continue
        if parsed.chapters and parsed.chapters[0].title == title:
            parsed.chapters[0].title = ""
        authors = [uid] + id_list(row.get("coauthors")) + coauthors.get(sid, [])
        archive.stories.append(
            EfictionStory(
                sid=sid,
                author_uids=list(dict.fromkeys(a for a in authors if a)),
                parsed=parsed,
                chapter_ids=chapter_ids,
            )
        )

    for r in dump.rows("reviews"):
        if str(r.get("type") or "ST").upper() != "ST":
            continue
        text = str(r.get("review") or "")
        if not text.strip():
            continue
        archive.reviews.append(
            EfictionReview(
                sid=_as_int(r.get("item")),
                chapid=_as_int(r.get("chapid")),
                reviewer=str(r.get("reviewer") or ""),
                uid=_as_int(r.get("uid")),
                text=text,
                date=to_datetime(r.get("date")),
            )
        )
    return archive
