"""Admin of reports, read-only: history changes go through the import so they are audited."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from thuocdo.reports.models import HistoricalResult


@admin.register(HistoricalResult)
class HistoricalResultAdmin(admin.ModelAdmin[HistoricalResult]):
    list_display = ["subject_code", "full_name", "unit", "year", "group", "level", "score"]
    list_filter = ["year", "group", "level"]
    search_fields = ["subject_code", "full_name", "unit__code", "unit__name"]
    list_select_related = ["unit"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
