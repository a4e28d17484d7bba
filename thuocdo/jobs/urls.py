"""Job routes."""

from __future__ import annotations

from django.urls import path

from thuocdo.jobs import views

app_name = "jobs"
urlpatterns = [
    path("cong-viec-nen/", views.job_index, name="job-list"),
    path("cong-viec-nen/<uuid:job_id>/", views.job_detail, name="job-detail"),
    path("cong-viec-nen/<uuid:job_id>/chay-lai/", views.job_retry_view, name="job-retry"),
    path(
        "cong-viec-nen/<uuid:job_id>/tep/<str:purpose>/",
        views.job_file_download,
        name="job-file",
    ),
]
