"""The API's two HTML pages: the human-readable description, and the token settings page."""

from __future__ import annotations

from typing import cast

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from ficarchive.accounts.models import TokenScope, User
from ficarchive.accounts.tokens import token_create, token_revoke, tokens_of
from ficarchive.core.errors import NotFound

from .schema import operations


def docs(request: HttpRequest) -> HttpResponse:
    """The OpenAPI description as a page: every operation with its parameters."""
    return render(request, "api/docs.html", {"operations": operations()})


@login_required
def tokens_redirect(request: HttpRequest) -> HttpResponse:
    """/api/v1/tokens: the signed-in user's token page."""
    return tokens(request, request.user.username)


@login_required
def tokens(request: HttpRequest, username: str) -> HttpResponse:
    """List, create (shown once) and revoke personal access tokens."""
    me = cast(User, request.user)  # login_required
    if username != me.username:
        raise Http404("No such page.")
    context: dict = {
        "scopes": TokenScope.choices,
        "errors": {},
        "name": "",
        "scope": TokenScope.READ,
    }
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "revoke":
            try:
                token_revoke(actor=me, token_id=int(request.POST.get("token_id", "0")))
                context["notice"] = _(
                    "The token was revoked; programs using it can no longer get in."
                )
            except (ValueError, NotFound):
                raise Http404("No such token.")
        else:
            name = request.POST.get("name", "")
            scope = request.POST.get("scope", TokenScope.READ)
            try:
                token, raw = token_create(actor=me, name=name, scope=scope)
                context["new_token"] = token
                context["raw_token"] = raw
            except ValidationError as exc:
                context.update(errors=exc.message_dict, name=name, scope=scope)
                status = 400
    context["tokens"] = list(tokens_of(me))
    response = render(request, "api/tokens.html", context, status=status)
    response["Cache-Control"] = "no-store"  # the new token is on this page, once
    return response
