from django.urls import path

from . import views

app_name = "skins"
urlpatterns = [
    path("skins", views.site_skins, name="index"),
    path("skins/new", views.work_skin_new, name="new"),
    path("skins/<int:skin_id>/edit", views.work_skin_edit, name="edit"),
    path("skins/<int:skin_id>/delete", views.work_skin_delete, name="delete"),
    path("works/<int:work_id>/skin", views.work_skin_choose, name="work_choose"),
    path("works/<int:work_id>/skin.css", views.work_skin_css, name="work_css"),
]
