"""Reading API input strictly: where the web pages quietly drop a bad filter value, the
API answers 400 and says which parameter was wrong."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.http import QueryDict
from django.utils import translation

from ficarchive.discovery.forms import SORTS, VOCAB, FilterParams

from .http import ApiError

CHOICES = {
    "sort": set(SORTS),
    "dir": {"asc", "desc"},
    "crossover": {"only", "exclude"},
    "complete": {"complete", "in_progress"},
    "updated_since_read": {"true", "false"},
}


def bad(field: str, message: str) -> ApiError:
    return ApiError(400, "invalid_parameter", message, fields={field: [message]})


def filter_params(query: QueryDict) -> FilterParams:
    """The browse page's filter parameters (discovery.forms), checked strictly."""
    for name, allowed in CHOICES.items():
        value = query.get(name)
        if value is not None and value.lower() not in allowed:
            raise bad(name, f"{name} must be one of: {', '.join(sorted(allowed))}.")
    # Repeatable filters from a fixed vocabulary (openapi.json gives each an enum): an empty
    # value is refused rather than read as "no filter".
    for name in VOCAB:
        if any(not value.strip() for value in query.getlist(name)):
            raise bad(name, f"{name} must not be empty.")
        for value in query.getlist(name):
            if " ".join(value.split()) not in VOCAB[name]:  # as FilterParams reads it
                raise bad(name, f"{value!r} is not a known value of {name}.")
    for name in ("words_from", "words_to"):
        value = query.get(name)
        if value is not None:
            if not re.fullmatch(r"[0-9]{1,9}", value):
                raise bad(name, f"{name} must be a whole number.")
    for name in ("date_from", "date_to"):
        value = query.get(name)
        if value is not None:
            try:
                if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
                    raise ValueError
                dt.date.fromisoformat(value)
            except ValueError:
                raise bad(name, f"{name} must be a date written YYYY-MM-DD.")
    # The API answers in English whatever the request's language (as its other errors).
    with translation.override("en"):
        params = FilterParams.from_data(query)
    if params.errors:
        raise ApiError(400, "invalid_parameter", params.errors[0])
    return params


def field_error(field: str, message: str) -> ApiError:
    """A 400 naming the body field at fault."""
    return ApiError(400, "invalid", message, fields={field: [message]})


def get_str(
    data: dict[str, Any], key: str, default: str = "", *, max_length: int | None = None
) -> str:
    value = data.get(key, default)
    if not isinstance(value, str):
        raise field_error(key, f"{key} must be a string.")
    if max_length is not None and len(value) > max_length:
        raise field_error(key, f"{key} can be at most {max_length} characters.")
    return value


def get_list(data: dict[str, Any], key: str, default: list[str] | None = None) -> list[str]:
    value = data.get(key, default if default is not None else [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise field_error(key, f"{key} must be a list of strings.")
    return value


def get_bool(data: dict[str, Any], key: str, default: bool = False) -> bool:
    value = data.get(key, default)
    if not isinstance(value, bool):
        raise field_error(key, f"{key} must be true or false.")
    return value


def get_int(
    data: dict[str, Any], key: str, default: int | None = None, *, nullable: bool = True
) -> int | None:
    value = data.get(key, default)
    if value is None and nullable:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise field_error(key, f"{key} must be a whole number.")
    return value


def get_id(data: dict[str, Any], key: str, *, required: bool = False) -> int | None:
    if key in data and data[key] is None:
        raise field_error(key, f"{key} must be a positive whole number.")
    value = data.get(key)
    if value is None:
        if required:
            raise field_error(key, f"{key} is required.")
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise field_error(key, f"{key} must be a positive whole number.")
    return value


def query_bool(query: QueryDict, name: str, default: bool = False) -> bool:
    value = query.get(name)
    if value is None:
        return default
    if value not in ("true", "false"):
        raise bad(name, f"{name} must be true or false.")
    return value == "true"


def get_ids(data: dict[str, Any], key: str, *, max_items: int = 1000) -> list[int]:
    """A required list of positive whole numbers (ids)."""
    value = data.get(key)
    if (
        not isinstance(value, list)
        or len(value) > max_items
        or not all(isinstance(v, int) and not isinstance(v, bool) and v >= 1 for v in value)
    ):
        raise field_error(key, f"{key} must be a list of positive whole numbers.")
    return value
