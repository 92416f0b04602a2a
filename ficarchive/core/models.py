"""Models of the lowest layer, shared by every app."""

from .audit import AuditLog
from .jobs_model import Job

__all__ = ["AuditLog", "Job"]
