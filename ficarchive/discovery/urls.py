from django.urls import path

from . import views

app_name = "discovery"
urlpatterns = [
    path("works", views.works_index, name="works"),
    path("works/search", views.search, name="search"),
    path("works/filters/save", views.saved_filter_save, name="saved_filter_save"),
    path(
        "works/filters/<int:filter_id>/delete",
        views.saved_filter_delete,
        name="saved_filter_delete",
    ),
    path("mutes", views.mutes, name="mutes"),
    path("mutes/<int:mute_id>/delete", views.mute_delete, name="mute_delete"),
]
