from django.urls import path

from . import views, views_bookmarks, views_challenge, views_links, views_settings

app_name = "collections"

urlpatterns = [
    path("collections", views.collection_index, name="index"),
    path("collections/new", views.collection_new, name="new"),
    path("collections/<str:name>", views.collection_detail, name="detail"),
    path("collections/<str:name>/works", views.collection_works, name="works"),
    path("collections/<str:name>/works/feed.atom", views.collection_feed, name="feed"),
    path("collections/<str:name>/items", views.collection_items, name="items"),
    path("collections/<str:name>/settings", views_settings.collection_settings, name="settings"),
    path("collections/<str:name>/items/new", views.item_new, name="item_new"),
    path(
        "collections/<str:name>/bookmarks",
        views_bookmarks.collection_bookmarks_view,
        name="bookmarks",
    ),
    path(
        "collections/<str:name>/bookmarks/new",
        views_bookmarks.bookmark_item_new,
        name="bookmark_new",
    ),
    path(
        "collections/<str:name>/bookmarks/review",
        views_bookmarks.bookmark_items_review,
        name="bookmarks_review",
    ),
    path("collections/<str:name>/reveal", views.collection_reveal_view, name="reveal"),
    path("collections/<str:name>/signups/new", views_challenge.signup_new, name="signup_new"),
    path("collections/<str:name>/assignments", views_challenge.assignments, name="assignments"),
    path("collections/<str:name>/prompts", views_challenge.prompts, name="prompts"),
    path("users/<str:username>/gifts", views.gifts, name="gifts"),
    path("users/<str:username>/invitations", views_links.invitations, name="invitations"),
    path("works/<int:work_id>/links", views_links.work_links, name="work_links"),
]
