from django.urls import path

from . import views

app_name = "notify"
urlpatterns = [
    path("subscriptions", views.subscribe, name="subscribe"),
    path(
        "subscriptions/<int:subscription_id>/delete",
        views.unsubscribe_own,
        name="unsubscribe_own",
    ),
    path("subscriptions/feed/<str:secret>.atom", views.feed, name="feed"),
    path("users/<str:username>/subscriptions", views.subscriptions, name="subscriptions"),
    path("users/<str:username>/subscriptions/feed", views.feed_token, name="feed_token"),
    path("users/<str:username>/notifications/preferences", views.preferences, name="preferences"),
    path("users/<str:username>/notifications/read", views.notifications_read, name="read"),
    path("unsubscribe/<str:token>", views.unsubscribe, name="unsubscribe"),
]
