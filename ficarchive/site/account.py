"""Accounts people manage themselves: delete the account (orphaning or deleting its
works, after the password), and download everything they made as one ZIP of JSON files
and an EPUB per work."""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ficarchive.accounts import standing
from ficarchive.accounts.models import User
from ficarchive.feedback.models import Bookmark, Comment, Kudos
from ficarchive.skins.selectors import work_skins_export
from ficarchive.transfer.downloads import download_bytes
from ficarchive.transfer.downloads.document import export_work_load
from ficarchive.works.models import Work
from ficarchive.works.services import work_delete, work_orphan


def _own_works(user: User):
    return Work.objects.filter(creatorships__pseud__user=user).distinct().order_by("pk")


@transaction.atomic
def account_delete(*, user: User, password: str, works: str) -> int:
    """Delete the account after checking its password. ``works="orphan"`` hands each work to
    the orphan account (a co-created work just loses this creator); ``works="delete"``
    deletes the works this account alone made and orphans its share of co-created ones.
    Returns how many works were orphaned or deleted. ValidationError, nothing changed, for
    a wrong password or choice. Staff accounts are removed by another admin instead."""
    if works not in ("orphan", "delete"):
        raise ValidationError({"works": [_("Choose to orphan or to delete your works.")]})
    if not user.check_password(password or ""):
        raise ValidationError({"password": [_("That is not your password.")]})
    if user.is_staff or user.is_superuser or user.system_role:
        raise ValidationError(_("Staff and system accounts are removed by another admin."))
    count = 0
    for work in _own_works(user):
        alone = not work.creatorships.exclude(pseud__user=user).exists()
        if works == "delete" and alone:
            work_delete(actor=user, work=work)
        else:
            work_orphan(actor=user, work=work)
        count += 1
    standing.user_delete(user=user)
    return count


def _work_json(work: Work) -> dict[str, Any]:
    return {
        "id": work.pk,
        "title": work.title,
        "summary": work.summary,
        "notes": work.notes,
        "end_notes": work.end_notes,
        "rating": work.rating,
        "language": work.language,
        "posted": work.posted,
        "restricted": work.restricted,
        "anonymous": work.anonymous,
        "tags": [{"name": t.tag.name, "kind": t.tag.kind} for t in work.taggings.all()],
        "published_at": work.published_at.isoformat() if work.published_at else None,
        "chapters": [
            {
                "position": c.position,
                "title": c.title,
                "summary": c.summary,
                "notes": c.notes,
                "body": c.body,
                "end_notes": c.end_notes,
                "posted": c.posted,
            }
            for c in work.chapters.order_by("position")
        ],
    }


def account_export(*, user: User) -> bytes:
    """Everything the account made, as a ZIP: ``account.json`` (profile, pseuds,
    preferences), ``works/ID.json`` with every chapter (drafts too), ``works/ID.epub`` for
    posted works, ``comments.json``, ``bookmarks.json`` and ``kudos.json``."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:

        def put(name: str, data: Any) -> None:
            archive.writestr(name, json.dumps(data, ensure_ascii=False, indent=2))

        put(
            "account.json",
            {
                "name": user.username,
                "email": user.email,
                "joined": user.date_joined.isoformat(),
                "profile": user.profile,
                "pseuds": [
                    {"name": p.name, "description": p.description} for p in user.pseuds.all()
                ],
                "preferences": {
                    "view_adult": user.view_adult,
                    "hide_warnings": user.hide_warnings,
                    "hide_freeform": user.hide_freeform,
                    "time_zone": user.time_zone,
                    "site_skin": user.site_skin,
                    "hide_work_skins": user.hide_work_skins,
                },
                "exported_at": timezone.now().isoformat(),
            },
        )
        for work in _own_works(user).prefetch_related("taggings__tag"):
            put(f"works/{work.pk}.json", _work_json(work))
            if work.posted:
                archive.writestr(
                    f"works/{work.pk}.epub", download_bytes(export_work_load(work), "epub")
                )
        put(
            "comments.json",
            [
                {
                    "id": c.pk,
                    "work": c.work_id,
                    "body": c.body,
                    "created_at": c.created_at.isoformat(),
                }
                for c in Comment.objects.filter(user=user, deleted=False).order_by("pk")
            ],
        )
        put(
            "bookmarks.json",
            [
                {
                    "work": b.work_id,
                    "notes": b.notes,
                    "tags": [t.name for t in b.tags.all()],
                    "private": b.private,
                    "rec": b.rec,
                    "created_at": b.created_at.isoformat(),
                }
                for b in Bookmark.objects.filter(user=user).prefetch_related("tags").order_by("pk")
            ],
        )
        put("work_skins.json", work_skins_export(user))
        put(
            "kudos.json",
            [
                {"work": k.work_id, "created_at": k.created_at.isoformat()}
                for k in Kudos.objects.filter(user=user).order_by("pk")
            ],
        )
    return buffer.getvalue()
