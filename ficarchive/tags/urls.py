from django.urls import path

from . import views

app_name = "tags"
urlpatterns = [
    path("tags/wrangle", views.wrangle, name="wrangle"),
    path("tags/<path:name>/works", views.tag_works, name="works"),
]
