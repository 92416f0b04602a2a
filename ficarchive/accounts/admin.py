from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import Pseud, User


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
        ("Archive", {"fields": ("is_wrangler", "profile", "view_adult", "hide_warnings", "hide_freeform")}),
    )


@admin.register(Pseud)
class PseudAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "is_default", "claim_email", "created_at"]
    list_filter = ["is_default"]
    search_fields = ["name", "user__username", "claim_email"]
    raw_id_fields = ["user"]
