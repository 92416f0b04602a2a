from django.urls import path

from . import views

app_name = "feedback"
urlpatterns = [
    path("works/<int:work_id>/kudos", views.kudos, name="kudos"),
    path("works/<int:work_id>/comments", views.comment_create, name="comment_create"),
    path("comments/<int:comment_id>", views.comment_detail, name="comment"),
    path("comments/<int:comment_id>/edit", views.comment_edit, name="comment_edit"),
    path("comments/<int:comment_id>/delete", views.comment_delete, name="comment_delete"),
    path("works/<int:work_id>/bookmarks/new", views.bookmark_new, name="bookmark_new"),
    path("bookmarks/<int:bookmark_id>/edit", views.bookmark_edit, name="bookmark_edit"),
    path("bookmarks/<int:bookmark_id>/delete", views.bookmark_delete, name="bookmark_delete"),
    path("users/<str:username>/bookmarks", views.user_bookmarks, name="user_bookmarks"),
    path("users/<str:username>/inbox", views.inbox, name="inbox"),
    path("users/<str:username>/inbox/update", views.inbox_update, name="inbox_update"),
]
