"""Models of the lowest layer, shared by every app."""

from .audit import AuditLog
from .ratestore import RateCounter

__all__ = ["AuditLog", "RateCounter"]
