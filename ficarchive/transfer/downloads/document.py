"""The one rendering of a work that every download format is made from.

AO3's download writer renders the whole work as one HTML file (preface, chapters,
afterword) and converts that file; so do we. The rendering depends on the work alone,
never on who asks: anonymous works say "Anonymous" for every reader, so one cached
file can serve everyone."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse

from ficarchive.tags.models import tag_url_name
from ficarchive.tags.vocabulary import TagKind
from ficarchive.works import access
from ficarchive.works.models import Chapter, Work

ANONYMOUS = "Anonymous"

# The preface's tag rows, in AO3's order and with AO3's labels.
TAG_ROWS = [
    (TagKind.RATING, "Rating", "Rating"),
    (TagKind.WARNING, "Archive Warning", "Archive Warnings"),
    (TagKind.CATEGORY, "Category", "Categories"),
    (TagKind.FANDOM, "Fandom", "Fandoms"),
    (TagKind.RELATIONSHIP, "Relationship", "Relationships"),
    (TagKind.CHARACTER, "Character", "Characters"),
    (TagKind.FREEFORM, "Additional Tags", "Additional Tags"),
]


@dataclass
class TagLink:
    name: str
    url: str


@dataclass
class TagRow:
    kind: str
    label: str
    tags: list[TagLink]


@dataclass
class ExportChapter:
    number: int
    title: str
    heading: str
    summary: str
    notes: str
    end_notes: str
    body: str
    anchor: str
    # AO3 numbers the chapters of multi-chapter works and titled ones; a one-shot's only
    # heading is the work's title, hidden, for the table of contents.
    numbered: bool = True


@dataclass
class ExportWork:
    """Everything a download shows, read once from the database."""

    id: int
    title: str
    slug: str
    url: str
    creators: list[str]
    creator_urls: list[str]
    anonymous: bool
    language: str
    summary: str
    notes: str
    end_notes: str
    tag_rows: list[TagRow]
    chapters: list[ExportChapter]
    published: str
    updated: str
    modified_iso: str
    words: int
    chapters_display: str
    series: list[tuple[int, str, str]] = field(default_factory=list)
    site_name: str = ""
    site_url: str = ""

    @property
    def bylines(self) -> list[tuple[str, str]]:
        return list(zip(self.creators, self.creator_urls, strict=True))

    @property
    def byline(self) -> str:
        return ", ".join(self.creators)

    def tags_of(self, kind: str) -> list[str]:
        for row in self.tag_rows:
            if row.kind == kind:
                return [t.name for t in row.tags]
        return []

    @property
    def all_tag_names(self) -> list[str]:
        return [t.name for row in self.tag_rows for t in row.tags]

    @property
    def direction(self) -> str:
        """ "rtl" when the work's language is written right to left, else "ltr"."""
        return text_direction(self.language)


def text_direction(language: str) -> str:
    """ "rtl" or "ltr" for a BCP 47 language tag ("ar", "fa-IR", "he"): right to left when
    its primary subtag is one of Django's right-to-left languages (``LANGUAGES_BIDI``:
    Arabic, Hebrew, Persian, Central Kurdish, Uyghur, Urdu)."""
    primary = (language or "").strip().replace("_", "-").split("-")[0].lower()
    return "rtl" if primary and primary in settings.LANGUAGES_BIDI else "ltr"


def _absolute(path: str) -> str:
    return settings.SITE_URL + path


def export_chapters(work: Work) -> list[Chapter]:
    """The chapters a download holds: the posted ones, in order (unposted chapter drafts
    stay out of every file, whoever asks)."""
    return list(work.chapters.filter(posted=True).order_by("position", "id"))


