"""Reports: historical results, the distribution of levels, and their exports."""

from __future__ import annotations

from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "thuocdo.reports"
    label = "reports"
    verbose_name = "Báo cáo, thống kê"
    default_auto_field = "django.db.models.BigAutoField"
