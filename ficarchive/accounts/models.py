from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ficarchive.core import viewers
from ficarchive.core.chars import UnicodeNameValidator

# AO3: user names are letters, digits and underscores; pseuds may also hold spaces,
# hyphens (and here dots). Letters and digits of *every* script count, with the combining
# marks that belong to them (Devanagari vowel signs, decomposed accents); pseuds may hold
# the joiners, direction marks and word joiner Persian, Indic and mixed-direction names
# need. Checked in NFC (core.chars.name_tidy).
username_validator = UnicodeNameValidator(
    r"^[\p{L}\p{M}\p{N}_]{3,40}$",
    _("Use 3 to 40 letters, digits or underscores (any script)."),
)
pseud_name_validator = UnicodeNameValidator(
    r"^[\p{L}\p{N}_][\p{L}\p{M}\p{N}_ .\-\u200c-\u200f\u2060]{0,39}$",
    _(
        "Use up to 40 letters, digits, spaces, dots, hyphens or underscores (any script), "
        "starting with a letter, digit or underscore."
    ),
)

# The account that orphaned works are moved to, as on AO3.
ORPHAN_ACCOUNT = "orphan_account"


class SystemRole(models.TextChoices):
    """Accounts the archive itself owns, found by this role and never by their name (a
    person may hold the name from before it was reserved)."""

    ORPHAN = "orphan", "orphaned works"
    ARCHIVIST = "archivist", "imports without an owner"


class SiteSkin(models.TextChoices):
    """The site skins a reader may choose (AO3 offers Default, Reversi, Low Vision and
    High Contrast); the stylesheets are in the skins app."""

    DEFAULT = "default", _("Default (follows your device's light or dark setting)")
    DARK = "dark", _("Dark")
    HIGH_CONTRAST = "high-contrast", _("High contrast")
    LOW_VISION = "low-vision", _("Low vision (larger type and spacing)")


class User(AbstractUser):
    username = models.CharField(
        "user name", max_length=40, unique=True, validators=[username_validator]
    )
    # Reader preferences.
    view_adult = models.BooleanField("show adult works without the notice", default=False)
    hide_warnings = models.BooleanField(
        "hide archive warnings (they may be spoilers)", default=False
    )
    hide_freeform = models.BooleanField("hide additional tags", default=False)
    # One of settings.LANGUAGES, or "" for the language cookie or the browser's (issue 18).
    language = models.CharField("interface language", max_length=16, blank=True, default="")
    # Display (issue 18): an IANA zone name ("" = the site's), checked by
    # accounts.display.display_preferences_update against core.display.zone_or_none.
    time_zone = models.CharField(_("time zone"), max_length=64, blank=True, default="")
    site_skin = models.CharField(
        _("site skin"), max_length=20, choices=SiteSkin.choices, default=SiteSkin.DEFAULT
    )
    hide_work_skins = models.BooleanField(_("hide work skins"), default=False)
    # Roles beyond staff/superuser.
    is_wrangler = models.BooleanField("tag wrangler", default=False)
    profile = models.TextField("about me", blank=True)
    # Set only by accounts.services.system_account; at most one account per role.
    system_role = models.CharField(
        max_length=16, choices=SystemRole.choices, blank=True, default=""
    )
    # Standing (issue 14), written only by accounts.standing. Accounts made before sign-up
    # confirmation, and those an operator or admin makes, count as confirmed.
    email_confirmed = models.BooleanField("email address confirmed", default=True)
    # The version of the terms of service the account last accepted (0: none yet).
    tos_version = models.PositiveIntegerField("terms of service accepted", default=0)
    suspended_until = models.DateTimeField(null=True, blank=True)
    suspension_reason = models.TextField(blank=True)
    banned = models.BooleanField(default=False)

    class Meta:
        ordering = ["username"]
        constraints = [
            models.UniqueConstraint(
                fields=["system_role"],
                condition=~models.Q(system_role=""),
                name="user_one_account_per_system_role",
            ),
        ]

    def __str__(self) -> str:
        return self.username

    def get_absolute_url(self) -> str:
        return reverse("accounts:profile", args=[self.username])

    @property
    def is_admin(self) -> bool:
        """For templates; the rule itself is ``core.viewers.is_admin``."""
        return viewers.is_admin(self)

    def default_pseud(self) -> Pseud:
        pseud = self.pseuds.filter(is_default=True).first()
        if pseud is None:
            pseud = self.pseuds.order_by("id").first()
        if pseud is None:
            pseud = Pseud.objects.create(user=self, name=self.username, is_default=True)
        return pseud


class Pseud(models.Model):
    """A name a user posts under. Imported authors start as pseuds with no user
    (unclaimed), claimable later by the email on record."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="pseuds", null=True, blank=True
    )
    name = models.CharField(max_length=40, validators=[pseud_name_validator])
    description = models.TextField(blank=True)
    is_default = models.BooleanField(default=False)
    claim_email = models.EmailField(blank=True, help_text="For unclaimed imported authors.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["user", "name"], name="pseud_unique_per_user"),
        ]

    def __str__(self) -> str:
        return self.display_name

    def get_absolute_url(self) -> str:
        if self.user_id is None:
            return reverse("accounts:unclaimed_pseud", args=[self.pk])
        return reverse("accounts:pseud", args=[self.user.username, self.name])

    @property
    def display_name(self) -> str:
        """AO3's byline: "pseud (user)" when the pseud is not the user name."""
        if self.user_id is None or self.user.username == self.name:
            return self.name
        return f"{self.name} ({self.user.username})"


class TokenScope(models.TextChoices):
    READ = "read", _("Read: see what you can see on the site")
    WRITE = "write", _("Read and write: also post, edit, comment, give kudos and bookmark")


class ApiToken(models.Model):
    """A personal access token for the JSON API and OPDS. Only a SHA-256 of each token is
    stored: the token itself is shown once, when it is made (accounts.tokens)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    scope = models.CharField(max_length=10, choices=TokenScope.choices, default=TokenScope.READ)
    # sha256 hex of the whole token ("fa_..."); the token cannot be recovered from it.
    token_hash = models.CharField(max_length=64, unique=True)
    # The first characters, so the owner can tell tokens apart in the list.
    prefix = models.CharField(max_length=12)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        # Made by the api app; moved here so that transfer (OPDS) and api both read
        # tokens from a layer below them. The table keeps its name.
        db_table = "api_apitoken"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def can_write(self) -> bool:
        return self.scope == TokenScope.WRITE


class PreviousUsername(models.Model):
    """A name an account had before it was renamed: pages under it redirect to the new
    name for ``RENAME_REDIRECT_DAYS`` days, and no one else may take it meanwhile."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="previous_names")
    name = models.CharField(max_length=40, db_index=True)
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-changed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} → {self.user_id}"
