from django.urls import path

from . import views, views_account, views_twofactor

app_name = "site"

urlpatterns = [
    path("signup", views.signup, name="signup"),
    path("invite_requests", views.invite_requests, name="invite_requests"),
    path("invitations", views.invitations, name="invitations"),
    path("confirm/resend", views.confirm_resend, name="confirm_resend"),
    path("confirm/<str:token>", views.confirm_email, name="confirm_email"),
    path("tos/accept", views.tos_accept, name="tos_accept"),
    path("tos", views.site_page, {"slug": "tos"}, name="tos"),
    path("content", views.site_page, {"slug": "content"}, name="content"),
    path("privacy", views.site_page, {"slug": "privacy"}, name="privacy"),
    path("faq", views.site_page, {"slug": "faq"}, name="faq"),
    *[
        path(f"{slug}/history", views.site_page_history, {"slug": slug}, name=f"{slug}_history")
        for slug in ("tos", "content", "privacy", "faq")
    ],
    path("admin_posts", views.admin_posts, name="admin_posts"),
    path("admin_posts/feed.atom", views.AdminPostsFeed(), name="admin_posts_feed"),
    path("admin_posts/<int:post_id>", views.admin_post, name="admin_post"),
    path("banner/dismiss", views.banner_dismiss, name="banner_dismiss"),
    path("account/email", views_account.email_change, name="account_email"),
    path("account/delete", views_account.account_delete, name="account_delete"),
    path("account/username", views_account.rename, name="account_username"),
    path("account/export", views_account.account_export, name="account_export"),
    path(
        "account/export/<str:token>",
        views_account.account_export_status,
        name="account_export_status",
    ),
    path(
        "account/export/<str:token>/download",
        views_account.account_export_download,
        name="account_export_download",
    ),
    path("account/two_factor", views_twofactor.two_factor, name="two_factor"),
]
