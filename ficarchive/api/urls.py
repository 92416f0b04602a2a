from django.urls import path, re_path

from . import pages, views

app_name = "api"
urlpatterns = [
    path("", views.index, name="index"),
    path("openapi.json", views.openapi_json, name="openapi"),
    path("docs", pages.docs, name="docs"),
    path("tokens", pages.tokens_redirect, name="tokens"),
    path("works", views.works_collection, name="works"),
    path("works/<int:work_id>", views.work_detail, name="work"),
    path("works/<int:work_id>/chapters", views.chapters_collection, name="chapters"),
    path("works/<int:work_id>/chapters/<int:chapter_id>", views.chapter_detail, name="chapter"),
    path("works/<int:work_id>/comments", views.work_comments, name="comments"),
    path("works/<int:work_id>/kudos", views.work_kudos, name="kudos"),
    path("tags/autocomplete", views.tag_autocomplete_view, name="tag_autocomplete"),
    path("tags/<str:name>", views.tag_detail, name="tag"),
    path("tags/<str:name>/works", views.tag_works, name="tag_works"),
    path("search", views.search, name="search"),
    path("users/<str:username>", views.user_detail, name="user"),
    path("users/<str:username>/works", views.user_works, name="user_works"),
    path("users/<str:username>/bookmarks", views.user_bookmarks, name="user_bookmarks"),
    path("bookmarks", views.bookmarks_collection, name="bookmarks"),
    path("bookmarks/<int:bookmark_id>", views.bookmark_detail, name="bookmark"),
    # Anything else under /api/v1/ is a JSON 404, not the site's HTML page.
    re_path(r"^[\s\S]*$", views.not_found, name="not_found"),
]
