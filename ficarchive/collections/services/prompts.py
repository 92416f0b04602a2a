"""Prompt memes: anyone signed up posts prompts (a sign-up of requests); others claim
them (several claimants per prompt unless the challenge limits it) and fill them."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ficarchive.accounts.models import Pseud
from ficarchive.core.errors import PermissionDenied
from ficarchive.core.html import sanitize_html
from ficarchive.core.viewers import Viewer, is_user
from ficarchive.works import access
from ficarchive.works.models import Work

from ..models import Claim, Collection, Prompt, PromptKind, Signup
from .challenges import PromptInput, challenge_of, signup_create
from .collections import item_add


@transaction.atomic
def prompt_post(
    *, actor: Viewer, collection: Collection, pseud: Pseud, prompt: PromptInput
) -> Prompt:
    """Post one more prompt to a prompt meme (the first makes the actor's sign-up).
    Raises as ``signup_create`` and ``ValidationError`` (too many prompts)."""
    if not collection.is_prompt_meme:
        raise ValidationError(_("%(title)s is not a prompt meme.") % {"title": collection.title})
    challenge = challenge_of(collection)
    signup = Signup.objects.filter(challenge=challenge, pseud=pseud).first()
    if signup is None:
        signup = signup_create(
            actor=actor, collection=collection, pseud=pseud, requests=[prompt], offers=[]
        )
        return signup.prompts.get()
    if not is_user(actor) or pseud.user_id != actor.pk:
        raise PermissionDenied(_("You can only post prompts as one of your own pseuds."))
    count = signup.prompts.count()
    if count >= challenge.requests_max:
        raise ValidationError(
            _("You can post at most %(requests_max)s prompts here.")
            % {"requests_max": challenge.requests_max}
        )
    # Reuse the sign-up rules for the tags: a throwaway sign-up check is not needed, the
    # tag resolution is shared.
    from .challenges import _resolve

    allowed = set(challenge.tag_set.values_list("tag_id", flat=True))
    tags = [
        _resolve(challenge, kind, name, allowed, create=False)
        for kind, names in prompt.tags.items()
        for name in names
    ]
    made = Prompt.objects.create(
        signup=signup,
        kind=PromptKind.REQUEST,
        position=count + 1,
        title=prompt.title[:255],
        description=sanitize_html(prompt.description),
        anonymous=prompt.anonymous,
    )
    made.tags.set({t.pk for t in tags})
    return made


@transaction.atomic
def claim_create(*, actor: Viewer, prompt: Prompt, pseud: Pseud) -> Claim:
    """Claim a prompt. Raises ``ValidationError`` (claimed already by this account, the
    prompt's claims are full, one's own prompt), ``PermissionDenied``."""
    if not (is_user(actor) and pseud.user_id == actor.pk):
        raise PermissionDenied(_("Claim as one of your own pseuds."))
    if prompt.signup.pseud.user_id == pseud.user_id:
        raise ValidationError(_("You cannot claim your own prompt."))
    if Claim.objects.filter(prompt=prompt, pseud__user_id=pseud.user_id or 0).exists():
        raise ValidationError(_("You have already claimed this prompt."))
    limit = prompt.signup.challenge.claims_per_prompt
    if limit and prompt.claims.count() >= limit:
        raise ValidationError(_("This prompt has all the claims it allows."))
    return Claim.objects.create(prompt=prompt, pseud=pseud)


@transaction.atomic
def claim_delete(*, actor: Viewer, claim: Claim) -> None:
    """Drop a claim (its claimant, before filling it)."""
    if not (is_user(actor) and claim.pseud.user_id == actor.pk):
        raise PermissionDenied(_("Only the claimant can drop a claim."))
    if claim.work_id:
        raise ValidationError(_("This claim was filled."))
    claim.delete()


@transaction.atomic
def claim_fill(*, actor: Viewer, claim: Claim, work: Work) -> Claim:
    """Fill a claim with the actor's work: it joins the prompt meme's collection.
    Raises ``PermissionDenied``, ``ValidationError``."""
    if not (is_user(actor) and claim.pseud.user_id == actor.pk):
        raise PermissionDenied(_("Only the claimant can fill a claim."))
    if not access.is_creator(actor, work):
        raise PermissionDenied(_("Fill a claim with one of your own works."))
    if claim.work_id:
        raise ValidationError(_("This claim was filled."))
    collection = claim.prompt.signup.challenge.collection
    if not collection.items.filter(work=work).exists():
        item_add(actor=actor, collection=collection, work=work)
    claim.work = work
    claim.save(update_fields=["work"])
    return claim
