from django.urls import path

from . import views, views_stats

app_name = "reading"
urlpatterns = [
    path("works/<int:work_id>/mark_for_later", views.mark_for_later, name="mark_for_later"),
    path("works/<int:work_id>/mark_as_read", views.mark_as_read, name="mark_as_read"),
    path("works/<int:work_id>/reading_list", views.reading_list_set, name="reading_list_set"),
    path("users/<str:username>/readings", views.readings, name="readings"),
    path("users/<str:username>/readings/clear", views.history_clear, name="history_clear"),
    path("users/<str:username>/readings/settings", views.reader_settings, name="settings"),
    path(
        "users/<str:username>/readings/<int:work_id>/delete",
        views.history_delete,
        name="history_delete",
    ),
    path("users/<str:username>/reading_list", views.reading_list, name="reading_list"),
    path("users/<str:username>/stats", views_stats.stats, name="stats"),
]
