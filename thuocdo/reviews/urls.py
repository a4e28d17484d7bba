"""Routes of monthly scoring."""

from __future__ import annotations

from django.urls import path

from thuocdo.reviews import views

app_name = "reviews"
urlpatterns = [
    path("ky-danh-gia/", views.period_list, name="period-list"),
    path("ky-danh-gia/<int:period_id>/", views.period_board, name="period-board"),
    path("ky-danh-gia/<int:period_id>/tinh-diem/", views.period_compute, name="period-compute"),
    path(
        "ky-danh-gia/<int:period_id>/cham-diem/<int:person_id>/",
        views.assessment_edit,
        name="assessment-edit",
    ),
    path("ket-qua-thang/<int:score_id>/", views.score_detail, name="score-detail"),
    path("ket-qua-thang/<int:score_id>/quyet-dinh/", views.score_decide, name="score-decide"),
]
