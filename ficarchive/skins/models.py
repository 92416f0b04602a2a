"""Work skins (AO3's "Work Skin"): CSS a creator writes once and uses on any of their
works. Written only by ``skins.services``."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class WorkSkin(models.Model):
    """A creator's named work skin. ``css`` is what the creator wrote; ``css_clean`` is
    what ``sanitize.sanitize_work_css`` kept of it, the only text ever served."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="work_skins"
    )
    title = models.CharField(_("title"), max_length=100)
    description = models.TextField(_("description"), blank=True, max_length=500)
    css = models.TextField(_("CSS"), blank=True)
    css_clean = models.TextField(blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "title"], name="work_skin_title_per_owner")
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("skins:edit", args=[self.pk])


class WorkSkinUse(models.Model):
    """The skin a work wears: at most one per work (AO3's ``works.work_skin_id``, kept
    here because the works app sits below skins)."""

    work = models.OneToOneField("works.Work", on_delete=models.CASCADE, related_name="+")
    skin = models.ForeignKey(WorkSkin, on_delete=models.CASCADE, related_name="uses")

    def __str__(self) -> str:
        return f"{self.work_id}: {self.skin_id}"
