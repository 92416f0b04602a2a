from __future__ import annotations

from django.contrib.auth import login
from django.contrib.auth.forms import UserCreationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from ficarchive.works.selectors import works_by_user

from .models import Pseud, User


class SignupForm(UserCreationForm):
    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "email")


def signup(request: HttpRequest) -> HttpResponse:
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        user.default_pseud()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return redirect("core:home")
    return render(request, "accounts/form.html", {"form": form, "title": "Sign Up"})


def profile(request: HttpRequest, username: str) -> HttpResponse:
    owner = get_object_or_404(User, username=username, is_active=True)
    works = works_by_user(owner, request.user)[:20]
    return render(request, "accounts/profile.html", {"owner": owner, "works": works})


def pseud(request: HttpRequest, username: str, pseud_name: str) -> HttpResponse:
    p = get_object_or_404(Pseud, user__username=username, name=pseud_name)
    return redirect("accounts:profile", p.user.username)


def unclaimed_pseud(request: HttpRequest, pseud_id: int) -> HttpResponse:
    p = get_object_or_404(Pseud, pk=pseud_id)
    return render(request, "accounts/message.html", {"title": p.name, "message": "An imported author who has not claimed their works yet."})
