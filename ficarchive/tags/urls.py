from django.urls import path

from . import views

app_name = "tags"
# The fixed addresses come before the tag-name ones: "wrangle" and "autocomplete" are not tags.
urlpatterns = [
    path("tags", views.tag_index, name="index"),
    path("tags/autocomplete", views.autocomplete, name="autocomplete"),
    path("tags/wrangle", views.wrangle, name="wrangle"),
    path("tags/wrangle/bin", views.wrangle_bin, name="wrangle_bin"),
    path("tags/wrangle/log", views.wrangle_log, name="wrangle_log"),
    path("tags/<path:name>/works", views.tag_works, name="works"),
    path("tags/<path:name>/feed.atom", views.tag_feed, name="feed"),
    path("tags/<path:name>/edit", views.tag_edit, name="edit"),
    path("tags/<path:name>", views.tag_show, name="show"),
]
