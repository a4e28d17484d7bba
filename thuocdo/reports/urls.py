"""Routes of reports: pages under /bao-cao/ and the API under /api/reports/."""

from __future__ import annotations

from django.urls import URLPattern, path

from thuocdo.reports import api, views, views_dashboard, views_documents

app_name = "reports"
urlpatterns: list[URLPattern] = [
    path("bao-cao/", views.distribution, name="distribution"),
    path("bao-cao/tong-quan/", views_dashboard.dashboard, name="dashboard"),
    path("bao-cao/excel/", views.distribution_export, {"fmt": "xlsx"}, name="distribution-xlsx"),
    path("bao-cao/pdf/", views.distribution_export, {"fmt": "pdf"}, name="distribution-pdf"),
    path("bao-cao/van-ban/", views_documents.summary_docx, name="summary-docx"),
    path("bao-cao/nhap-lich-su/", views.history_upload, name="history-import"),
    path("bao-cao/nhap-lich-su/mau/", views.history_template, name="history-template"),
    path(
        "api/reports/distribution",
        api.DistributionReportView.as_view(),
        name="api-distribution",
    ),
]
