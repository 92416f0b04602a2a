from django.urls import path

from . import views

app_name = "discovery"
urlpatterns = [
    path("works", views.works_index, name="works"),
    path("works/search", views.search, name="search"),
]
