from __future__ import annotations

from django.db import models


class JobStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class DownloadJob(models.Model):
    """One download file being built in the background: a work, a format, a revision.

    The unique constraint makes two requests for the same file share one job."""

    work = models.ForeignKey("works.Work", on_delete=models.CASCADE, related_name="download_jobs")
    format = models.CharField(max_length=10)
    revision = models.CharField(max_length=64)
    status = models.CharField(
        max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED, db_index=True
    )
    error = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Which of the FICARCHIVE_CONVERT_CONCURRENCY build slots a running job holds. The
    # unique constraint below lets the database itself refuse a second job the same slot,
    # so the cap holds across every worker process and machine.
    slot = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["work", "format", "revision"], name="downloadjob_once_per_revision"
            ),
            models.UniqueConstraint(
                fields=["slot"],
                condition=models.Q(slot__isnull=False),
                name="downloadjob_one_job_per_slot",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.format} of work {self.work_id} ({self.status})"
