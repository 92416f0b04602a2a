"""Collections and challenges (AO3's vocabulary): a Collection with its maintainers
(CollectionParticipant), the works in it (CollectionItem) and the bookmarks
(CollectionBookmark), and for a challenge its
settings (Challenge, with its tag set ChallengeTag), sign-ups (Signup with request and offer
Prompts), potential matches (PotentialMatch), assignments (Assignment) and, for prompt
memes, claims (Claim). Gifts (Gift) live here too: the works app owns works only.

Only ``collections.services`` writes these tables."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

# AO3: a collection's name is its address: letters, numbers and underscores.
collection_name_validator = RegexValidator(
    r"^[A-Za-z0-9_]{1,255}$",
    _("A collection name may hold only letters, numbers and underscores."),
)


class ChallengeKind(models.TextChoices):
    NONE = "", _("None")
    GIFT_EXCHANGE = "gift_exchange", _("Gift Exchange")
    PROMPT_MEME = "prompt_meme", _("Prompt Meme")


class Collection(models.Model):
    name = models.CharField(max_length=255, unique=True, validators=[collection_name_validator])
    title = models.CharField(max_length=255)
    description = models.TextField(blank=True, help_text=_("Sanitized HTML."))
    intro = models.TextField(blank=True, help_text=_("Profile introduction, sanitized HTML."))
    rules = models.TextField(blank=True, help_text=_("Sanitized HTML."))
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    moderated = models.BooleanField(
        default=False, help_text=_("Items need a maintainer's approval.")
    )
    closed = models.BooleanField(default=False, help_text=_("No new items."))
    anonymous = models.BooleanField(default=False, help_text=_("Creators hidden until revealed."))
    unrevealed = models.BooleanField(default=False, help_text=_("Works hidden until revealed."))
    reveal_at = models.DateTimeField(null=True, blank=True, help_text=_("Reveal on this date."))
    revealed_at = models.DateTimeField(null=True, blank=True)
    challenge_kind = models.CharField(
        max_length=20, choices=ChallengeKind.choices, default=ChallengeKind.NONE, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title", "name"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("collections:detail", args=[self.name])

    @property
    def is_gift_exchange(self) -> bool:
        return self.challenge_kind == ChallengeKind.GIFT_EXCHANGE

    @property
    def is_prompt_meme(self) -> bool:
        return self.challenge_kind == ChallengeKind.PROMPT_MEME


class Role(models.TextChoices):
    OWNER = "owner", _("Owner")
    MODERATOR = "moderator", _("Moderator")
    MEMBER = "member", _("Member")


class CollectionParticipant(models.Model):
    collection = models.ForeignKey(
        Collection, on_delete=models.CASCADE, related_name="participants"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="collection_roles"
    )
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.MEMBER)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["collection", "user"], name="participant_once")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.role} of {self.collection_id}"


class Approval(models.TextChoices):
    PENDING = "pending", _("Unreviewed")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class CollectionItem(models.Model):
    """A work in a collection. Listed when both the collection (its maintainers) and the
    work (its creator) approve; ``anonymous`` and ``unrevealed`` are the collection's at the
    time the work joined, until the reveal (AO3 keeps them per item)."""

    collection = models.ForeignKey(Collection, on_delete=models.CASCADE, related_name="items")
    work = models.ForeignKey("works.Work", on_delete=models.CASCADE, related_name="+")
    collection_approval = models.CharField(
        max_length=10, choices=Approval.choices, default=Approval.PENDING
    )
    creator_approval = models.CharField(
        max_length=10, choices=Approval.choices, default=Approval.PENDING
    )
    anonymous = models.BooleanField(default=False)
    unrevealed = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["collection", "work"], name="item_once"),
        ]

    def __str__(self) -> str:
        return f"{self.work_id} in {self.collection_id}"

    @property
    def approved(self) -> bool:
        return self.collection_approval == self.creator_approval == Approval.APPROVED


class CollectionBookmark(models.Model):
    """A bookmark its owner put in a collection (AO3: bookmarks join collections as works
    do). ``collection_approval`` is pending in a moderated collection until a maintainer
    approves it; the bookmark itself is feedback's, written by ``feedback.services``."""

    collection = models.ForeignKey(
        Collection, on_delete=models.CASCADE, related_name="bookmark_items"
    )
    bookmark = models.ForeignKey(
        "feedback.Bookmark", on_delete=models.CASCADE, related_name="collection_items"
    )
    collection_approval = models.CharField(
        max_length=10, choices=Approval.choices, default=Approval.PENDING
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["collection", "bookmark"], name="bookmark_item_once"),
        ]

    def __str__(self) -> str:
        return f"bookmark {self.bookmark_id} in {self.collection_id}"


