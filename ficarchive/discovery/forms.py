"""The filter's parameters: read from a query string (or any dict), checked, and written
back as a short canonical query string so that every filter state has a shareable URL.

Parameter names (repeat a name for several values; tag fields also take commas):
rating, exclude_rating, warning, exclude_warning, category, exclude_category, tag,
exclude_tag, crossover (only|exclude), complete (complete|in_progress), words_from,
words_to, date_from, date_to (YYYY-MM-DD, on the date updated), language, q (search
within results, the query language of ``query``), sort, dir (asc|desc), page; for a
signed-in reader, hide (read|kudosed|bookmarked: leave out works already read, given kudos
or bookmarked) and updated_since_read (1: only works with a chapter posted since they read
them)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field, fields, replace
from functools import lru_cache
from typing import Any
from urllib.parse import quote_plus

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ficarchive.tags.vocabulary import ArchiveWarning, Category, Rating

from .sorts import ASCENDING_BY_DEFAULT, SORTS

MAX_PAGE = 5000
MAX_VALUES = 50

LIST_FIELDS = (
    "rating",
    "exclude_rating",
    "warning",
    "exclude_warning",
    "category",
    "exclude_category",
    "tag",
    "exclude_tag",
    "hide",
)
# Read state a signed-in reader may hide from a listing (the reading app resolves them).
HIDE_VALUES = ("read", "kudosed", "bookmarked")
VOCAB = {
    "rating": set(Rating.values),
    "exclude_rating": set(Rating.values),
    "warning": set(ArchiveWarning.values),
    "exclude_warning": set(ArchiveWarning.values),
    "category": set(Category.values),
    "exclude_category": set(Category.values),
    "hide": set(HIDE_VALUES),
}
# The reader's language: these notes are shown above the listing they changed (the API
# answers in English, api/params.py).
_UNKNOWN = {
    "rating": gettext_lazy("%(value)s is not a known rating; it was left out."),
    "warning": gettext_lazy("%(value)s is not a known warning; it was left out."),
    "category": gettext_lazy("%(value)s is not a known category; it was left out."),
    "hide": gettext_lazy("%(value)s is not something a listing can hide; it was left out."),
}


def _getlist(data: Any, key: str) -> list[str]:
    if hasattr(data, "getlist"):
        values = data.getlist(key)
    else:
        raw = data.get(key)
        values = [] if raw is None else (list(raw) if isinstance(raw, (list, tuple)) else [raw])
    return [str(v) for v in values if v is not None]


def _get(data: Any, key: str) -> str:
    values = _getlist(data, key)
    return values[-1].strip() if values else ""


@lru_cache(maxsize=8192)
def _encoded_pair(name: str, value: str) -> str:
    """``name=value`` exactly as ``urllib.parse.urlencode`` writes one pair (``quote_plus``,
    UTF-8), remembered: the sidebar writes ~140 query strings per listing from the same few
    pairs, and quoting them anew was a third of the facets' cost at 1M works (issue 17)."""
    return f"{quote_plus(name)}={quote_plus(value)}"


