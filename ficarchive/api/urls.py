from django.urls import path, re_path

from . import pages
from .views import discovery, feedback, moderation, notify, reading, suggestions, works

app_name = "api"
urlpatterns = [
    path("", works.index, name="index"),
    path("openapi.json", works.openapi_json, name="openapi"),
    path("docs", pages.docs, name="docs"),
    path("tokens", pages.tokens_redirect, name="tokens"),
    path("works", works.works_collection, name="works"),
    path("works/<int:work_id>", works.work_detail, name="work"),
    path("works/<int:work_id>/orphan", works.work_orphan, name="work_orphan"),
    path("works/<int:work_id>/chapters", works.chapters_collection, name="chapters"),
    path("works/<int:work_id>/chapters/order", works.chapter_order, name="chapter_order"),
    path("works/<int:work_id>/chapters/<int:chapter_id>", works.chapter_detail, name="chapter"),
    path("works/<int:work_id>/comments", feedback.work_comments, name="comments"),
    path("works/<int:work_id>/kudos", feedback.work_kudos, name="kudos"),
    path("works/<int:work_id>/suggestions", suggestions.suggestions, name="suggestions"),
    path(
        "works/<int:work_id>/suggestions/accept",
        suggestions.suggestion_accept,
        name="suggestion_accept",
    ),
    path(
        "works/<int:work_id>/suggestions/dismiss",
        suggestions.suggestion_dismiss,
        name="suggestion_dismiss",
    ),
    path(
        "works/<int:work_id>/suggestions/restore",
        suggestions.suggestion_restore,
        name="suggestion_restore",
    ),
    path("comments/<int:comment_id>", feedback.comment_detail, name="comment"),
    path("series/<int:series_id>", works.series_detail, name="series"),
    path("tags/autocomplete", discovery.tag_autocomplete_view, name="tag_autocomplete"),
    path("tags/<str:name>", discovery.tag_detail, name="tag"),
    path("tags/<str:name>/works", discovery.tag_works, name="tag_works"),
    path("search", discovery.search, name="search"),
    path("users/<str:username>", discovery.user_detail, name="user"),
    path("users/<str:username>/works", discovery.user_works, name="user_works"),
    path("users/<str:username>/bookmarks", feedback.user_bookmarks, name="user_bookmarks"),
    path("users/<str:username>/inbox", feedback.inbox, name="inbox"),
    path("me/blocks", moderation.blocks, name="me_blocks"),
    path("me/blocks/<int:block_id>", moderation.block_detail, name="me_block"),
    path("me/mutes", moderation.mutes, name="me_mutes"),
    path("me/mutes/<int:mute_id>", moderation.mute_detail, name="me_mute"),
    path("bookmarks", feedback.bookmarks_collection, name="bookmarks"),
    path("bookmarks/<int:bookmark_id>", feedback.bookmark_detail, name="bookmark"),
    path("works/<int:work_id>/later", reading.work_later, name="work_later"),
    path("works/<int:work_id>/reading_list", reading.work_reading_list, name="work_reading_list"),
    path("me/later", reading.my_later, name="me_later"),
    path("me/history", reading.my_history, name="me_history"),
    path("me/history/<int:work_id>", reading.my_history_entry, name="me_history_entry"),
    path("me/reading_list", reading.my_reading_list, name="me_reading_list"),
    path("me/reading_settings", reading.my_reading_settings, name="me_reading_settings"),
    path("me/stats", reading.my_stats, name="me_stats"),
    path("subscriptions", notify.subscriptions_collection, name="subscriptions"),
    path("subscriptions/<int:subscription_id>", notify.subscription_detail, name="subscription"),
    # Anything else under /api/v1/ is a JSON 404, not the site's HTML page.
    re_path(r"^[\s\S]*$", works.not_found, name="not_found"),
]
