"""Registry page routes."""

from __future__ import annotations

from django.urls import path

from thuocdo.org import views

app_name = "org"
urlpatterns = [
    path("to-chuc/", views.unit_tree, name="unit-tree"),
    path("to-chuc/tim/", views.unit_search, name="unit-search"),
    path("to-chuc/<int:unit_id>/", views.unit_detail, name="unit-detail"),
    path("to-chuc/<int:unit_id>/con/", views.unit_children, name="unit-children"),
    path("can-bo/", views.person_list, name="person-list"),
    path("can-bo/<int:person_id>/", views.person_detail, name="person-detail"),
    path("nhap-du-lieu/", views.import_upload, name="import-upload"),
    path("nhap-du-lieu/mau/<str:kind>/", views.import_template, name="import-template"),
]