@dataclass(frozen=True)
class FilterParams:
    rating: tuple[str, ...] = ()
    exclude_rating: tuple[str, ...] = ()
    warning: tuple[str, ...] = ()
    exclude_warning: tuple[str, ...] = ()
    category: tuple[str, ...] = ()
    exclude_category: tuple[str, ...] = ()
    tag: tuple[str, ...] = ()
    exclude_tag: tuple[str, ...] = ()
    hide: tuple[str, ...] = ()
    updated_since_read: str = ""  # "1": only works updated since the reader read them
    crossover: str = ""
    complete: str = ""
    words_from: int | None = None
    words_to: int | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    language: str = ""
    q: str = ""
    sort: str = ""
    dir: str = ""
    page: int = 1
    errors: tuple[str, ...] = field(default=(), compare=False)

    @classmethod
    def from_data(cls, data: Any) -> FilterParams:
        """Read parameters, dropping (and reporting in .errors) what cannot be used."""
        data = data or {}
        errors: list[str] = []
        values: dict[str, Any] = {}
        for name in LIST_FIELDS:
            out: list[str] = []
            for raw in _getlist(data, name):
                pieces = raw.split(",") if name in ("tag", "exclude_tag") else [raw]
                for piece in pieces:
                    piece = " ".join(piece.split())
                    if not piece or piece in out:
                        continue
                    if name in VOCAB and piece not in VOCAB[name]:
                        kind = name.replace("exclude_", "")
                        errors.append(_UNKNOWN[kind] % {"value": repr(piece)})
                        continue
                    out.append(piece)
            values[name] = tuple(out[:MAX_VALUES])
        crossover = _get(data, "crossover").lower()
        values["crossover"] = crossover if crossover in ("only", "exclude") else ""
        complete = _get(data, "complete").lower()
        values["complete"] = complete if complete in ("complete", "in_progress") else ""
        for name in ("words_from", "words_to"):
            raw = _get(data, name).replace(",", "")
            if raw:
                try:
                    values[name] = max(0, int(raw))
                except ValueError:
                    errors.append(
                        _("Word count %(value)s is not a number; it was left out.")
                        % {"value": repr(raw)}
                    )
        for name in ("date_from", "date_to"):
            raw = _get(data, name)
            if raw:
                try:
                    values[name] = dt.date.fromisoformat(raw)
                except ValueError:
                    errors.append(
                        _("Date %(value)s is not a date (write YYYY-MM-DD); it was left out.")
                        % {"value": repr(raw)}
                    )
        raw_since = _get(data, "updated_since_read").lower()
        values["updated_since_read"] = "1" if raw_since in ("1", "true", "on", "yes") else ""
        values["language"] = _get(data, "language")[:20]
        values["q"] = _get(data, "q")[:500]
        sort = _get(data, "sort").lower()
        values["sort"] = sort if sort in SORTS else ""
        direction = _get(data, "dir").lower()
        values["dir"] = direction if direction in ("asc", "desc") else ""
        try:
            values["page"] = min(MAX_PAGE, max(1, int(_get(data, "page") or 1)))
        except ValueError:
            values["page"] = 1
        return cls(errors=tuple(errors), **values)

    # --- what the filter uses -------------------------------------------------------
    def sort_key(self, *, has_text: bool) -> str:
        if self.sort == "relevance" and not has_text:
            return "updated"
        if self.sort:
            return self.sort
        return "relevance" if has_text else "updated"

    def descending(self, sort_key: str) -> bool:
        if self.dir:
            return self.dir == "desc"
        return sort_key not in ASCENDING_BY_DEFAULT

    # --- writing back ----------------------------------------------------------------
    def items(self, *, page: bool = False) -> list[tuple[str, str]]:
        out: list[tuple[str, str]] = []
        for f in fields(self):
            if f.name in ("errors", "page"):
                continue
            value = getattr(self, f.name)
            if isinstance(value, tuple):
                out.extend((f.name, v) for v in value)
            elif value not in (None, ""):
                out.append(
                    (f.name, value.isoformat() if isinstance(value, dt.date) else str(value))
                )
        if page and self.page > 1:
            out.append(("page", str(self.page)))
        return out

    def querystring(self, *, page: bool = False) -> str:
        """The canonical query string of this filter (without the page unless asked)."""
        return "&".join(_encoded_pair(name, value) for name, value in self.items(page=page))

    def with_value(self, name: str, value: str) -> FilterParams:
        """This filter with a value added to a list field (and the opposite list cleared of
        it), back on page 1: the target of a facet's include or exclude link."""
        opposite = name[len("exclude_") :] if name.startswith("exclude_") else f"exclude_{name}"
        changes: dict[str, Any] = {"page": 1}
        current = getattr(self, name)
        if value not in current:
            changes[name] = (*current, value)
        if hasattr(self, opposite) and value in getattr(self, opposite):
            changes[opposite] = tuple(v for v in getattr(self, opposite) if v != value)
        return replace(self, **changes)

    def value_links(self, name: str) -> Callable[[str], str]:
        """``lambda value: self.with_value(name, value).querystring()``, for the many links
        of one list field a sidebar writes: the other fields' pairs are encoded once, not
        once per link (issue 17: a quarter of the facets' time at 1M works). Same strings,
        property-tested against ``with_value``."""
        opposite = name[len("exclude_") :] if name.startswith("exclude_") else f"exclude_{name}"
        current = getattr(self, name)
        against = getattr(self, opposite, ())
        # Each field's encoded pairs in ``items()`` order, with the two that change marked.
        parts: list[tuple[str, list[str]]] = []
        for field_name, value in self.items():
            if parts and parts[-1][0] == field_name:
                parts[-1][1].append(_encoded_pair(field_name, value))
            else:
                parts.append((field_name, [_encoded_pair(field_name, value)]))
        order = [f.name for f in fields(self) if f.name not in ("errors", "page")]
        present = {field_name for field_name, _ in parts}
        for field_name in (name, opposite):
            if field_name in order and field_name not in present:
                parts.append((field_name, []))
        parts.sort(key=lambda part: order.index(part[0]))

        def link(value: str) -> str:
            out: list[str] = []
            for field_name, encoded in parts:
                if field_name == name:
                    out.extend(encoded)
                    if value not in current:
                        out.append(_encoded_pair(name, value))
                elif field_name == opposite and value in against:
                    out.extend(_encoded_pair(opposite, v) for v in against if v != value)
                else:
                    out.extend(encoded)
            return "&".join(out)

        return link

    def without_value(self, name: str, value: str) -> FilterParams:
        changes: dict[str, Any] = {name: tuple(v for v in getattr(self, name) if v != value)}
        return replace(self, page=1, **changes)

    @property
    def is_empty(self) -> bool:
        return not self.items()
