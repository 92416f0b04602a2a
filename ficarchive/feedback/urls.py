from django.urls import path

from . import views

app_name = "feedback"
urlpatterns = [
    path("users/<str:username>/inbox", views.inbox, name="inbox"),
]