def export_work_load(work: Work) -> ExportWork:
    """Read a work with its chapters, creators and tags into the shape the template shows."""
    work = (
        Work.objects.filter(pk=work.pk)
        .prefetch_related("taggings__tag", "creatorships__pseud__user", "serial_works__series")
        .get()
    )
    # One file serves every reader, so it shows what a guest may learn.
    pseuds = access.creators_of(work, None)
    if pseuds is None:
        creators, creator_urls = [ANONYMOUS], [""]
    else:
        creators = [p.display_name for p in pseuds] or [ANONYMOUS]
        creator_urls = [_absolute(p.get_absolute_url()) for p in pseuds] or [""]
    rows = []
    for kind, singular, plural in TAG_ROWS:
        tags = work.tags_of_kind(kind)
        if tags:
            rows.append(
                TagRow(
                    kind=str(kind),
                    label=singular if len(tags) == 1 else plural,
                    tags=[
                        TagLink(
                            t.name, _absolute(reverse("tags:works", args=[tag_url_name(t.name)]))
                        )
                        for t in tags
                    ],
                )
            )
    chapters = []
    multi = len(work_chapters := export_chapters(work)) > 1
    for number, ch in enumerate(work_chapters, start=1):
        heading = f"Chapter {number}: {ch.title}" if ch.title else f"Chapter {number}"
        chapters.append(
            ExportChapter(
                number=number,
                title=ch.title,
                heading=heading if multi or ch.title else work.title,
                summary=ch.summary,
                notes=ch.notes,
                end_notes=ch.end_notes,
                body=ch.body,
                anchor=f"chapter-{number}",
                numbered=multi or bool(ch.title),
            )
        )
    published = work.published_at or work.created_at
    revised = work.revised_at or work.updated_at
    return ExportWork(
        id=work.pk,
        title=work.title,
        slug=work.slug,
        url=_absolute(work.get_absolute_url()),
        creators=creators,
        creator_urls=creator_urls,
        anonymous=access.is_anonymous(work),
        language=work.language or "en",
        summary=work.summary,
        notes=work.notes,
        end_notes=work.end_notes,
        tag_rows=rows,
        chapters=chapters,
        published=published.date().isoformat(),
        updated=revised.date().isoformat(),
        modified_iso=work.updated_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        words=work.word_count,
        chapters_display=work.chapters_display,
        series=[
            (sw.position, sw.series.title, _absolute(sw.series.get_absolute_url()))
            for sw in access.series_shown(work, None)
        ],
        site_name=settings.SITE_NAME,
        site_url=settings.SITE_URL,
    )


# Raised whenever the download files change for every work (their template, EPUB
# layout or stylesheet: 2 = the text direction of right-to-left works), so that files
# cached before an upgrade are built again instead of served until each work is edited.
LAYOUT_VERSION = 2


def export_revision(work: Work) -> str:
    """The cache key of a work's downloads: its last edit time, plus a digest of what can
    change without touching the work row (creators orphaned or renamed, tags renamed) and
    of ``LAYOUT_VERSION``."""
    creators = list(
        work.creatorships.order_by("position", "id").values_list(
            "pseud__name", "pseud__user__username"
        )
    )
    tags = list(work.taggings.order_by("position", "id").values_list("tag__name", flat=True))
    # Another work of a series turning anonymous hides this one's "Part N of" line.
    series = [
        (sw.series_id, access.in_anonymous_series(sw))
        for sw in work.serial_works.order_by("series_id")
    ]
    digest = hashlib.sha256(
        repr(
            (
                LAYOUT_VERSION,
                work.title,
                access.is_anonymous(work),
                creators,
                tags,
                work.word_count,
                series,
            )
        ).encode()
    ).hexdigest()[:10]
    stamp = int(work.updated_at.timestamp() * 1_000_000)
    return f"{stamp}-{digest}"


def render_work_html(export: ExportWork, *, css: str = "") -> str:
    """The whole work as one XHTML-compatible HTML document (the one template); css is
    embedded for the one-file HTML download."""
    return render_to_string(
        "transfer/download.html",
        {"work": export, "comment_url": export.url + "#comments", "css": css},
    )
