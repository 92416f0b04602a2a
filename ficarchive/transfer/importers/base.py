"""What every importer produces: a ParsedWork, the source's text and metadata before
anything is written. `ficarchive.transfer.services_import.work_import` maps it onto a Work."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


class ImportRejected(Exception):
    """The file cannot be imported; the message is one line a person can act on."""


@dataclass
class ParsedChapter:
    """One chapter: body_html is source HTML (sanitized again when the work is saved)."""

    body_html: str
    title: str = ""
    notes: str = ""
    end_notes: str = ""
    summary: str = ""
    published_at: dt.datetime | None = None


@dataclass
class ParsedWork:
    """A work as read from a file or an eFiction dump, with whatever metadata it had.

    Tag lists hold names as the source spelt them; rating/warnings/categories are mapped
    onto AO3's vocabulary by the service (unknown ratings become Not Rated, unknown
    warnings are dropped and noted in `notices`)."""

    title: str = ""
    creators: list[str] = field(default_factory=list)
    rating: str = ""
    warnings: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    fandoms: list[str] = field(default_factory=list)
    relationships: list[str] = field(default_factory=list)
    characters: list[str] = field(default_factory=list)
    freeforms: list[str] = field(default_factory=list)
    language: str = ""
    series: list[tuple[str, int | None]] = field(default_factory=list)
    collections: list[str] = field(default_factory=list)
    summary: str = ""
    notes: str = ""
    end_notes: str = ""
    chapters: list[ParsedChapter] = field(default_factory=list)
    published_at: dt.datetime | None = None
    revised_at: dt.datetime | None = None
    source_url: str = ""
    expected_chapters: int | None = None
    in_progress: bool = False
    # Which reader understood the file ("ao3-html", "epub", "fanficfare-epub", ...).
    source_format: str = ""
    # Things the reader saw but could not keep, for the import report.
    notices: list[str] = field(default_factory=list)

    @property
    def word_source(self) -> str:
        return "".join(c.body_html for c in self.chapters)
