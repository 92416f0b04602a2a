"""Who a work is credited to: the only writer of Creatorship once a work exists."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction

from ficarchive.accounts.models import Pseud, SystemRole, User
from ficarchive.accounts.services import system_account
from ficarchive.core import changes
from ficarchive.core.audit import audit_record
from ficarchive.core.errors import PermissionDenied
from ficarchive.core.viewers import Viewer, is_admin

from ..models import (
    Creatorship,
    Work,
)
from .works import _require_creator, can_edit_work


def orphan_pseud() -> Pseud:
    """The pseud orphaned works are credited to: the orphan system account's."""
    return system_account(SystemRole.ORPHAN).default_pseud()


@transaction.atomic
def work_creators_set(*, actor: Viewer, work: Work, pseuds: Sequence[Pseud]) -> list[Creatorship]:
    """Make these pseuds the work's creators, in this order (duplicates dropped), and
    re-index the work (its text holds the creators' names, its sort key the first one).

    The only writer of ``Creatorship`` after a work is made: importers crediting a file's
    authors, orphaning and claims all come here. ``actor`` must be one of the work's current
    creators, an admin or the operator (PermissionDenied otherwise); ValidationError when
    no pseud is given. Returns the new creatorships."""
    if not (can_edit_work(actor, work) or is_admin(actor)):
        raise PermissionDenied("Only the work's creators or an admin can change its creators.")
    wanted = list(dict.fromkeys(pseuds))
    if not wanted:
        raise ValidationError("A work needs at least one creator.")
    Creatorship.objects.filter(work=work).delete()
    made = Creatorship.objects.bulk_create(
        [Creatorship(work=work, pseud=p, position=i) for i, p in enumerate(wanted)]
    )
    changes.works_changed([work.pk])
    return made


def creatorships_pseud_merged(pseud_id: int, into_id: int) -> None:
    """Listener (core.changes.pseud_merged): credit the merged pseud's works to the pseud
    it goes into (once per work), and re-index them."""
    work_ids = list(Creatorship.objects.filter(pseud_id=pseud_id).values_list("work_id", flat=True))
    already = Creatorship.objects.filter(pseud_id=into_id).values_list("work_id", flat=True)
    Creatorship.objects.filter(pseud_id=pseud_id, work_id__in=already).delete()
    Creatorship.objects.filter(pseud_id=pseud_id).update(pseud_id=into_id)
    changes.works_changed(work_ids)


def creatorships_pseuds_claimed(pseud_ids: list[int]) -> None:
    """Listener (core.changes.pseuds_claimed): the works of a claimed pseud name its account
    now, so re-index them."""
    changes.works_changed(
        Creatorship.objects.filter(pseud_id__in=pseud_ids).values_list("work_id", flat=True)
    )


@transaction.atomic
def work_orphan(*, actor: User, work: Work) -> Work:
    """Detach the actor from the work (AO3's orphaning): their pseuds are replaced by the
    orphan account's, and the work stays up for readers."""
    _require_creator(actor, work)
    current = (
        Creatorship.objects.filter(work=work).select_related("pseud").order_by("position", "id")
    )
    others = [c.pseud for c in current if c.pseud.user_id != actor.pk]
    work_creators_set(actor=actor, work=work, pseuds=others or [orphan_pseud()])
    audit_record(actor=actor, action="work.orphan", target=f"work {work.pk}")
    return work
