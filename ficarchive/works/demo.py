"""The demo works shipped in ficarchive/works/demo/: parsing their files and loading them
through work_create, once (a demo work is recognised by its source hash)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from ficarchive.accounts.models import User

from .models import Work
from .services import ChapterInput, WorkMeta, source_hash_of, work_create

DEMO_DIR = Path(__file__).resolve().parent / "demo"
_LIST_KEYS = {"warnings", "categories", "fandoms", "relationships", "characters", "tags"}
_CHAPTER_RE = re.compile(r"^# Chapter: *(.*)$", re.MULTILINE)


@dataclass
class DemoWork:
    slug: str
    meta: dict[str, str | list[str]]
    chapters: list[tuple[str, str]] = field(default_factory=list)

    @property
    def source_hash(self) -> str:
        return source_hash_of(f"ficarchive-demo:{self.slug}")


def parse_demo_file(path: Path) -> DemoWork:
    """A demo file: `---` front matter of `key: value` lines, then the text, where
    `# Chapter: Title` lines start chapters."""
    raw = path.read_text(encoding="utf-8")
    match = re.match(r"^---\n(.*?)\n---\n(.*)$", raw, re.DOTALL)
    if not match:
        raise ValueError(f"{path.name}: no front matter")
    meta: dict[str, str | list[str]] = {}
    for line in match.group(1).splitlines():
        if not line.strip():
            continue
        key, _, value = line.partition(":")
        key, value = key.strip(), value.strip()
        meta[key] = (
            [v.strip() for v in value.split(",") if v.strip()] if key in _LIST_KEYS else value
        )
    body = match.group(2)
    pieces = _CHAPTER_RE.split(body)
    chapters: list[tuple[str, str]] = []
    if pieces[0].strip():
        chapters.append(("", pieces[0].strip()))
    for i in range(1, len(pieces), 2):
        chapters.append((pieces[i].strip(), pieces[i + 1].strip()))
    return DemoWork(slug=path.stem, meta=meta, chapters=chapters)


def demo_works() -> list[DemoWork]:
    return [parse_demo_file(p) for p in sorted(DEMO_DIR.glob("[0-9]*.md"))]


def _demo_user(username: str) -> User:
    """The demo account of that name, made with an unusable password. A real account that
    took the name first is left alone: the demo posts under "<name>_demo" instead."""
    user = User.objects.filter(username=username).first()
    if user is not None and user.has_usable_password():
        return _demo_user(f"{username[:35]}_demo")
    if user is None:
        user = User(username=username, email="")
        user.set_unusable_password()
        user.save()
    user.default_pseud()
    return user


def _str(meta: dict, key: str, default: str = "") -> str:
    value = meta.get(key, default)
    return value if isinstance(value, str) else ", ".join(value)


def _list(meta: dict, key: str) -> list[str]:
    value = meta.get(key, [])
    return value if isinstance(value, list) else [value]


@transaction.atomic
def demo_load() -> dict[str, int]:
    """Create the demo works that are not there yet. Returns counts of created and skipped."""
    existing = set(Work.objects.filter(source_hash__gt="").values_list("source_hash", flat=True))
    created = skipped = 0
    now = timezone.now()
    for demo in demo_works():
        if demo.source_hash in existing:
            skipped += 1
            continue
        meta = demo.meta
        author = _demo_user(_str(meta, "author", "demo_author"))
        expected = _str(meta, "expected_chapters")
        published = now - dt.timedelta(days=int(_str(meta, "days_ago", "0") or 0))
        n = len(demo.chapters)
        chapters = [
            ChapterInput(
                body=text,
                title=title,
                text_format="text",
                # Chapters of a multi-chapter demo work came out a few days apart.
                published_at=published + dt.timedelta(days=2 * i) if n > 1 else None,
            )
            for i, (title, text) in enumerate(demo.chapters)
        ]
        work_create(
            actor=author,
            meta=WorkMeta(
                title=_str(meta, "title"),
                rating=_str(meta, "rating"),
                warnings=_list(meta, "warnings"),
                fandoms=_list(meta, "fandoms"),
                categories=_list(meta, "categories"),
                relationships=_list(meta, "relationships"),
                characters=_list(meta, "characters"),
                freeforms=_list(meta, "tags"),
                summary=_str(meta, "summary"),
                notes=_str(meta, "notes"),
                end_notes=_str(meta, "end_notes"),
                language=_str(meta, "language", "en"),
                expected_chapters=int(expected) if expected.isdigit() else None,
                in_progress=expected == "?",
            ),
            chapters=chapters,
            published_at=published,
            source_hash=demo.source_hash,
            series_title=_str(meta, "series"),
        )
        created += 1
    return {"created": created, "skipped": skipped}
