"""Routes of careers: pages, and the API under /api/careers/."""

from __future__ import annotations

from django.urls import path

from thuocdo.careers import api, views

app_name = "careers"
urlpatterns = [
    path("xem-xet/", views.case_list, name="case-list"),
    path("xem-xet/quyet-dinh/", views.case_decide, name="case-decide"),
    path("ho-so/<int:person_id>/", views.dossier_detail, name="dossier-detail"),
    path("ho-so/<int:person_id>/pdf/", views.dossier_pdf, name="dossier-pdf"),
    path("ho-so/<int:person_id>/dao-tao/", views.training_create, name="training-create"),
    path("ho-so/<int:person_id>/luan-chuyen/", views.rotation_create, name="rotation-create"),
    path("quy-hoach/", views.pool_list, name="pool-list"),
    path("quy-hoach/moi/", views.pool_create, name="pool-create"),
    path("quy-hoach/<int:pool_id>/", views.pool_detail, name="pool-detail"),
    path("quy-hoach/<int:pool_id>/dieu-kien/", views.pool_rules, name="pool-rules"),
    path(
        "quy-hoach/nguoi/<int:entry_id>/dua-ra/",
        views.pool_candidate_remove,
        name="pool-candidate-remove",
    ),
    path("api/careers/cases/", api.CaseList.as_view(), name="api-case-list"),
    path("api/careers/pools/<int:pk>/", api.PoolDetail.as_view(), name="api-pool-detail"),
]
