from django.urls import path, re_path

from . import views, views_import, views_reading

app_name = "transfer"
urlpatterns = [
    re_path(
        r"^downloads/(?P<work_id>\d+)/(?P<slug>[^/]*)\.(?P<ext>[a-z0-9]+)$",
        views.download,
        name="download",
    ),
    path(
        "downloads/series/<int:series_id>/<slug:slug>.epub",
        views_reading.series_download,
        name="series_download",
    ),
    path("works/import", views_import.work_import_upload, name="import"),
    path("opds", views.opds_root, name="opds_root"),
    path("opds/new", views.opds_new, name="opds_new"),
    path("opds/fandoms", views.opds_fandoms, name="opds_fandoms"),
    path("opds/fandoms/<str:name>", views.opds_fandom, name="opds_fandom"),
    path("opds/tags", views.opds_tags, name="opds_tags"),
    path("opds/tags/<str:name>", views.opds_tag, name="opds_tag"),
    path("opds/search", views.opds_search, name="opds_search"),
    path("opds/opensearch.xml", views.opds_opensearch, name="opds_opensearch"),
    path("opds/bookmarks", views.opds_bookmarks, name="opds_bookmarks"),
    path("opds/later", views_reading.opds_later, name="opds_later"),
    path("opds/continue", views_reading.opds_continue, name="opds_continue"),
    path("opds/subscriptions", views_reading.opds_subscriptions, name="opds_subscriptions"),
]
