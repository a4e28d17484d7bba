"""Routes of reports: pages under /bao-cao/ and the API under /api/reports/."""

from __future__ import annotations

from django.urls import URLPattern, path

from thuocdo.reports.dashboard import views as dashboard_views
from thuocdo.reports.distribution import api, views
from thuocdo.reports.documents import views as documents_views
from thuocdo.reports.history import views as history_views
from thuocdo.reports.leniency import api as leniency_api
from thuocdo.reports.leniency import views as leniency_views
from thuocdo.reports.positions import api as positions_api
from thuocdo.reports.positions import views as positions_views
from thuocdo.reports.trends import api as trends_api
from thuocdo.reports.trends import views as trends_views

app_name = "reports"
urlpatterns: list[URLPattern] = [
    path("bao-cao/", views.distribution, name="distribution"),
    path("bao-cao/tong-quan/", dashboard_views.dashboard, name="dashboard"),
    path("bao-cao/excel/", views.distribution_export, {"fmt": "xlsx"}, name="distribution-xlsx"),
    path("bao-cao/pdf/", views.distribution_export, {"fmt": "pdf"}, name="distribution-pdf"),
    path("bao-cao/van-ban/", documents_views.summary_docx, name="summary-docx"),
    path("bao-cao/nhap-lich-su/", history_views.history_upload, name="history-import"),
    path("bao-cao/nhap-lich-su/mau/", history_views.history_template, name="history-template"),
    path("bao-cao/ne-nang/", leniency_views.leniency_page, name="leniency"),
    path(
        "bao-cao/ne-nang/excel/",
        leniency_views.leniency_export,
        {"fmt": "xlsx"},
        name="leniency-xlsx",
    ),
    path(
        "bao-cao/ne-nang/pdf/", leniency_views.leniency_export, {"fmt": "pdf"}, name="leniency-pdf"
    ),
    path("api/reports/leniency", leniency_api.LeniencyReportView.as_view(), name="api-leniency"),
    path("bao-cao/xu-huong/", trends_views.trends, name="trends"),
    path(
        "bao-cao/xu-huong/excel/", trends_views.trends_export, {"fmt": "xlsx"}, name="trends-xlsx"
    ),
    path("bao-cao/xu-huong/pdf/", trends_views.trends_export, {"fmt": "pdf"}, name="trends-pdf"),
    path("bao-cao/chuc-danh-tuong-duong/", positions_views.positions, name="positions"),
    path(
        "bao-cao/chuc-danh-tuong-duong/excel/",
        positions_views.positions_export,
        {"fmt": "xlsx"},
        name="positions-xlsx",
    ),
    path(
        "bao-cao/chuc-danh-tuong-duong/pdf/",
        positions_views.positions_export,
        {"fmt": "pdf"},
        name="positions-pdf",
    ),
    path(
        "api/reports/distribution",
        api.DistributionReportView.as_view(),
        name="api-distribution",
    ),
    path("api/reports/trends", trends_api.TrendsReportView.as_view(), name="api-trends"),
    path(
        "api/reports/positions", positions_api.PositionsReportView.as_view(), name="api-positions"
    ),
]
