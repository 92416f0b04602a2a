"""Small filters for the filter sidebar (``discovery/_filters.html``)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import template

register = template.Library()


@register.filter
def any_entry(entries: Iterable[Any], attribute: str) -> bool:
    """True when one of a facet's entries has ``attribute`` set (``"included"`` or
    ``"excluded"``): such a group opens by itself, as AO3 keeps a list in use expanded."""
    return any(getattr(entry, attribute, False) for entry in entries)
