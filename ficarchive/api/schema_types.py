"""JSON Schema building blocks for the OpenAPI description of /api/v1/."""

from __future__ import annotations

from typing import Any

STR = {"type": "string"}
INT = {"type": "integer"}
BOOL = {"type": "boolean"}
NSTR = {"type": ["string", "null"]}
NINT = {"type": ["integer", "null"]}
DATETIME = {"type": ["string", "null"], "format": "date-time"}
STRS = {"type": "array", "items": STR}
URL = {"type": "string", "format": "uri"}


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def obj(properties: dict[str, Any], *, required: list[str] | None = None) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties) if required is None else required,
    }


def page_of(item: str) -> dict[str, Any]:
    return obj(
        {
            "items": {"type": "array", "items": ref(item)},
            "next_cursor": NSTR,
            "next": {"type": ["string", "null"]},
        }
    )
