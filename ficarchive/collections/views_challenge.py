"""Challenge pages: the sign-up form, assignments (maintainers run the matching, review,
swap, regenerate, send; givers see theirs, default, post fills; pinch hitters claim), and
a prompt meme's prompts with claims."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ficarchive.core.errors import NotFound, PermissionDenied
from ficarchive.works import access

from . import selectors, services
from .forms import SignupForm, posted_id
from .models import Assignment, Claim, Collection, Prompt, Signup
from .services.challenges import PromptInput
from .views import _collection, _fail, _me

ERRORS = (ValidationError, PermissionDenied, NotFound)


@login_required
@require_http_methods(["GET", "POST"])
def signup_new(request: HttpRequest, name: str) -> HttpResponse:
    """Sign up for a gift exchange (or post a prompt meme's prompts)."""
    collection = _collection(name)
    if not collection.challenge_kind:
        raise Http404("This collection has no challenge.")
    challenge = services.challenge_of(collection)
    offers = challenge.offers_max if collection.is_gift_exchange else 0
    form = SignupForm(request.POST or None, requests=challenge.requests_max, offers=offers)
    if request.method == "POST" and form.is_valid():
        try:
            services.signup_create(
                actor=request.user,
                collection=collection,
                pseud=request.user.default_pseud(),
                requests=form.prompts("request"),
                offers=form.prompts("offer"),
            )
        except ERRORS as exc:
            _fail(request, exc)
        else:
            messages.success(
                request, _("You are signed up for %(title)s.") % {"title": collection.title}
            )
            return redirect(collection.get_absolute_url())
    tag_set = challenge.tag_set.select_related("tag").order_by("tag__kind", "tag__name")
    return render(
        request,
        "collections/signup_new.html",
        {
            "collection": collection,
            "challenge": challenge,
            "form": form,
            "tag_set": [t.tag for t in tag_set],
            "already": selectors.signup_of(collection, request.user),
            "closed_because": services.signups_window_problem(challenge),
        },
    )


def _maintainer_action(request: HttpRequest, collection, action: str) -> str:
    post = request.POST
    if action == "match":
        r = services.challenge_match(actor=request.user, collection=collection)
        return _("%(signups)s sign-ups: %(assigned)s assigned, %(unassigned)s unassigned.") % r
    if action == "send":
        sent = services.assignments_send(actor=request.user, collection=collection)
        return _("Sent %(count)s assignments.") % {"count": sent}
    mine = Assignment.objects.filter(challenge__collection=collection)
    if action == "swap":
        first = mine.filter(pk=posted_id(post, "first")).first()
        second = mine.filter(pk=posted_id(post, "second")).first()
        if first is None or second is None:
            raise ValidationError(_("Pick two assignments to swap."))
        services.assignments_swap(actor=request.user, first=first, second=second)
        return _("Swapped.")
    if action == "regenerate":
        signup = Signup.objects.filter(
            challenge__collection=collection, pk=posted_id(post, "signup")
        ).first()
        if signup is None:
            raise ValidationError(_("Pick a participant."))
        made = services.assignment_regenerate(actor=request.user, signup=signup)
        return _("Regenerated: %(count)s new assignments.") % {"count": len(made)}
    return ""


def _may_pinch_hit(request: HttpRequest, collection: Collection) -> bool:
    """Who sees and claims open pinch hits: the exchange's participants (a sign-up) and
    maintainers, not every signed-in account (AO3 shows open assignments to the
    challenge's people; a stranger would learn who is left without a gift)."""
    return services.is_maintainer(request.user, collection) or (
        selectors.signup_of(collection, request.user) is not None
    )


def _participant_action(request: HttpRequest, collection, action: str) -> str:
    post = request.POST
    live = Assignment.objects.filter(challenge__collection=collection)
    if action == "default":
        a = live.filter(pk=posted_id(post, "assignment")).first()
        if a is None:
            raise ValidationError(_("No such assignment."))
        services.assignment_default(actor=request.user, assignment=a)
        return _("Defaulted: a pinch hitter can take it now.")
    if action == "pinch_hit":
        if not _may_pinch_hit(request, collection):
            raise PermissionDenied(
                _("Only the exchange's participants and maintainers can pinch hit.")
            )
        recipient = Signup.objects.filter(
            challenge__collection=collection, pk=posted_id(post, "signup")
        ).first()
        if recipient is None:
            raise ValidationError(_("No such participant."))
        services.pinch_hit_claim(
            actor=request.user, recipient=recipient, pseud=request.user.default_pseud()
        )
        return _("You are pinch hitting.")
    if action == "fill":
        a = live.filter(pk=posted_id(post, "assignment")).first()
        if a is None:
            raise ValidationError(_("No such assignment."))
        work = access.access_work(request.user, posted_id(post, "work"), need=access.Need.EDIT)
        services.assignment_fulfil(actor=request.user, assignment=a, work=work)
        return _("Posted as your gift.")
    raise ValidationError(_("Unknown action."))


@login_required
@require_http_methods(["GET", "POST"])
def assignments(request: HttpRequest, name: str) -> HttpResponse:
    """Maintainers see and manage every assignment; participants see their own."""
    collection = _collection(name)
    if not collection.is_gift_exchange:
        raise Http404("This collection is not a gift exchange.")
    maintainer = services.is_maintainer(request.user, collection)
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            done = ""
            if maintainer:
                done = _maintainer_action(request, collection, action)
            done = done or _participant_action(request, collection, action)
            messages.success(request, done)
        except ERRORS as exc:
            _fail(request, exc)
        return redirect("collections:assignments", collection.name)
    from ficarchive.works.selectors import works_by_user

    context = {
        "collection": collection,
        "challenge": services.challenge_of(collection),
        "maintainer": maintainer,
        "rows": selectors.assignments_of(collection, with_defaulted=True) if maintainer else [],
        "mine": selectors.assignments_for_user(collection, _me(request)),
        "open": (
            selectors.open_for_pinch_hit(collection, request.user)
            if _may_pinch_hit(request, collection)
            else []
        ),
        "signups": collection.challenge.signups.select_related("pseud__user") if maintainer else [],
        "my_works": works_by_user(_me(request), request.user),
    }
    return render(request, "collections/assignments.html", context)


@require_http_methods(["GET", "POST"])
def prompts(request: HttpRequest, name: str) -> HttpResponse:
    """A prompt meme's prompts with claim and fill counts; signed-in readers post and claim."""
    collection = _collection(name)
    if not collection.is_prompt_meme:
        raise Http404("This collection is not a prompt meme.")
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"/login?next={request.path}")
        try:
            if request.POST.get("action") in ("fill", "drop"):
                messages.success(request, _claim_action(request, collection))
            elif request.POST.get("action") == "claim":
                prompt = Prompt.objects.filter(
                    signup__challenge__collection=collection, pk=posted_id(request.POST, "prompt")
                ).first()
                if prompt is None:
                    raise ValidationError(_("No such prompt."))
                services.claim_create(
                    actor=request.user, prompt=prompt, pseud=request.user.default_pseud()
                )
                messages.success(request, _("Claimed."))
            else:
                tags = {
                    "fandom": [t for t in request.POST.get("fandoms", "").split(",") if t.strip()]
                }
                services.prompt_post(
                    actor=request.user,
                    collection=collection,
                    pseud=request.user.default_pseud(),
                    prompt=PromptInput(
                        tags={k: v for k, v in tags.items() if v},
                        title=request.POST.get("title", ""),
                        description=request.POST.get("description", ""),
                        anonymous=bool(request.POST.get("anonymous")),
                    ),
                )
                messages.success(request, _("Prompt posted."))
        except ERRORS as exc:
            _fail(request, exc)
        return redirect("collections:prompts", collection.name)
    prompts = list(
        selectors.prompts_of(
            collection,
            request.user,
            tag=request.GET.get("tag", "")[:150],
            unclaimed=bool(request.GET.get("unclaimed")),
        ).distinct()
    )
    my_works: list = []
    if request.user.is_authenticated:  # the reader's own claims offer Fill and Drop
        from ficarchive.works.selectors import works_by_user

        mine = {
            c.prompt_id: c
            for c in Claim.objects.filter(prompt__in=prompts, pseud__user_id=request.user.pk)
        }
        for p in prompts:  # attributes for the template: an open claim, or a filled one
            claim = mine.get(p.pk)
            p.my_claim = claim if claim and not claim.work_id else None  # type: ignore[attr-defined]
            p.my_fill = bool(claim and claim.work_id)  # type: ignore[attr-defined]
        my_works = list(works_by_user(_me(request), request.user)) if mine else []
    return render(
        request,
        "collections/prompts.html",
        {
            "collection": collection,
            "prompts": prompts,
            "tag": request.GET.get("tag", ""),
            "my_works": my_works,
        },
    )


def _claim_action(request: HttpRequest, collection: Collection) -> str:
    """Fill one of the reader's claims with one of their works, or drop it."""
    claim = Claim.objects.filter(
        prompt__signup__challenge__collection=collection, pk=posted_id(request.POST, "claim")
    ).first()
    if claim is None:
        raise ValidationError(_("No such claim."))
    if request.POST["action"] == "drop":
        services.claim_delete(actor=request.user, claim=claim)
        return _("Claim dropped.")
    work = access.access_work(request.user, posted_id(request.POST, "work"), need=access.Need.EDIT)
    services.claim_fill(actor=request.user, claim=claim, work=work)
    return _("Prompt filled: your work is in the collection.")
