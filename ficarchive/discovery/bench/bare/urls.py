"""One address: the bare view."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path


def bare(request: HttpRequest) -> HttpResponse:
    """One small template, rendered with the default context processors."""
    return render(request, "bare.html", {"title": "Bare view", "items": ["one", "two", "three"]})


urlpatterns = [path("", bare), path("bare", bare)]
