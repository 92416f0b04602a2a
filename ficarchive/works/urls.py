from django.urls import path

from . import views, views_chapters, views_series

app_name = "works"
urlpatterns = [
    path("works/new", views.work_new, name="new"),
    path("works/<int:work_id>", views.work_detail, name="detail"),
    path("works/<int:work_id>/edit", views.work_edit, name="edit"),
    path("works/<int:work_id>/post", views.work_post, name="post"),
    path("works/<int:work_id>/delete", views.work_delete, name="delete"),
    path("works/<int:work_id>/orphan", views.work_orphan, name="orphan"),
    path("works/<int:work_id>/hide", views.work_hide, name="hide"),
    path("works/<int:work_id>/chapters/new", views_chapters.chapter_new, name="chapter_new"),
    path(
        "works/<int:work_id>/chapters/manage",
        views_chapters.chapters_manage,
        name="chapters_manage",
    ),
    path("works/<int:work_id>/chapters/<int:chapter_id>", views.chapter_detail, name="chapter"),
    path(
        "works/<int:work_id>/chapters/<int:chapter_id>/edit",
        views_chapters.chapter_edit,
        name="chapter_edit",
    ),
    path(
        "works/<int:work_id>/chapters/<int:chapter_id>/delete",
        views_chapters.chapter_delete,
        name="chapter_delete",
    ),
    path("users/<str:username>/works", views.user_works, name="user_works"),
    path("users/<str:username>/works/drafts", views.user_drafts, name="user_drafts"),
    path("users/<str:username>/series", views_series.user_series, name="user_series"),
    path("series/<int:series_id>", views_series.series_detail, name="series"),
    path("series/<int:series_id>/edit", views_series.series_edit, name="series_edit"),
]
