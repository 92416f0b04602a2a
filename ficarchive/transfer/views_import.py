"""Import from files (GET/POST /works/import): the upload form and its result page.

Each uploaded file becomes one work owned by the person uploading, through
services_import.file_import; one file's failure never stops the others, and a refused
file leaves nothing behind (work_import runs in one transaction)."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ficarchive.accounts.models import User
from ficarchive.core.errors import NotFound, PermissionDenied
from ficarchive.works import access
from ficarchive.works.models import Work
from ficarchive.works.services import source_hash_of

from .forms_import import ImportForm, human_size
from .importers import ImportRejected, import_file
from .services_import import ImportOverrides, ImportResult, file_import, work_import

logger = logging.getLogger(__name__)


@dataclass
class UploadOutcome:
    """What happened to one uploaded file, for the result page."""

    name: str
    work: Work | None = None
    created: bool = False
    reason: str = ""
    notices: list[str] = field(default_factory=list)


def _own_work(user: User, work: Work) -> Work | None:
    """The work when the user is one of its creators (``access.access_work``, ``Need.EDIT``)."""
    try:
        return access.access_work(user, work, need=access.Need.EDIT)
    except (NotFound, PermissionDenied):
        return None


def _import_one(
    *, actor: User, name: str, data: bytes, overrides: ImportOverrides, options: dict[str, bool]
) -> ImportResult:
    """file_import for one upload. file_import returns an already imported work instead of
    a new one; when that work is someone else's, the uploader still gets their own copy
    (and learns nothing about the other work)."""
    result = file_import(
        actor=actor,
        path_or_bytes=data,
        filename=name,
        overrides=overrides,
        draft=options["draft"],
        restricted=options["restricted"],
        anonymous=options["anonymous"],
    )
    if result.created or _own_work(actor, result.work) is not None:
        return result
    source_hash = source_hash_of(data)
    own = Work.objects.filter(access.own_works_q(actor), source_hash=source_hash).first()
    if own is not None:
        return ImportResult(work=own, created=False, notices=["already imported"])
    parsed = import_file(data, name)
    return work_import(
        actor=actor,
        parsed=parsed,
        overrides=overrides,
        source_hash=source_hash,
        skip_existing=False,
        draft=options["draft"],
        restricted=options["restricted"],
        anonymous=options["anonymous"],
    )


def _import_uploads(actor: User, form: ImportForm) -> list[UploadOutcome]:
    overrides = form.overrides()
    options = {
        key: bool(form.cleaned_data.get(key)) for key in ("draft", "restricted", "anonymous")
    }
    outcomes: list[UploadOutcome] = []
    for upload in form.cleaned_data["uploads"]:
        name = upload.name or "file"
        outcome = UploadOutcome(name=name)
        try:
            data = b"".join(upload.chunks())
            result = _import_one(
                actor=actor, name=name, data=data, overrides=overrides, options=options
            )
        except ImportRejected as exc:
            outcome.reason = str(exc)
        except Exception:  # a broken file must not stop the others, nor show a traceback
            logger.exception("import of uploaded file %r by %s failed", name, actor.username)
            outcome.reason = _(
                "the file could not be read: it may be damaged, or in a form this archive "
                "does not know."
            )
        else:
            outcome.work, outcome.created = result.work, result.created
            outcome.notices = [n for n in result.notices if n != "already imported"]
        outcomes.append(outcome)
    return outcomes


@login_required
@require_http_methods(["GET", "POST"])
def work_import_upload(request: HttpRequest) -> HttpResponse:
    """Import from files: the form, then one line per file (work made, or the reason not)."""
    form = ImportForm(request.POST or None, request.FILES or None)
    context: dict[str, Any] = {
        "form": form,
        "max_upload": human_size(settings.FICARCHIVE_MAX_UPLOAD_BYTES),
    }
    if request.method != "POST":
        return render(request, "transfer/import.html", context)
    if not form.is_valid():
        return render(request, "transfer/import.html", context, status=400)
    outcomes = _import_uploads(request.user, form)  # type: ignore[arg-type]
    created = [o for o in outcomes if o.work is not None and o.created]
    context.update(
        form=ImportForm(initial={"draft": form.cleaned_data["draft"]}),
        outcomes=outcomes,
        created=created,
        drafts=any(o.work is not None and not o.work.posted for o in created),
        existing=[o for o in outcomes if o.work is not None and not o.created],
        refused=[o for o in outcomes if o.work is None],
    )
    return render(request, "transfer/import.html", context)
