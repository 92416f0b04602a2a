"""Domain errors shared by services, views, the API and the command line."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied


class NotFound(Exception):
    """The thing does not exist, or the actor may not know that it exists."""


class PermissionDenied(DjangoPermissionDenied):
    """The actor may see the thing but may not do this to it. A Django PermissionDenied,
    so one that reaches a view's caller is answered 403, never 500; the API and the
    command line catch it and word their own answer."""
