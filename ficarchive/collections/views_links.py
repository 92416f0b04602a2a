"""Pages for invitations and links: a user's invitations (co-creator invitations,
collection invitations of their works, related-work links to approve, the preference),
and a creator's forms to invite a co-creator and to name a work's source."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ficarchive.accounts.models import Pseud, User
from ficarchive.core.errors import NotFound, PermissionDenied
from ficarchive.works import access

from . import selectors, services
from .forms import posted_id
from .models import CoCreatorInvitation, CollectionItem, RelatedWork
from .views import _fail, _me

ERRORS = (ValidationError, PermissionDenied, NotFound)


def _answer(request: HttpRequest, me: User) -> str:
    post, action = request.POST, request.POST.get("action", "")
    if action == "preference":
        services.invitation_preference_set(actor=me, allow=bool(post.get("allow")))
        return _("Preference saved.")
    if action.startswith("invite_"):
        inv = CoCreatorInvitation.objects.filter(pk=posted_id(post, "id")).first()
        if inv is None:
            raise ValidationError(_("No such invitation."))
        services.invitation_respond(actor=me, invitation=inv, accept=action == "invite_accept")
        return _("Invitation answered.")
    if action.startswith("item_"):
        item = CollectionItem.objects.filter(pk=posted_id(post, "id")).first()
        if item is None:
            raise ValidationError(_("No such item."))
        services.item_review(actor=me, item=item, approve=action == "item_accept")
        return _("Collection invitation answered.")
    if action.startswith("link_"):
        link = RelatedWork.objects.filter(pk=posted_id(post, "id")).first()
        if link is None:
            raise ValidationError(_("No such link."))
        services.related_work_review(actor=me, link=link, approve=action == "link_approve")
        return _("Link reviewed.")
    raise ValidationError(_("Unknown action."))


@login_required
@require_http_methods(["GET", "POST"])
def invitations(request: HttpRequest, username: str) -> HttpResponse:
    me = _me(request)
    if me.username.lower() != username.lower():
        raise Http404("No such page.")
    if request.method == "POST":
        try:
            messages.success(request, _answer(request, me))
        except ERRORS as exc:
            _fail(request, exc)
        return redirect("collections:invitations", me.username)
    context = {
        "cocreator": CoCreatorInvitation.objects.filter(pseud__user=me, status="pending").select_related("work", "invited_by"),
        "items": selectors.invitations_for(me),
        "links": selectors.links_to_review(me),
        "allow": services.invitations_allowed(me),
    }  # fmt: skip
    return render(request, "collections/invitations.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def work_links(request: HttpRequest, work_id: int) -> HttpResponse:
    """A creator invites a co-creator (``pseud``: "name" or "pseud (user)") or names a
    source (``relation`` with ``parent`` id or ``url``)."""
    me = _me(request)
    try:
        work = access.access_work(me, work_id, need=access.Need.EDIT)
    except (NotFound, PermissionDenied):
        raise Http404("No such work.") from None
    if request.method == "POST":
        post = request.POST
        try:
            if post.get("action") == "withdraw":
                inv = CoCreatorInvitation.objects.filter(pk=posted_id(post, "id"), work=work)
                if (found := inv.select_related("work").first()) is None:
                    raise ValidationError(_("No such invitation."))
                services.invitation_withdraw(actor=me, invitation=found)
                messages.success(request, _("Invitation withdrawn."))
            elif post.get("action") == "invite":
                pseud = _pseud(post.get("pseud", ""))
                services.cocreator_invite(actor=me, work=work, pseud=pseud)
                messages.success(request, _("Invited %(name)s.") % {"name": pseud.name})
            else:
                parent = None
                if (post.get("parent") or "").strip():
                    parent = access.access_work(me, post["parent"].strip())
                services.related_work_add(
                    actor=me, work=work, relation=post.get("relation", ""), parent=parent,
                    url=(post.get("url") or "").strip(), title=post.get("title", ""),
                )  # fmt: skip
                messages.success(request, _("Source saved."))
        except ERRORS as exc:
            _fail(request, exc)
        return redirect("collections:work_links", work.pk)
    pending = CoCreatorInvitation.objects.filter(work=work, status="pending")
    return render(
        request,
        "collections/work_links.html",
        {"work": work, "pending": pending.select_related("pseud__user")},
    )


def _pseud(name: str) -> Pseud:
    name = " ".join(name.split())
    if "(" in name and name.endswith(")"):
        pseud_name, username = name[:-1].split("(", 1)
        found = Pseud.objects.filter(
            name__iexact=pseud_name.strip(), user__username__iexact=username
        ).first()
    else:
        account = User.objects.filter(username__iexact=name).first()
        found = account.default_pseud() if account else None
    if found is None:
        raise ValidationError(_("No account or pseud named %(name)s.") % {"name": name})
    return found
