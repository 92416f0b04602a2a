"""Domain errors shared by services, views, the API and the command line."""

from __future__ import annotations


class NotFound(Exception):
    """The thing does not exist, or the actor may not know that it exists."""


class PermissionDenied(Exception):
    """The actor may see the thing but may not do this to it."""
