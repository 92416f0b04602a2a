"""Links between people and works beyond collections: co-creator invitations (accept or
decline; a preference blocks them) and related works (inspired by, translation of, remix
of; the original's creator approves or hides the link)."""

from __future__ import annotations

import functools

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from ficarchive.accounts.models import Pseud, User
from ficarchive.core import changes
from ficarchive.core.errors import PermissionDenied
from ficarchive.core.viewers import Viewer, is_user
from ficarchive.works import access
from ficarchive.works.models import Creatorship, Work
from ficarchive.works.services import work_creators_set

from ..models import (
    CoCreatorInvitation,
    InvitationPreference,
    InvitationStatus,
    LinkStatus,
    RelatedWork,
    Relation,
)
from ..notify import collection_notify, person_guards_check, site_address
from .collections import _is_creator, viewer_id


def _need_creator(actor: Viewer, work: Work) -> None:
    if not _is_creator(actor, work):
        raise PermissionDenied(_("Only the work's creators can do that."))


def invitations_allowed(user: User) -> bool:
    pref = InvitationPreference.objects.filter(user=user).first()
    return pref is None or pref.allow_cocreator_invitations


@transaction.atomic
def invitation_preference_set(*, actor: User, allow: bool) -> None:
    """Allow or block co-creator invitations to the actor's pseuds."""
    InvitationPreference.objects.update_or_create(
        user=actor, defaults={"allow_cocreator_invitations": allow}
    )


@transaction.atomic
def cocreator_invite(*, actor: Viewer, work: Work, pseud: Pseud) -> CoCreatorInvitation:
    """Invite ``pseud`` to be credited on the work. Raises ``PermissionDenied`` (not the
    work's creator), ``ValidationError`` (an unclaimed pseud, already a creator or invited,
    an account that blocks invitations)."""
    _need_creator(actor, work)
    if pseud.user_id is None:
        raise ValidationError(
            _("%(name)s has no account to accept the invitation.") % {"name": pseud.name}
        )
    if Creatorship.objects.filter(work=work, pseud__user_id=pseud.user_id).exists():
        raise ValidationError(
            _("%(name)s is already a creator of this work.") % {"name": pseud.name}
        )
    person_guards_check(actor, pseud.user)  # someone who blocked the inviter
    if pseud.user is not None and not invitations_allowed(pseud.user):
        raise ValidationError(
            _("%(name)s does not accept co-creator invitations.") % {"name": pseud.name}
        )
    if CoCreatorInvitation.objects.filter(work=work, pseud=pseud).exists():
        raise ValidationError(_("%(name)s was already invited.") % {"name": pseud.name})
    invitation = CoCreatorInvitation.objects.create(
        work=work, pseud=pseud, invited_by_id=viewer_id(actor)
    )
    collection_notify(
        users=[pseud.user],
        subject=lambda: _("Co-creator invitation"),
        body=lambda: (
            _(
                "You are invited to be credited as a co-creator of %(title)s (%(work_url)s).\n"
                "Accept or decline the invitation at %(url)s"
            )
            % {
                "title": work.title,
                "work_url": site_address(work.get_absolute_url()),
                "url": site_address(f"/users/{pseud.user.username}/invitations"),
            }
        ),
    )
    return invitation


@transaction.atomic
def invitation_withdraw(*, actor: Viewer, invitation: CoCreatorInvitation) -> None:
    """A creator of the work takes back a pending co-creator invitation (AO3 lists pending
    invitations on the work's creators' page with a way to cancel them). The row is
    deleted, so the invitee can no longer accept and the pseud may be invited again.
    Raises ``PermissionDenied`` (not a creator of the work), ``ValidationError`` (already
    answered)."""
    _need_creator(actor, invitation.work)
    if invitation.status != InvitationStatus.PENDING:
        raise ValidationError(_("This invitation was already answered."))
    invitation.delete()


@transaction.atomic
def invitation_respond(*, actor: Viewer, invitation: CoCreatorInvitation, accept: bool) -> None:
    """The invited account accepts (its pseud joins the work's creators, last) or
    declines. Raises ``PermissionDenied`` (not the invitee), ``ValidationError`` (answered
    already)."""
    if not (is_user(actor) and invitation.pseud.user_id == viewer_id(actor)):
        raise PermissionDenied(_("Only the invited account can answer."))
    if invitation.status != InvitationStatus.PENDING:
        raise ValidationError(_("This invitation was already answered."))
    invitation.status = InvitationStatus.ACCEPTED if accept else InvitationStatus.DECLINED
    invitation.save(update_fields=["status"])
    if accept:
        work = invitation.work
        current = [c.pseud for c in work.creatorships.select_related("pseud")]
        work_creators_set(
            actor=invitation.invited_by, work=work, pseuds=[*current, invitation.pseud]
        )