class Challenge(models.Model):
    """A gift exchange or prompt meme: its sign-up window, how many prompts a sign-up
    gives, and the overlap each tag kind needs for a potential match (AO3's
    "potential match settings"). An empty tag set allows any canonical tag."""

    collection = models.OneToOneField(
        Collection, on_delete=models.CASCADE, related_name="challenge"
    )
    signups_open = models.BooleanField(default=True)
    signups_open_at = models.DateTimeField(null=True, blank=True)
    signups_close_at = models.DateTimeField(null=True, blank=True)
    assignments_due_at = models.DateTimeField(null=True, blank=True)
    requests_min = models.PositiveSmallIntegerField(default=1)
    requests_max = models.PositiveSmallIntegerField(default=3)
    offers_min = models.PositiveSmallIntegerField(default=1)
    offers_max = models.PositiveSmallIntegerField(default=3)
    match_fandoms = models.PositiveSmallIntegerField(default=1)
    match_characters = models.PositiveSmallIntegerField(default=0)
    match_relationships = models.PositiveSmallIntegerField(default=0)
    match_freeforms = models.PositiveSmallIntegerField(default=0)
    # Prompt memes: how many may claim one prompt (0: no limit).
    claims_per_prompt = models.PositiveSmallIntegerField(default=0)
    matched_at = models.DateTimeField(null=True, blank=True)
    match_seconds = models.FloatField(null=True, blank=True)
    assignments_sent_at = models.DateTimeField(null=True, blank=True)
    tags = models.ManyToManyField("tags.Tag", through="ChallengeTag", related_name="+")

    def __str__(self) -> str:
        return f"challenge of {self.collection_id}"

    def required(self) -> dict[str, int]:
        """Required overlap per tag kind (tags.vocabulary.TagKind values)."""
        return {
            "fandom": self.match_fandoms,
            "character": self.match_characters,
            "relationship": self.match_relationships,
            "freeform": self.match_freeforms,
        }


class ChallengeTag(models.Model):
    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="tag_set")
    tag = models.ForeignKey("tags.Tag", on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["challenge", "tag"], name="tagset_once")]

    def __str__(self) -> str:
        return f"{self.tag_id} in tag set of {self.challenge_id}"


class Signup(models.Model):
    """One participant's sign-up. ``pseud`` is an account's pseud, or an unclaimed pseud
    for a name imported from a spreadsheet (claimable like imported authors)."""

    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="signups")
    pseud = models.ForeignKey("accounts.Pseud", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["challenge", "pseud"], name="signup_once"),
        ]

    def __str__(self) -> str:
        return f"sign-up {self.pk}"

    @property
    def participant(self) -> str:
        """The account name, or the unclaimed pseud's name."""
        return self.pseud.user.username if self.pseud.user_id else self.pseud.name


class PromptKind(models.TextChoices):
    REQUEST = "request", _("Request")
    OFFER = "offer", _("Offer")


class Prompt(models.Model):
    """A request or an offer of a sign-up (for prompt memes, a prompt anyone may claim)."""

    signup = models.ForeignKey(Signup, on_delete=models.CASCADE, related_name="prompts")
    kind = models.CharField(max_length=10, choices=PromptKind.choices)
    position = models.PositiveSmallIntegerField(default=1)
    title = models.CharField(max_length=255, blank=True)
    description = models.TextField(blank=True, help_text=_("Sanitized HTML."))
    anonymous = models.BooleanField(default=False)
    tags = models.ManyToManyField("tags.Tag", related_name="+", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["signup_id", "kind", "position", "id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.position} of {self.signup_id}"


class PotentialMatch(models.Model):
    """``giver`` can write for ``recipient``: some offer of the giver meets some request of
    the recipient with the challenge's required overlap; ``score`` is that pair's overlap
    (tags in common, all kinds)."""

    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="+")
    giver = models.ForeignKey(Signup, on_delete=models.CASCADE, related_name="+")
    recipient = models.ForeignKey(Signup, on_delete=models.CASCADE, related_name="+")
    score = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["giver", "recipient"], name="potential_match_once"),
        ]
        indexes = [models.Index(fields=["challenge", "recipient"], name="pm_recipient")]

    def __str__(self) -> str:
        return f"{self.giver_id} -> {self.recipient_id}"


