"""Django admin for the audit log (read-only: entries are written by the services), and
what every admin page that edits author HTML shares.

The admin is a door like the posting form and the API: HTML typed into it goes through
the same allowlist (``core.html``) before it is stored, because templates and downloads
render these fields as markup."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from django.contrib import admin
from django.db.models import Model
from django.forms import ModelForm
from django.http import HttpRequest

from .audit import AuditLog


@admin.register(AuditLog)
class AuditLogAdmin(admin.ModelAdmin):
    list_display = ("created_at", "actor", "action", "target")
    list_filter = ("action",)
    search_fields = ("target",)
    readonly_fields = ("created_at", "actor", "action", "target", "detail")


class SanitizedHtmlAdmin(admin.ModelAdmin):
    """A ModelAdmin whose ``html_fields`` (field name -> sanitizer, e.g.
    ``core.html.sanitize_html``) are cleaned on every save, before the row is written."""

    html_fields: ClassVar[dict[str, Callable[[str], str]]] = {}

    def save_model(self, request: HttpRequest, obj: Model, form: ModelForm, change: bool) -> None:
        sanitize_fields(obj, self.html_fields)
        super().save_model(request, obj, form, change)


def sanitize_fields(obj: Any, html_fields: dict[str, Callable[[str], str]]) -> None:
    """Replace each named field's value with its sanitized form (empty values stay empty)."""
    for name, clean in html_fields.items():
        value = getattr(obj, name)
        if value:
            setattr(obj, name, clean(value))
