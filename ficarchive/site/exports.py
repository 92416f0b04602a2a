"""The account export ("download everything I made"), built by the job queue.

A request asks for it (``export_request``); the job ``site.export`` writes the ZIP that
``site.account.account_export`` makes to ``FICARCHIVE_HOME/exports/<token>.zip``, marks
it ready and mails the owner the link; the page at ``/account/export/<token>`` refreshes
until then. The file is served to its owner only, and removed ``EXPORT_KEPT`` after it
was made (``exports_purge``, run by the worker). A ZIP with every EPUB of a prolific
writer takes seconds to minutes: too long for a request, and repeated clicks would build
it again each time; here one click makes one job, and a second click while one is being
prepared or kept returns that one."""

from __future__ import annotations

import datetime as dt
import logging
import os
import secrets
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ficarchive.accounts.middleware import recipient_language
from ficarchive.accounts.models import User
from ficarchive.core.errors import NotFound
from ficarchive.core.jobs import job_enqueue
from ficarchive.moderation.mail import mail_queue

from .account import account_export
from .models import AccountExport, ExportStatus

log = logging.getLogger(__name__)

EXPORT_JOB = "site.export"
EXPORT_KEPT = dt.timedelta(days=7)  # a ready file is kept this long, then removed
PURGE_EVERY = dt.timedelta(hours=1)


def export_dir() -> Path:
    return Path(settings.FICARCHIVE_HOME) / "exports"


def export_path(export: AccountExport) -> Path:
    """Where the export's ZIP is (or will be) on disk."""
    return export_dir() / f"{export.token}.zip"


@transaction.atomic
def export_request(*, user: User) -> AccountExport:
    """Ask for an export: the one being prepared or still kept when there is one, else a
    new one queued for the worker."""
    now = timezone.now()
    current = (
        AccountExport.objects.select_for_update()
        .filter(user=user, expires_at__gt=now)
        .exclude(status=ExportStatus.FAILED)
        .first()
    )
    if current is not None:
        return current
    export = AccountExport.objects.create(
        user=user, token=secrets.token_urlsafe(32), expires_at=now + EXPORT_KEPT
    )
    job_enqueue(EXPORT_JOB, {"export": export.pk}, key=f"export:{export.pk}")
    return export


def export_for_owner(*, user: object, token: str) -> AccountExport:
    """The export named by ``token`` if ``user`` owns it and it has not expired; NotFound
    otherwise (another account's token looks like a missing one)."""
    export = (
        AccountExport.objects.filter(token=token, expires_at__gt=timezone.now())
        .select_related("user")
        .first()
    )
    if export is None or not isinstance(user, User) or export.user_id != user.pk:
        raise NotFound(_("No such download."))
    return export


def export_failed(export: AccountExport) -> bool:
    """True when the job gave up (its retries spent): the page stops waiting."""
    from ficarchive.core.jobs_model import Job, JobStatus

    if export.status == ExportStatus.FAILED:
        return True
    return Job.objects.filter(key=f"export:{export.pk}", status=JobStatus.FAILED).exists()


def export_build(payload: dict[str, Any]) -> None:
    """The job ``site.export`` (``{"export": id}``): write the ZIP (to a temporary name,
    then renamed, so a half-written file is never served), mark it ready and mail the link.
    Run twice, it rewrites the same file and the mail's key keeps it to one mail."""
    export = AccountExport.objects.select_related("user").filter(pk=payload["export"]).first()
    if export is None or export.status == ExportStatus.READY:
        return
    data = account_export(user=export.user)
    path = export_path(export)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".part")
    partial.write_bytes(data)
    os.replace(partial, path)
    now = timezone.now()
    AccountExport.objects.filter(pk=export.pk).update(
        status=ExportStatus.READY, size=len(data), finished_at=now, expires_at=now + EXPORT_KEPT
    )
    if export.user.email:
        mail_queue(
            to=export.user.email,
            template="site/mail/export_ready",
            context={
                "user": export.user,
                "link": settings.SITE_URL
                + reverse("site:account_export_status", args=[export.token]),
                "days": EXPORT_KEPT.days,
            },
            key=f"export-ready:{export.pk}",
            language=recipient_language(export.user),
        )


def exports_purge(*, now: dt.datetime | None = None) -> int:
    """Remove expired exports, their files with them; returns how many."""
    now = now or timezone.now()
    expired = list(AccountExport.objects.filter(expires_at__lte=now))
    for export in expired:
        try:
            export_path(export).unlink(missing_ok=True)
        except OSError:  # a file that cannot be removed now is retried at the next purge
            log.warning("could not remove %s", export_path(export), exc_info=True)
            continue
        export.delete()
    return len(expired)
