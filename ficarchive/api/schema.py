"""The OpenAPI 3.1 description of /api/v1/, written by hand and kept honest by the tests,
which validate every response they see against it and run Schemathesis over it. The shared
schemas live in ``schema_components``, the paths in ``schema_paths``."""

from __future__ import annotations

import copy
import functools
from typing import Any

from django.conf import settings

from . import schema_collections, schema_moderation, schema_notify
from .schema_components import SCHEMAS
from .schema_paths import _paths
from .schema_reading import READING_SCHEMAS, reading_paths

schema_collections.add_to(SCHEMAS)


@functools.cache
def _openapi() -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Ficarchive API",
            "version": "1.0.0",
            "description": 'Works, chapters, series, tags, filters, search, bookmarks, kudos, comments, the inbox, subscriptions and tag suggestions, under the site\'s permission rules. Errors are {"error": {"code", "message"}}.',
        },
        "servers": [{"url": settings.SITE_URL + "/api/v1"}],
        "security": [{}, {"bearerAuth": []}],
        "paths": {
            **_paths(),
            **reading_paths(),
            **schema_notify.paths(),
            **schema_moderation.paths(),
            **schema_collections.paths(),
        },
        "components": {
            "schemas": {
                **SCHEMAS,
                **READING_SCHEMAS,
                **schema_notify.SCHEMAS,
                **schema_moderation.SCHEMAS,
                **schema_collections.SCHEMAS,
            },
            "securitySchemes": {
                "bearerAuth": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "A personal access token, fa_...",
                },
                "sessionCookie": {
                    "type": "apiKey",
                    "in": "cookie",
                    "name": "sessionid",
                    "description": "The site's session; writes need X-CSRFToken.",
                },
            },
        },
    }


def openapi() -> dict[str, Any]:
    """The description, a fresh copy each time (callers may change theirs)."""
    return copy.deepcopy(_openapi())


def operations() -> list[dict[str, Any]]:
    """Every operation, flattened for the human page."""
    out = []
    for path, item in _openapi()["paths"].items():
        shared = item.get("parameters", [])
        for method in ("get", "post", "put", "patch", "delete"):
            op = item.get(method)
            if op is None:
                continue
            out.append(
                {
                    "id": op["operationId"],
                    "method": method.upper(),
                    "path": path,
                    "summary": op["summary"],
                    "description": op.get("description", ""),
                    "parameters": [
                        p for p in shared + op.get("parameters", []) if p["in"] != "header"
                    ],
                    "responses": [(code, r["description"]) for code, r in op["responses"].items()],
                    "write": op.get("x-scope") == "write",
                }
            )
    return out
