"""The job queue's table: background work kept in the database, so that a small install
needs no broker and a job survives a restart (see core/jobs.py)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class JobStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class Job(models.Model):
    """One unit of background work: a registered kind and its JSON payload.

    ``key``, when given, makes the job once-only: a second enqueue with the same key is a
    no-op while the first row exists (a fan-out per chapter, a digest per user and hour)."""

    kind = models.CharField(max_length=60)
    payload = models.JSONField(default=dict)
    key = models.CharField(max_length=200, null=True, blank=True, unique=True)
    status = models.CharField(max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    run_after = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["run_after", "id"]
        indexes = [models.Index(fields=["status", "run_after"], name="core_job_due")]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} ({self.status})"