@transaction.atomic
def related_work_add(
    *, actor: Viewer, work: Work, relation: str, parent: Work | None = None, url: str = "",
    title: str = "",
) -> RelatedWork:  # fmt: skip
    """Say the work is inspired by, a translation of or a remix of ``parent`` (a work the
    actor may read) or of ``url``. Links to the actor's own works are approved at once;
    otherwise the original's creators are told and approve or hide it. Raises
    ``ValidationError``, ``PermissionDenied`` (not the work's creator; a creator of the
    original blocked the actor), ``NotFound`` (a parent the actor cannot see)."""
    _need_creator(actor, work)
    if relation not in Relation.values:
        raise ValidationError(_("Unknown relation %(relation)s.") % {"relation": repr(relation)})
    if (parent is None) == (not url):
        raise ValidationError(_("Name either a work here or an address elsewhere."))
    status = LinkStatus.APPROVED
    if parent is not None:
        parent = access.access_work(actor, parent.pk)
        if parent.pk == work.pk:
            raise ValidationError(_("A work cannot be related to itself."))
        if not _is_creator(actor, parent):
            status = LinkStatus.PENDING
            for owner in User.objects.filter(pseuds__creatorships__work=parent).distinct():
                person_guards_check(actor, owner)  # someone who blocked the linker
    else:
        URLValidator(schemes=["http", "https"])(url)
    link = RelatedWork.objects.create(
        work=work, parent=parent, parent_url=url, parent_title=title[:255], relation=relation,
        status=status,
    )  # fmt: skip
    changes.work_pages_changed([work.pk] + ([parent.pk] if parent is not None else []))
    if parent is not None and status == LinkStatus.PENDING:
        # Told only when they may read the work (not a draft, hidden or Mystery Work's title).
        owners = [
            owner
            for owner in User.objects.filter(pseuds__creatorships__work=parent).distinct()
            if Work.objects.filter(access.visible_q(owner), pk=work.pk).exists()
        ]
        for owner in owners:  # each mail links to its reader's own invitations page
            collection_notify(
                users=[owner],
                subject=lambda: _("A work related to yours"),
                body=functools.partial(_related_body, work, parent, link, owner),
            )
    return link


def _related_body(work: Work, parent: Work, link: RelatedWork, owner: User) -> str:
    return _(
        "%(title)s says it is related to %(original)s (%(relation)s).\n"
        "Approve or hide the link at %(url)s"
    ) % {
        "title": work.title,
        "relation": link.get_relation_display(),
        "original": parent.title,
        "url": site_address(f"/users/{owner.username}/invitations"),
    }


@transaction.atomic
def related_work_review(*, actor: Viewer, link: RelatedWork, approve: bool) -> RelatedWork:
    """The original's creator approves or hides the link. Raises ``PermissionDenied``."""
    if link.parent is None or not _is_creator(actor, link.parent):
        raise PermissionDenied(_("Only the original work's creators can do that."))
    link.status = LinkStatus.APPROVED if approve else LinkStatus.HIDDEN
    link.save(update_fields=["status"])
    changes.work_pages_changed([link.work_id, link.parent.pk])
    return link


def related_pages_changed(work_ids: list[int]) -> None:
    """Listener (``core.changes``: ``Change.WORKS``, ``Change.WORKS_DELETING``): a work page
    names the works related to it ("Inspired by", "Works inspired by this one") as its
    viewer may read them, so when these works change (restricted, hidden, made anonymous,
    retitled, about to be deleted) the cached pages of the works linked to them move on.
    One query; nothing when no link touches them."""
    linked = RelatedWork.objects.filter(Q(work_id__in=work_ids) | Q(parent_id__in=work_ids))
    others = set()
    for work_id, parent_id in linked.values_list("work_id", "parent_id"):
        others.update({work_id, parent_id})
    others -= {None, *work_ids}
    changes.work_pages_changed(others)
