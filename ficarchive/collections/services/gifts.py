"""Gifts: a work given to an account (its pseud) or to a free-text name, as AO3 allows; the
recipient may refuse it."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ficarchive.accounts.models import Pseud, User
from ficarchive.core import changes
from ficarchive.core.errors import PermissionDenied
from ficarchive.core.viewers import Viewer, is_user
from ficarchive.works.models import Creatorship, Work

from ..models import Gift
from ..notify import gift_announce, person_guards_check
from .collections import viewer_id

NAME_MAX = 100


def _recipient(name: str) -> tuple[Pseud | None, str]:
    """An account's pseud for ``name`` ("user", or AO3's "pseud (user)"), an unclaimed
    pseud of that name, or else the name as free text."""
    name = " ".join(name.split())
    if not name:
        raise ValidationError(_("A gift needs a recipient's name."))
    match = re.fullmatch(r"(.+?) \((.+)\)", name)
    if match:
        pseud = Pseud.objects.filter(name__iexact=match[1], user__username__iexact=match[2]).first()
        if pseud is not None:
            return pseud, ""
    user = User.objects.filter(username__iexact=name).first()
    if user is not None:
        return user.default_pseud(), ""
    unclaimed = Pseud.objects.filter(user=None, name__iexact=name).first()
    if unclaimed is not None:
        return unclaimed, ""
    if len(name) > NAME_MAX:
        raise ValidationError(
            _("A recipient's name is at most %(NAME_MAX)s characters.") % {"NAME_MAX": NAME_MAX}
        )
    return None, name


def _need_creator(actor: Viewer, work: Work) -> None:
    if not (
        is_user(actor)
        and Creatorship.objects.filter(work=work, pseud__user_id=viewer_id(actor)).exists()
    ):
        raise PermissionDenied(_("Only the work's creators can give it as a gift."))


def _existing(work: Work, pseud: Pseud | None, text: str) -> Gift | None:
    if pseud is not None:
        if pseud.user_id is not None:  # any pseud of the same account counts
            return Gift.objects.filter(work=work, pseud__user_id=pseud.user_id).first()
        return Gift.objects.filter(work=work, pseud=pseud).first()
    return Gift.objects.filter(work=work, pseud=None, recipient_name__iexact=text).first()


@transaction.atomic
def gift_add(*, actor: Viewer, work: Work, name: str) -> Gift:
    """Give the work to ``name``. Already given: that gift. Raises ``ValidationError`` (a
    gift to yourself, one the recipient refused, a bad name), ``PermissionDenied``."""
    _need_creator(actor, work)
    pseud, text = _recipient(name)
    if pseud is not None and pseud.user_id == getattr(actor, "pk", None):
        raise ValidationError(_("You cannot give a gift to yourself."))
    if pseud is not None:
        person_guards_check(actor, pseud.user)  # someone who blocked the giver
    gift = _existing(work, pseud, text)
    if gift is not None:
        if gift.refused:
            raise ValidationError(
                _("%(recipient)s has refused this gift.") % {"recipient": gift.recipient}
            )
        return gift
    gift = Gift.objects.create(work=work, pseud=pseud, recipient_name=text)
    changes.work_pages_changed([work.pk])  # its page names the recipients ("For:")
    if pseud is not None and pseud.user is not None and work.posted:
        gift_announce(work_id=work.pk, url=work.get_absolute_url(), users=[pseud.user])
    return gift


@transaction.atomic
def gifts_set(*, actor: Viewer, work: Work, names: list[str]) -> list[Gift]:
    """Make the work's gifts exactly ``names`` (the API's ``gift_to``): new ones added,
    others withdrawn (refusals are kept, so a refused gift is not given again). All or
    nothing. Raises as ``gift_add``."""
    _need_creator(actor, work)
    gifts = [gift_add(actor=actor, work=work, name=n) for n in names]
    keep = {g.pk for g in gifts}
    if Gift.objects.filter(work=work, refused=False).exclude(pk__in=keep).delete()[0]:
        changes.work_pages_changed([work.pk])
    return gifts


@transaction.atomic
def gift_refuse(*, actor: Viewer, gift: Gift) -> Gift:
    """The recipient refuses the gift: it is shown nowhere and cannot be given again.
    Raises ``PermissionDenied`` (not the recipient), ``ValidationError`` (refused already)."""
    if not (is_user(actor) and gift.pseud_id and gift.pseud.user_id == actor.pk):
        raise PermissionDenied(_("Only the recipient can refuse a gift."))
    if gift.refused:
        raise ValidationError(_("You have already refused this gift."))
    gift.refused = True
    gift.save(update_fields=["refused"])
    changes.work_pages_changed([gift.work_id])  # "it no longer shows anywhere"
    return gift


@transaction.atomic
def gift_accept(*, actor: Viewer, gift: Gift) -> Gift:
    """The recipient takes back a gift they refused (AO3's Refused Gifts page): it shows
    again as a gift. Raises ``PermissionDenied`` (not the recipient), ``ValidationError``
    (not refused)."""
    if not (is_user(actor) and gift.pseud_id and gift.pseud.user_id == actor.pk):
        raise PermissionDenied(_("Only the recipient can accept a gift."))
    if not gift.refused:
        raise ValidationError(_("This gift is not refused."))
    gift.refused = False
    gift.save(update_fields=["refused"])
    changes.work_pages_changed([gift.work_id])  # its page names the recipients again
    return gift
