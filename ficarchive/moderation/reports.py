"""Abuse reports: made by anyone (rate-limited per address), worked through by admins in a
queue (status, assignment, notes), with actions on the reported object taken from the
report, and the reporter told the outcome when they left an address.

AO3 sends reports to its Policy & Abuse team through a form with a fixed list of reasons;
this is that form and that team's queue, for a small archive."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ficarchive.accounts.middleware import recipient_language
from ficarchive.accounts.models import User
from ficarchive.accounts.selectors import account_of
from ficarchive.core.audit import audit_record
from ficarchive.core.errors import PermissionDenied
from ficarchive.core.viewers import Viewer, is_admin
from ficarchive.feedback.models import Comment
from ficarchive.tags.models import Tag, tag_key
from ficarchive.works.models import Chapter, Work

from .mail import mail_queue
from .models import AbuseReport, ReportKind, ReportNote, ReportReason, ReportStatus

DETAILS_MAX = 10_000
CLOSED = (ReportStatus.RESOLVED, ReportStatus.REJECTED)


@dataclass
class ReportInput:
    kind: str
    target: str  # an id (work, chapter, comment) or a name (user, tag)
    reason: str
    details: str = ""
    email: str = ""
    url: str = ""


def target_exists(kind: str, target: str) -> tuple[int | None, str]:
    """(object_id, object_name) for a reportable thing that exists; ValidationError
    otherwise. Only existence is checked: a report of a hidden work is still taken."""
    target = (target or "").strip()
    if kind in (ReportKind.WORK, ReportKind.CHAPTER, ReportKind.COMMENT):
        models: dict[str, Any] = {
            ReportKind.WORK: Work,
            ReportKind.CHAPTER: Chapter,
            ReportKind.COMMENT: Comment,
        }
        model = models[kind]
        if not target.isdigit() or not model.objects.filter(pk=int(target)).exists():
            missing: dict[str, str] = {
                ReportKind.WORK: _("There is no such work to report."),
                ReportKind.CHAPTER: _("There is no such chapter to report."),
                ReportKind.COMMENT: _("There is no such comment to report."),
            }
            raise ValidationError({"target": [missing[kind]]})
        return int(target), ""
    if kind == ReportKind.USER:
        user = User.objects.filter(username__iexact=target).first()
        if user is None:
            raise ValidationError({"target": [_("There is no such user to report.")]})
        return user.pk, user.username
    if kind == ReportKind.TAG:
        tag = Tag.objects.filter(name_key=tag_key(target)).first() if target else None
        if tag is None:
            raise ValidationError({"target": [_("There is no such tag to report.")]})
        return tag.pk, tag.name
    raise ValidationError({"kind": [_("Choose what you are reporting.")]})


@transaction.atomic
def report_create(*, actor: Viewer, data: ReportInput) -> AbuseReport:
    """File a report. Guests may leave an email to hear the outcome; a signed-in reporter
    is told at their account's address. ValidationError by field, nothing written. The rate
    limit is the caller's (the view counts per address with ``core.ratelimit``)."""
    errors: dict[str, list[str]] = {}
    object_id, object_name = None, ""
    try:
        object_id, object_name = target_exists(data.kind, data.target)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if data.reason not in ReportReason.values:
        errors["reason"] = [_("Choose a reason from the list.")]
    details = (data.details or "").strip()
    if len(details) > DETAILS_MAX:
        errors["details"] = [
            _("Details can be at most %(max)s characters.") % {"max": f"{DETAILS_MAX:,}"}
        ]
    if data.reason == ReportReason.OTHER and not details:
        errors["details"] = [_("Tell us what is wrong.")]
    email = (data.email or "").strip()
    account = account_of(actor)
    if account is not None and not email:
        email = account.email
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = [_("Please enter a valid email address, or none.")]
    if errors:
        raise ValidationError(errors)
    report = AbuseReport.objects.create(
        kind=data.kind,
        object_id=object_id,
        object_name=object_name,
        url=(data.url or "")[:500],
        reason=data.reason,
        details=details,
        reporter=account,
        email=email,
    )
    return report


def _require_admin(actor: Viewer) -> None:
    if not is_admin(actor):
        raise PermissionDenied(_("Only admins work on abuse reports."))


