"""The OpenAPI description of what the collections issue adds to works: ``collections``,
``gift_to`` and ``series`` on the work body, ``collections`` and ``gift_to`` on one work's
answer (optional: listings leave them out)."""

from __future__ import annotations

from typing import Any

from .schema_types import INT, STR, STRS

# Collections, gifts and series on a work (the collections issue). Optional on the Work
# object: a single work's answer carries them, listings leave them out.
WORK_PROPERTIES: dict[str, Any] = dict(
    {
        "collections": {
            **STRS,
            "description": "Names of the collections the work is approved in (single work only).",
        },
        "gift_to": {**STRS, "description": "Gift recipients, refused gifts left out."},
    }
)
WORK_INPUT_PROPERTIES: dict[str, Any] = {
    "collections": {
        **STRS,
        "description": "Collection names to add the work to (moderated ones hold it for approval).",
    },
    "gift_to": {
        **STRS,
        "description": 'The work\'s gift recipients, exactly: user names, "pseud (user)", or free text.',
    },
    "series": {
        "type": "array",
        "items": {
            "type": "object",
            "properties": {"id": INT, "title": STR, "position": {"type": "integer", "minimum": 1}},
        },
        "description": "Series to add the work to: an existing one by id, or the creator's by title (made when new).",
    },
}


def add_to(schemas: dict[str, Any]) -> None:
    """Add the properties to the Work, WorkInput and WorkPatch schemas (none required)."""
    schemas["Work"]["properties"].update(WORK_PROPERTIES)
    schemas["WorkInput"]["properties"].update(WORK_INPUT_PROPERTIES)
    schemas["WorkPatch"]["properties"].update(WORK_INPUT_PROPERTIES)
