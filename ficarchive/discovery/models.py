"""What discovery stores beside the works: a per-work search entry (the facts filters
need that are not columns of Work), and each reader's mutes and saved filters.

The full-text index itself is a vendor table (FTS5 on SQLite, tsvector on PostgreSQL)
created by migration 0002 and reached only through ``backends``."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchEntry(models.Model):
    """Derived facts about one work, rebuilt by ``engine.index_works``."""

    work = models.OneToOneField(
        "works.Work", on_delete=models.CASCADE, primary_key=True, related_name="search_entry"
    )
    # Distinct fandoms after resolving synonyms: more than one makes a crossover.
    fandom_count = models.PositiveSmallIntegerField(default=0)
    # The first creator's name, case-folded, for "sort by creator" ("anonymous" when hidden).
    creator_sort = models.CharField(max_length=80, blank=True)
    indexed_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            models.Index(fields=["fandom_count"], name="searchentry_fandoms"),
            models.Index(fields=["creator_sort"], name="searchentry_creator"),
        ]

    def __str__(self) -> str:
        return f"search entry of work {self.work_id}"


class MuteKind(models.TextChoices):
    # Labels show on the mutes page (the kind menu and the list), so they are translated.
    TAG = "tag", _("Tag")
    CREATOR = "creator", _("Creator")
    LANGUAGE = "language", _("Language")
    WORK = "work", _("Work")


class Mute(models.Model):
    """Something a reader never wants to see in a listing: a tag (with its synonyms and
    subtags), a creator's works, a language, or one work. A tag mute may be limited to one
    fandom (``fandom``, with its synonyms and subtags): then only works carrying both the
    tag and the fandom are left out."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mutes"
    )
    kind = models.CharField(max_length=10, choices=MuteKind.choices)
    tag = models.ForeignKey(
        "tags.Tag", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    creator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    language = models.CharField(max_length=20, blank=True)
    work = models.ForeignKey(
        "works.Work", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    fandom = models.ForeignKey(
        "tags.Tag", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind", "tag", "creator", "language"], name="mute_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} mutes {self.label}"

    @property
    def label(self) -> str:
        if self.kind == MuteKind.TAG and self.tag is not None:
            if self.fandom is not None:
                return f"{self.tag.name} (in {self.fandom.name})"
            return self.tag.name
        if self.kind == MuteKind.WORK and self.work is not None:
            return self.work.title
        if self.kind == MuteKind.CREATOR and self.creator is not None:
            return self.creator.username
        return self.language


class SavedFilter(models.Model):
    """A named filter a reader comes back to: the listing's path and its query string."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_filters"
    )
    name = models.CharField(max_length=100)
    path = models.CharField(max_length=300, default="/works")
    querystring = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "name"], name="savedfilter_unique_name")
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return f"{self.path}?{self.querystring}" if self.querystring else self.path


class IndexChange(models.Model):
    """The change log the in-process bitmap index follows: one row per changed work
    (written by ``indexing`` in the writer's transaction), or a row without a work meaning
    "rebuild everything" (bulk loads). Each process compares the newest row (id and its
    random token) with what it has applied, so several workers stay in step."""

    id = models.BigAutoField(primary_key=True)
    work_id = models.BigIntegerField(null=True, blank=True)
    token = models.CharField(max_length=32)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"change {self.id} of work {self.work_id}"


class CacheGeneration(models.Model):
    """One row: a counter every write that changes what listings show adds one to, in the
    writer's transaction (``cache.generation_bump``). Cached pages and facets are keyed on
    it, so a process-local cache can never serve what a write has changed since (see
    ``cache``). An UPDATE of one row, not the change log's newest id: concurrent writers
    take ids in one order and commit in another, while the row's lock makes every commit
    a new value. ``epoch`` is drawn when the row is made, so a row made again (a restore, a
    flushed test database) never repeats an old key."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    value = models.BigIntegerField(default=0)
    epoch = models.CharField(max_length=32, default="")

    def __str__(self) -> str:
        return f"cache generation {self.value}"


class WorkVersion(models.Model):
    """Per work, a counter every change notice about it adds one to, in the writer's
    transaction (``cache.versions_bump``): the key of its cached blurb. An upsert of the
    work's own row, so concurrent writers of one work queue on its lock and every commit
    gives a new value (ids of a log would not: they are taken in one order and committed
    in another)."""

    work_id = models.BigIntegerField(primary_key=True)
    value = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"work {self.work_id} version {self.value}"
