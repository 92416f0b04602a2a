from django.urls import path

from . import views

app_name = "suggest"
urlpatterns = [
    path("works/<int:work_id>/suggestions", views.panel, name="panel"),
    path("works/<int:work_id>/suggestions/accept", views.accept, name="accept"),
    path("works/<int:work_id>/suggestions/dismiss", views.dismiss, name="dismiss"),
    path("works/<int:work_id>/suggestions/restore", views.restore, name="restore"),
]
