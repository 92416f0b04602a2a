from django.urls import path

from . import views

app_name = "works"
urlpatterns = [
    path("works/new", views.work_new, name="new"),
    path("works/<int:work_id>", views.work_detail, name="detail"),
    path("works/<int:work_id>/chapters/<int:chapter_id>", views.chapter_detail, name="chapter"),
    path("users/<str:username>/works", views.user_works, name="user_works"),
    path("series/<int:series_id>", views.series_detail, name="series"),
]
