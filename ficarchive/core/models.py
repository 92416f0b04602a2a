"""Models of the lowest layer, shared by every app."""

from .audit import AuditLog

__all__ = ["AuditLog"]
