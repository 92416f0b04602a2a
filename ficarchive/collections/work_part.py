"""The collections' part of a work page (``works.pages.work_page_part_register``): the
collections it is approved in, its gift recipients and its related works, in three
queries. Runs after the page's access check; a related work is named only when the viewer
may read it."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.http import HttpRequest

from ficarchive.works.models import Chapter, Work

from .models import Approval, CollectionItem, Gift, LinkStatus, RelatedWork


def work_page_part(request: HttpRequest, work: Work, chapter: Chapter | None) -> dict[str, Any]:
    collections = [
        item.collection
        for item in CollectionItem.objects.filter(
            work=work,
            collection_approval=Approval.APPROVED,
            creator_approval=Approval.APPROVED,
        ).select_related("collection")
    ]
    gifts = [
        g.recipient for g in Gift.objects.filter(work=work, refused=False).select_related("pseud")
    ]
    readable = Work.objects.visible_to(request.user).values("pk")
    links = RelatedWork.objects.filter(
        Q(work=work, parent__isnull=True)
        | Q(work=work, parent__in=readable)
        | Q(parent=work, work__in=readable, status=LinkStatus.APPROVED)
    ).select_related("parent", "work")
    return {
        "collections": collections,
        "gifts": gifts,
        "sources": [link for link in links if link.work_id == work.pk],
        "derived": [link for link in links if link.parent_id == work.pk],
    }
