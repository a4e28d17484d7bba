"""Routes of the opinion sources and their API."""

from __future__ import annotations

from django.urls import path

from thuocdo.opinions import api, views

app_name = "opinions"
urlpatterns = [
    path(
        "danh-gia/<int:evaluation_id>/y-kien/",
        views.evaluation_opinions,
        name="evaluation-opinions",
    ),
    path("ky-danh-gia/<int:period_id>/hop-tap-the/", views.meeting_create, name="meeting-create"),
    path(
        "ky-danh-gia/<int:period_id>/hop-tap-the/don-vi/",
        views.meeting_units,
        name="meeting-units",
    ),
    path("hop-tap-the/<int:meeting_id>/", views.meeting_detail, name="meeting-detail"),
    path("hop-tap-the/<int:meeting_id>/bieu-quyet/", views.meeting_votes, name="meeting-votes"),
    path("hop-tap-the/<int:meeting_id>/ket-thuc/", views.meeting_close, name="meeting-close"),
    path("danh-gia/<int:evaluation_id>/lay-y-kien/", views.survey_create, name="survey-create"),
    path("lay-y-kien/<int:survey_id>/", views.survey_detail, name="survey-detail"),
    path("lay-y-kien/<int:survey_id>/phat-them-ma/", views.survey_codes, name="survey-codes"),
    path("lay-y-kien/<int:survey_id>/ket-thuc/", views.survey_close, name="survey-close"),
    path("tra-loi-y-kien/", views.response_create, name="response-create"),
    path(
        "danh-gia/<int:evaluation_id>/xin-y-kien-co-quan/",
        views.bodyrequest_create,
        name="bodyrequest-create",
    ),
    path("xin-y-kien/", views.bodyrequest_list, name="bodyrequest-list"),
    path("xin-y-kien/<int:request_id>/", views.bodyrequest_answer, name="bodyrequest-answer"),
    path(
        "api/danh-gia/<int:evaluation_id>/y-kien/",
        api.EvaluationOpinions.as_view(),
        name="api-evaluation-opinions",
    ),
    path("api/tra-loi-y-kien/", api.ResponseCreate.as_view(), name="api-response-create"),
]
