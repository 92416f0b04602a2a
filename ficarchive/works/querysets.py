"""The one gate through which every listing, search, feed, export and API reaches works."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q


class WorkQuerySet(models.QuerySet):
    def visible_to(self, viewer: Any) -> WorkQuerySet:
        """Works the viewer may see: posted and not hidden; restricted ones only when logged
        in; and always the viewer's own works (drafts and hidden ones included). Admins also
        see hidden works, but not other people's drafts."""
        public = Q(posted=True, hidden_by_admin=False)
        if viewer is None or not getattr(viewer, "is_authenticated", False):
            return self.filter(public, restricted=False)
        if viewer.is_superuser or viewer.is_staff:
            public = Q(posted=True)
        # A subquery, not a list: one query for the page, and no size limit on prolific authors.
        own_ids = self.model._default_manager.filter(creatorships__pseud__user=viewer).values("id")
        return self.filter(public | Q(id__in=own_ids))

    def listed_for(self, viewer: Any) -> WorkQuerySet:
        """Works that belong in public listings for this viewer: as visible_to, minus the
        viewer's own drafts (listed on their drafts page only) and, but for admins, minus
        works an admin has hidden (their creators still reach them by address)."""
        listed = self.visible_to(viewer).filter(posted=True)
        if not (viewer is not None and getattr(viewer, "is_authenticated", False) and (viewer.is_superuser or viewer.is_staff)):
            listed = listed.filter(hidden_by_admin=False)
        return listed

    def with_blurb_data(self) -> WorkQuerySet:
        """Everything a blurb shows, in a fixed number of queries (three)."""
        from ficarchive.tags.models import Tagging

        from .models import Creatorship, SerialWork

        return self.prefetch_related(
            models.Prefetch("taggings", queryset=Tagging.objects.select_related("tag")),
            models.Prefetch("creatorships", queryset=Creatorship.objects.select_related("pseud__user")),
            models.Prefetch("serial_works", queryset=SerialWork.objects.select_related("series")),
        )
