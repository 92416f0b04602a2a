"""Models of the lowest layer, shared by every app."""

from .audit import AuditLog
from .jobs_model import Job
from .ratestore import RateCounter

__all__ = ["AuditLog", "Job", "RateCounter"]
