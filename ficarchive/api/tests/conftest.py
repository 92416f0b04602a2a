"""API test helpers: clients with tokens, and a check that every answer matches the
OpenAPI description."""

from __future__ import annotations

import json
from typing import Any

import jsonschema_rs
import pytest
from django.test import Client

from ficarchive.accounts.tokens import token_create
from ficarchive.api.schema import openapi


class ApiClient:
    """A Django test client that sends a token and validates every response against the
    operation's response schema in openapi.json."""

    def __init__(self, token: str | None = None, client: Client | None = None):
        self.client = client or Client()
        self.token = token
        self.schema = openapi()

    def _headers(self, headers: dict | None) -> dict:
        out = dict(headers or {})
        if self.token:
            out.setdefault("Authorization", f"Bearer {self.token}")
        return out

    def request(
        self, method: str, path: str, data: Any = None, headers: dict | None = None, **query: Any
    ):
        kwargs: dict[str, Any] = {"headers": self._headers(headers)}
        if method in ("get", "delete"):
            if query:
                kwargs["data"] = query
        else:
            kwargs["data"] = json.dumps(data if data is not None else {})
            kwargs["content_type"] = "application/json"
        response = getattr(self.client, method)("/api/v1" + path, **kwargs)
        check_response(self.schema, method, path, response)
        return response

    def get(self, path: str, headers: dict | None = None, **query: Any):
        return self.request("get", path, headers=headers, **query)

    def post(self, path: str, data: Any = None, headers: dict | None = None):
        return self.request("post", path, data, headers=headers)

    def patch(self, path: str, data: Any = None, headers: dict | None = None):
        return self.request("patch", path, data, headers=headers)

    def delete(self, path: str, headers: dict | None = None):
        return self.request("delete", path, headers=headers)


def _match(template: str, path: str) -> bool:
    a, b = template.strip("/").split("/"), path.split("?")[0].strip("/").split("/")
    return len(a) == len(b) and all(x == y or x.startswith("{") for x, y in zip(a, b, strict=True))


def check_response(schema: dict, method: str, path: str, response) -> None:
    """Fail unless the status is documented for the operation and the body fits its schema."""
    candidates = [t for t in schema["paths"] if _match(t, path)]
    # Literal segments win over parameters (tags/autocomplete over tags/{name}).
    candidates.sort(key=lambda t: t.count("{"))
    assert candidates, f"{path} is not in openapi.json"
    operation = schema["paths"][candidates[0]].get(method)
    assert operation is not None, f"{method.upper()} {path} is not in openapi.json"
    status = str(response.status_code)
    assert status in operation["responses"], (
        f"{method.upper()} {path}: status {status} not documented: {response.content[:300]!r}"
    )
    content = operation["responses"][status].get("content")
    if not content:
        return
    assert response["Content-Type"].startswith("application/json")
    root = {"components": schema["components"], **content["application/json"]["schema"]}
    errors = [str(e) for e in jsonschema_rs.Draft202012Validator(root).iter_errors(response.json())]
    assert not errors, f"{method.upper()} {path} {status}: {errors[:3]}"


def make_token(user, scope: str = "write") -> str:
    return token_create(actor=user, name=f"{scope} token", scope=scope)[1]


@pytest.fixture
def guest_api(db) -> ApiClient:
    return ApiClient()


@pytest.fixture
def reader_api(user) -> ApiClient:
    return ApiClient(make_token(user))


@pytest.fixture
def author_api(author) -> ApiClient:
    return ApiClient(make_token(author))


@pytest.fixture
def admin_api(admin_user) -> ApiClient:
    return ApiClient(make_token(admin_user))
