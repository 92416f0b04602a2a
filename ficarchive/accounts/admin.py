"""Django admin for accounts and pseuds. Names are in the search text of the works credited
to them, so a save here re-indexes those works through pseuds_admin_saved."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import Pseud, User
from .services import pseuds_admin_saved


class PseudInline(admin.TabularInline):
    model = Pseud
    extra = 0
    fields = ["name", "is_default", "description"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "email", "is_active", "is_staff", "is_wrangler", "date_joined"]
    list_filter = ["is_staff", "is_wrangler", "is_active", "is_superuser"]
    search_fields = ["username", "email"]
    inlines = [PseudInline]
    fieldsets = (
        *(BaseUserAdmin.fieldsets or ()),
        (
            "Archive",
            {"fields": ("is_wrangler", "profile", "view_adult", "hide_warnings", "hide_freeform")},
        ),
    )

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        pseuds_admin_saved(actor=request.user, pseuds=form.instance.pseuds.all())


@admin.register(Pseud)
class PseudAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "is_default", "claim_email", "created_at"]
    list_filter = ["is_default"]
    search_fields = ["name", "user__username", "claim_email"]
    raw_id_fields = ["user"]

    def save_model(self, request, obj: Pseud, form, change) -> None:
        super().save_model(request, obj, form, change)
        pseuds_admin_saved(actor=request.user, pseuds=[obj])
