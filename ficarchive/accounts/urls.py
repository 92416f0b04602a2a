from django.contrib.auth import views as auth_views
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView

from . import views

app_name = "accounts"

urlpatterns = [
    path("login", views.LoginView.as_view(), name="login"),
    # The language chooser in every page's footer (Django's set_language, plus the
    # signed-in reader's preference).
    path("i18n/setlang/", views.language_choose, name="set_language"),
    path("logout", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password/change",
        views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "password/change/done",
        auth_views.PasswordChangeDoneView.as_view(
            template_name="accounts/message.html",
            extra_context={
                "title": _("Password Changed"),
                "message": _("Your password was changed."),
            },
        ),
        name="password_change_done",
    ),
    path(
        "password/reset",
        views.PasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        "password/reset/sent",
        auth_views.PasswordResetDoneView.as_view(
            template_name="accounts/message.html",
            extra_context={
                "title": _("Check Your Email"),
                "message": _(
                    "If an account uses that address, we have sent it a link to set a new "
                    "password. It works once, and only for a few days."
                ),
            },
        ),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/done",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/message.html",
            extra_context={
                "title": _("Password Reset"),
                "message": _("Your password was set. You can log in now."),
            },
        ),
        name="password_reset_complete",
    ),
    # AO3's log-in address, before the profile pattern would take it for a user "login"
    # (a reserved name); the query string (``?next=``) goes along, checked by the log-in view.
    path(
        "users/login",
        RedirectView.as_view(pattern_name="accounts:login", permanent=True, query_string=True),
        name="users_login",
    ),
    path("users/<str:username>", views.profile, name="profile"),
    path("users/<str:username>/profile/edit", views.profile_edit, name="profile_edit"),
    path("users/<str:username>/preferences", views.preferences, name="preferences"),
    path("users/<str:username>/pseuds", views.pseuds, name="pseuds"),
    path("users/<str:username>/pseuds/new", views.pseud_new, name="pseud_new"),
    path("users/<str:username>/pseuds/<str:pseud_name>", views.pseud, name="pseud"),
    path("users/<str:username>/pseuds/<str:pseud_name>/edit", views.pseud_edit, name="pseud_edit"),
    path(
        "users/<str:username>/pseuds/<str:pseud_name>/delete",
        views.pseud_delete,
        name="pseud_delete",
    ),
    path("pseuds/<int:pseud_id>", views.unclaimed_pseud, name="unclaimed_pseud"),
    path("pseuds/<int:pseud_id>/claim", views.pseud_claim, name="pseud_claim"),
    path("pseuds/claim/<str:token>", views.pseud_claim_confirm, name="pseud_claim_confirm"),
]
