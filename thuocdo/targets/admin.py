"""Admin of targets, read-mostly: changes go through the pages so that they are audited."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from thuocdo.targets.models import CouncilAssessment, Indicator, IndicatorActual, TargetSet


class ReadOnly:
    """Admin pages only show: a change made here would escape the audit trail."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(TargetSet)
class TargetSetAdmin(ReadOnly, admin.ModelAdmin[TargetSet]):
    list_display = ["__str__", "unit", "year", "state"]
    list_filter = ["year", "state"]
    search_fields = ["unit__code", "unit__name", "title"]
    raw_id_fields = ["unit", "head_person", "head_post"]


@admin.register(Indicator)
class IndicatorAdmin(ReadOnly, admin.ModelAdmin[Indicator]):
    list_display = ["code", "name", "target_set", "target", "direction", "is_main", "weight"]
    search_fields = ["code", "name"]
    raw_id_fields = ["target_set"]


@admin.register(IndicatorActual)
class IndicatorActualAdmin(ReadOnly, admin.ModelAdmin[IndicatorActual]):
    list_display = ["indicator", "period", "value"]
    raw_id_fields = ["indicator"]


@admin.register(CouncilAssessment)
class CouncilAssessmentAdmin(ReadOnly, admin.ModelAdmin[CouncilAssessment]):
    list_display = ["target_set", "meeting_date", "proposed_level"]
    raw_id_fields = ["target_set"]