@transaction.atomic
def report_assign(*, actor: Viewer, report: AbuseReport, to: User | None) -> AbuseReport:
    """Assign a report to an admin (or to nobody); a new report becomes in progress."""
    _require_admin(actor)
    if to is not None and not is_admin(to):
        raise ValidationError(_("Reports are assigned to admins."))
    report.assigned_to = to
    if report.status == ReportStatus.NEW and to is not None:
        report.status = ReportStatus.IN_PROGRESS
    report.save(update_fields=["assigned_to", "status", "updated_at"])
    audit_record(
        actor=actor,
        action="report.assign",
        target=f"report {report.pk}",
        detail={"to": to.username if to else None},
    )
    return report


@transaction.atomic
def report_note_add(*, actor: Viewer, report: AbuseReport, body: str) -> ReportNote:
    """An admin's note on a report (admins only see it)."""
    _require_admin(actor)
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": [_("Write the note.")]})
    return ReportNote.objects.create(report=report, author=account_of(actor), body=body[:5000])


@transaction.atomic
def report_status_set(
    *, actor: Viewer, report: AbuseReport, status: str, outcome: str = ""
) -> AbuseReport:
    """Move a report to a status. Closing it (resolved or rejected) records the outcome and,
    queues a mail of it to the reporter's address if there is one."""
    _require_admin(actor)
    if status not in ReportStatus.values:
        raise ValidationError({"status": [_("Choose a status from the list.")]})
    before = report.status
    report.status = status
    report.outcome = (outcome or report.outcome).strip()
    closing = status in CLOSED and before not in CLOSED
    report.closed_at = timezone.now() if status in CLOSED else None
    report.save(update_fields=["status", "outcome", "closed_at", "updated_at"])
    audit_record(
        actor=actor,
        action="report.status",
        target=f"report {report.pk}",
        detail={"from": before, "to": status},
    )
    if closing and report.email:
        report_outcome_send(report)
    return report


def report_outcome_send(report: AbuseReport) -> None:
    """Queue the mail telling the reporter how their report ended (once per closing), in
    the closing write's transaction: in the reporter's language when they had an account,
    else in the language of the request that closed it (a guest's address has no
    preference)."""
    language = (
        recipient_language(report.reporter)
        if report.reporter is not None
        else translation.get_language() or settings.LANGUAGE_CODE
    )
    with translation.override(language):
        what = f"{report.get_kind_display().lower()} {report.object_name or report.object_id}"
        status = report.get_status_display().lower()
    mail_queue(
        to=report.email,
        template="moderation/mail/report_outcome",
        context={"what": what, "status": status, "outcome": report.outcome},
        # Once per closing: a report reopened and closed again tells its outcome again.
        key=f"report-outcome:{report.pk}:{report.closed_at:%Y%m%d%H%M%S%f}",
        language=language,
    )


def reported_work(report: AbuseReport) -> Work | None:
    """The work a report is about (a work's, a chapter's or a comment's), if it still exists."""
    if report.object_id is None:
        return None
    if report.kind == ReportKind.WORK:
        return Work.objects.filter(pk=report.object_id).first()
    if report.kind == ReportKind.CHAPTER:
        chapter = Chapter.objects.filter(pk=report.object_id).select_related("work").first()
        return chapter.work if chapter else None
    if report.kind == ReportKind.COMMENT:
        comment = Comment.objects.filter(pk=report.object_id).select_related("work").first()
        return comment.work if comment else None
    return None


def reported_user(report: AbuseReport) -> User | None:
    """The account a report is about: the user reported, or the commenter."""
    if report.object_id is None:
        return None
    if report.kind == ReportKind.USER:
        return User.objects.filter(pk=report.object_id).first()
    if report.kind == ReportKind.COMMENT:
        comment = Comment.objects.filter(pk=report.object_id).first()
        return comment.user if comment and comment.user_id else None
    return None


def reported_url(report: AbuseReport) -> str:
    """Where the reported object lives on the site ("" when it is gone)."""
    models: dict[str, Any] = {
        ReportKind.WORK: Work,
        ReportKind.CHAPTER: Chapter,
        ReportKind.COMMENT: Comment,
        ReportKind.USER: User,
        ReportKind.TAG: Tag,
    }
    if report.object_id is None:
        return ""
    found = models[report.kind].objects.filter(pk=report.object_id).first()
    if found is None:
        return ""
    return found.get_tag_url() if isinstance(found, Tag) else found.get_absolute_url()
