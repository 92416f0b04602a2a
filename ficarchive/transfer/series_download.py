"""A whole series as one EPUB: the works of the series the reader may see, in series
order, each work's chapters one after another, through the same template and EPUB writer
as a work's download (``downloads``). Bylines as a guest sees them, as in every download:
an anonymous series or work says "Anonymous"."""

from __future__ import annotations

from dataclasses import replace

from django.conf import settings
from django.utils.text import slugify

from ficarchive.works import access
from ficarchive.works.models import Series, Work

from .downloads import _css
from .downloads.document import (
    ANONYMOUS,
    ExportChapter,
    ExportWork,
    export_work_load,
    render_work_html,
)
from .downloads.epub import html_to_epub


def series_slug(series: Series) -> str:
    """The file name's stem: the title's ASCII slug ("series-ID" when it has none)."""
    return slugify(series.title)[:80] or f"series-{series.pk}"


def _chapters(works: list[ExportWork]) -> list[ExportChapter]:
    """Every chapter of every work, headed "Work: Chapter", the work's summary and notes
    before its first chapter and its end notes after its last."""
    out: list[ExportChapter] = []
    for index, export in enumerate(works, start=1):
        for n, chapter in enumerate(export.chapters):
            heading = export.title if not chapter.numbered else f"{export.title}: {chapter.heading}"
            extra: dict[str, str] = {}
            if n == 0:
                extra["summary"] = export.summary + chapter.summary
                extra["notes"] = export.notes + chapter.notes
            if n == len(export.chapters) - 1:
                extra["end_notes"] = chapter.end_notes + export.end_notes
            out.append(
                replace(
                    chapter,
                    number=len(out) + 1,
                    heading=f"Part {index}. {heading}",
                    anchor=f"work-{export.id}-{chapter.anchor}",
                    numbered=True,
                    **extra,
                )
            )
    return out


def series_export(series: Series, works: list[Work]) -> ExportWork:
    """The series as one ``ExportWork`` over ``works`` (already checked for the reader)."""
    exports = [export_work_load(w) for w in works if w.posted]
    if access.series_creators_shown(series, None):
        names = list(dict.fromkeys(n for e in exports for n in e.creators))
    else:
        names = [ANONYMOUS]
    words = sum(e.words for e in exports)
    updated = max((e.updated for e in exports), default="")
    first = exports[0] if exports else None
    return ExportWork(
        id=series.pk,
        title=series.title,
        slug=series_slug(series),
        url=settings.SITE_URL + series.get_absolute_url(),
        creators=names,
        creator_urls=[""] * len(names),
        anonymous=names == [ANONYMOUS],
        language=first.language if first else "en",
        summary=series.summary,
        notes=series.notes,
        end_notes="",
        tag_rows=[],
        chapters=_chapters(exports),
        published=min((e.published for e in exports), default=""),
        updated=updated,
        modified_iso=max((e.modified_iso for e in exports), default=""),
        words=words,
        chapters_display=str(sum(len(e.chapters) for e in exports)),
        site_name=settings.SITE_NAME,
        site_url=settings.SITE_URL,
    )


def series_epub(series: Series, works: list[Work]) -> bytes:
    """The series as EPUB 3 bytes (built on request: a series changes with any of its works)."""
    export = series_export(series, works)
    css = _css()
    return html_to_epub(render_work_html(export), export, css)
