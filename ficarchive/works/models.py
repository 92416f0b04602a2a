from __future__ import annotations

from anyascii import anyascii
from django.db import models
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ficarchive.core.audit import AuditLog  # noqa: F401 - moved to core; old imports keep working
from ficarchive.core.viewers import Viewer
from ficarchive.tags.vocabulary import ADULT_RATINGS, Rating, TagKind

from . import access
from .querysets import SerialWorkManager, WorkQuerySet


class CommentPermission(models.TextChoices):
    ANYONE = "anyone", gettext_lazy("Registered users and guests can comment")
    USERS = "users", gettext_lazy("Only registered users can comment")
    DISABLED = "disabled", gettext_lazy("No one can comment")


class Work(models.Model):
    title = models.CharField(max_length=255)
    summary = models.TextField(blank=True, help_text="Sanitized HTML.")
    notes = models.TextField(blank=True, help_text="Beginning notes, sanitized HTML.")
    end_notes = models.TextField(blank=True, help_text="End notes, sanitized HTML.")
    language = models.CharField(max_length=20, default="en", db_index=True)
    rating = models.CharField(max_length=32, choices=Rating.choices, default=Rating.NOT_RATED)
    # None: the author does not know how many chapters there will be ("3/?").
    expected_chapters = models.PositiveIntegerField(null=True, blank=True)
    # Drafts are not posted: only their creators see them.
    posted = models.BooleanField(default=False)
    restricted = models.BooleanField(
        default=False, help_text="Only logged-in users can see this work."
    )
    anonymous = models.BooleanField(
        default=False, help_text="Creators are hidden from everyone but themselves and admins."
    )
    hidden_by_admin = models.BooleanField(default=False)
    # Set by the collections app (through ``works.services.works_collection_state_set``):
    # in an anonymous collection not yet revealed, the byline is "Anonymous"; in an
    # unrevealed one, the work itself is a "Mystery Work" to all but its creators and
    # admins (AO3's ``in_anonymous_collection`` and ``in_unrevealed_collection``).
    in_anonymous_collection = models.BooleanField(default=False)
    in_unrevealed_collection = models.BooleanField(default=False)
    comment_permission = models.CharField(
        max_length=10, choices=CommentPermission.choices, default=CommentPermission.USERS
    )
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)
    revised_at = models.DateTimeField(null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Counters kept by the services that change them, so listings sort without joins.
    word_count = models.PositiveIntegerField(default=0)
    chapter_count = models.PositiveIntegerField(default=0)
    kudos_count = models.PositiveIntegerField(default=0)
    comment_count = models.PositiveIntegerField(default=0)
    bookmark_count = models.PositiveIntegerField(default=0)
    hit_count = models.PositiveIntegerField(default=0)
    # Where an imported work came from, so importing the same source twice does not duplicate.
    source_hash = models.CharField(max_length=64, blank=True, db_index=True)
    source_url = models.CharField(max_length=500, blank=True)

    tags = models.ManyToManyField("tags.Tag", through="tags.Tagging", related_name="works")

    objects = WorkQuerySet.as_manager()

    class Meta:
        ordering = ["-revised_at", "-id"]
        indexes = [
            models.Index(
                fields=["posted", "hidden_by_admin", "restricted", "-revised_at"],
                name="work_listing",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("works:detail", args=[self.pk])

    @property
    def slug(self) -> str:
        """The title transliterated to ASCII (anyascii: "Война и мир" -> "voyna-i-mir",
        "三体" -> "santi"), as download addresses and file names use it; "work" if empty."""
        return slugify(anyascii(self.title))[:60].strip("-") or "work"

    @property
    def is_adult(self) -> bool:
        return self.rating in ADULT_RATINGS

    @property
    def is_complete(self) -> bool:
        return self.expected_chapters is not None and self.chapter_count >= self.expected_chapters

    @property
    def chapters_display(self) -> str:
        """AO3's chapter count: "3/3" when complete, "3/?" when the total is unknown."""
        total = "?" if self.expected_chapters is None else str(self.expected_chapters)
        return f"{self.chapter_count}/{total}"

    def tags_of_kind(self, kind: str) -> list:
        """Tags of one kind in the author's order (uses prefetched taggings when present)."""
        return [t.tag for t in self.taggings.all() if t.tag.kind == kind]

    @property
    def warnings(self) -> list:
        return self.tags_of_kind(TagKind.WARNING)

    @property
    def categories(self) -> list:
        return self.tags_of_kind(TagKind.CATEGORY)

    @property
    def fandoms(self) -> list:
        return self.tags_of_kind(TagKind.FANDOM)

    @property
    def relationships(self) -> list:
        return self.tags_of_kind(TagKind.RELATIONSHIP)

    @property
    def characters(self) -> list:
        return self.tags_of_kind(TagKind.CHARACTER)

    @property
    def freeforms(self) -> list:
        return self.tags_of_kind(TagKind.FREEFORM)

    def creator_pseuds(self) -> list:
        return [c.pseud for c in self.creatorships.all()]

    def is_creator(self, user: Viewer) -> bool:
        """For templates and old callers; the rule is ``access.is_creator``."""
        return access.is_creator(user, self)

    @property
    def is_anonymous(self) -> bool:
        """For templates; the rule is ``access.is_anonymous``."""
        return access.is_anonymous(self)

    def creators_visible_to(self, user: Viewer) -> bool:
        """For templates and old callers; the rule is ``access.creators_shown``."""
        return access.creators_shown(self, user)


class Creatorship(models.Model):
    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="creatorships")
    pseud = models.ForeignKey(
        "accounts.Pseud", on_delete=models.CASCADE, related_name="creatorships"
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["work", "pseud"], name="creatorship_unique")]

    def __str__(self) -> str:
        return f"{self.pseud} on {self.work_id}"


class Chapter(models.Model):
    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="chapters")
    position = models.PositiveIntegerField()
    title = models.CharField(max_length=255, blank=True)
    summary = models.TextField(blank=True)
    notes = models.TextField(blank=True)
    end_notes = models.TextField(blank=True)
    body = models.TextField(help_text="Sanitized HTML.")
    word_count = models.PositiveIntegerField(default=0)
    posted = models.BooleanField(default=True)
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["position", "id"]
        indexes = [models.Index(fields=["work", "position"], name="chapter_work_position")]

    def __str__(self) -> str:
        return self.heading

    def get_absolute_url(self) -> str:
        return reverse("works:chapter", args=[self.work_id, self.pk])

    @property
    def is_posted(self) -> bool:
        """Whether readers get this chapter as posted: its own flag (a chapter draft is
        not) and its work's, since on AO3 a draft work's chapters stay unposted until the
        work is posted. ``posted`` alone is the chapter's flag; every surface that shows
        a chapter as posted or not (API, work page, chapter manager) reads this."""
        return self.posted and self.work.posted

    @property
    def heading(self) -> str:
        """AO3's chapter heading: "Chapter 2: Title" or "Chapter 2"."""
        if self.title:
            return _("Chapter %(number)d: %(title)s") % {
                "number": self.position,
                "title": self.title,
            }
        return _("Chapter %(number)d") % {"number": self.position}


class Series(models.Model):
    title = models.CharField(max_length=255)
    summary = models.TextField(blank=True)
    notes = models.TextField(blank=True)
    complete = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    works = models.ManyToManyField(Work, through="SerialWork", related_name="series")

    class Meta:
        ordering = ["title"]
        verbose_name_plural = "series"

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("works:series", args=[self.pk])


class SerialWork(models.Model):
    series = models.ForeignKey(Series, on_delete=models.CASCADE, related_name="serial_works")
    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="serial_works")
    position = models.PositiveIntegerField(default=1)

    objects = SerialWorkManager()

    class Meta:
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["series", "work"], name="serialwork_unique")]

    def __str__(self) -> str:
        return f"{self.work_id} in {self.series_id}"


class WorkHit(models.Model):
    """One visitor's visit on one day; hits count these, so a reload is not a hit."""

    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="hit_records")
    visitor = models.CharField(max_length=64)
    day = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["work", "visitor", "day"], name="workhit_once_a_day")
        ]

    def __str__(self) -> str:
        return f"hit on {self.work_id} {self.day}"
