"""Work querysets: the privacy rule itself lives in ``works.access``; these delegate to it."""

from __future__ import annotations

from django.db import models

from ficarchive.core.viewers import Viewer


class WorkQuerySet(models.QuerySet):
    def visible_to(self, viewer: Viewer) -> WorkQuerySet:
        """Works the viewer may open by address (``access.visible_q``)."""
        from . import access  # access imports the models, which import this module

        return self.filter(access.visible_q(viewer))

    def listed_for(self, viewer: Viewer) -> WorkQuerySet:
        """Works that belong in public listings for this viewer (``access.listed_q``)."""
        from . import access

        return self.filter(access.listed_q(viewer))

    def with_blurb_data(self) -> WorkQuerySet:
        """Everything a blurb shows, in a fixed number of queries (three)."""
        return self.prefetch_related(*blurb_prefetches())


def blurb_prefetches(*, series: bool = True) -> list[models.Prefetch]:
    """The prefetches of ``with_blurb_data``: taggings with their tags, creatorships with
    their pseuds and users, series entries with their series. ``series=False``: the work
    is known to be in no series, its entries are set empty without a query."""
    from ficarchive.tags.models import Tagging

    from .models import Creatorship, SerialWork

    entries = SerialWork.objects.select_related("series")
    return [
        models.Prefetch("taggings", queryset=Tagging.objects.select_related("tag")),
        models.Prefetch("creatorships", queryset=Creatorship.objects.select_related("pseud__user")),
        models.Prefetch("serial_works", queryset=entries if series else entries.none()),
    ]


class SerialWorkManager(models.Manager):
    """Every series entry read through ``SerialWork.objects`` (and so every prefetch of
    ``serial_works``) carries ``series_anonymous``: does its series hold an anonymous work?
    ``access.series_shown`` reads it, so blurbs in a listing cost no query per work."""

    def get_queryset(self) -> models.QuerySet:
        from .access import anonymous_q
        from .models import Work

        anonymous = Work.objects.filter(
            anonymous_q(), serial_works__series=models.OuterRef("series_id")
        )
        return super().get_queryset().annotate(series_anonymous=models.Exists(anonymous))
