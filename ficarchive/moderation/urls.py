from django.urls import path

from . import views

app_name = "moderation"

urlpatterns = [
    path("abuse_reports/new", views.report_new, name="report_new"),
    path("abuse_reports/sent", views.report_sent, name="report_sent"),
    path("blocked_users", views.blocked_users, name="blocked_users"),
    path("blocked_users/<int:block_id>/delete", views.unblock, name="unblock"),
    path("warnings/<int:note_id>/dismiss", views.warning_dismiss, name="warning_dismiss"),
    path("comments/moderation", views.comment_queue, name="comment_queue"),
    path("comments/<int:comment_id>/spam", views.comment_spam, name="comment_spam"),
    path("comments/<int:comment_id>/thread", views.comment_thread, name="comment_thread"),
    path(
        "works/<int:work_id>/comment_settings",
        views.work_comment_settings,
        name="work_comment_settings",
    ),
]