class Assignment(models.Model):
    """Who writes for whom. ``giver`` None: open for a pinch hitter (a default freed it);
    ``pinch_hitter`` is the pseud who took it. ``work`` is the fill."""

    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="assignments")
    recipient = models.ForeignKey(Signup, on_delete=models.CASCADE, related_name="+")
    giver = models.ForeignKey(Signup, null=True, on_delete=models.CASCADE, related_name="+")
    pinch_hitter = models.ForeignKey(
        "accounts.Pseud", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    score = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(null=True, blank=True)
    defaulted_at = models.DateTimeField(null=True, blank=True)
    work = models.ForeignKey("works.Work", null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.giver_id} -> {self.recipient_id}"


class Claim(models.Model):
    """A prompt meme claim: ``pseud`` will write for ``prompt``; ``work`` is the fill."""

    prompt = models.ForeignKey(Prompt, on_delete=models.CASCADE, related_name="claims")
    pseud = models.ForeignKey("accounts.Pseud", on_delete=models.CASCADE, related_name="+")
    work = models.ForeignKey("works.Work", null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["prompt", "pseud"], name="claim_once")]

    def __str__(self) -> str:
        return f"claim of {self.prompt_id}"


class Gift(models.Model):
    """A work given to an account's pseud, or to a free-text name (AO3 allows both). A
    recipient may refuse: the gift stays recorded (so it is not given again) but is shown
    nowhere."""

    work = models.ForeignKey("works.Work", on_delete=models.CASCADE, related_name="+")
    pseud = models.ForeignKey(
        "accounts.Pseud", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    recipient_name = models.CharField(max_length=100, blank=True)
    refused = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"gift of {self.work_id}"

    @property
    def recipient(self) -> str:
        return self.pseud.name if self.pseud_id else self.recipient_name


class InvitationStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


class CoCreatorInvitation(models.Model):
    """A creator asks ``pseud`` to be credited on ``work``; accepted, the pseud joins the
    work's creators (through ``works.services.work_creators_set``)."""

    work = models.ForeignKey("works.Work", on_delete=models.CASCADE, related_name="+")
    pseud = models.ForeignKey("accounts.Pseud", on_delete=models.CASCADE, related_name="+")
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    status = models.CharField(
        max_length=10, choices=InvitationStatus.choices, default=InvitationStatus.PENDING
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["work", "pseud"], name="cocreator_invite_once")
        ]

    def __str__(self) -> str:
        return f"invite {self.pseud_id} to {self.work_id}"


class InvitationPreference(models.Model):
    """An account's choice about co-creator invitations (AO3's "Allow others to invite me
    to be a co-creator"); no row: allowed."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    allow_cocreator_invitations = models.BooleanField(default=True)

    def __str__(self) -> str:
        return f"invitation preference of {self.user_id}"


class Relation(models.TextChoices):
    INSPIRED_BY = "inspired_by", _("Inspired by")
    TRANSLATION_OF = "translation_of", _("A translation of")
    REMIX_OF = "remix_of", _("A remix of")


class LinkStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting the original's creator")
    APPROVED = "approved", _("Approved")
    HIDDEN = "hidden", _("Hidden by the original's creator")


class RelatedWork(models.Model):
    """``work`` is inspired by, a translation of or a remix of ``parent`` (a work here) or
    ``parent_url`` (elsewhere). The original's creator approves or hides the link on the
    original's side; the derived work always names its source (AO3)."""

    work = models.ForeignKey("works.Work", on_delete=models.CASCADE, related_name="+")
    parent = models.ForeignKey(
        "works.Work", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    parent_url = models.URLField(blank=True)
    parent_title = models.CharField(max_length=255, blank=True)
    relation = models.CharField(max_length=20, choices=Relation.choices)
    status = models.CharField(max_length=10, choices=LinkStatus.choices, default=LinkStatus.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.work_id} {self.relation} {self.parent_id or self.parent_url}"
