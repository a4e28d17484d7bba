"""Routes of the targets app: pages under /chi-tieu/ and the API under /api/targets/."""

from __future__ import annotations

from django.urls import URLPattern, path

from thuocdo.targets import api, views

app_name = "targets"
urlpatterns: list[URLPattern] = [
    path("chi-tieu/", views.set_list, name="set-list"),
    path("chi-tieu/nhap/", views.set_import_new, name="set-import-new"),
    path("chi-tieu/mau/", views.template_download, name="template-download"),
    path("chi-tieu/<int:set_id>/", views.set_detail, name="set-detail"),
    path("chi-tieu/<int:set_id>/excel/", views.set_export, name="set-export"),
    path("chi-tieu/<int:set_id>/nhap/", views.set_import, name="set-import"),
    path("chi-tieu/<int:set_id>/trang-thai/", views.set_transition, name="set-transition"),
    path("chi-tieu/<int:set_id>/ket-qua/", views.actual_create, name="actual-create"),
    path("chi-tieu/<int:set_id>/hoi-dong/", views.council_record, name="council-record"),
    path("api/targets/", api.TargetSetList.as_view(), name="api-set-list"),
    path("api/targets/<int:pk>/", api.TargetSetDetail.as_view(), name="api-set-detail"),
]
