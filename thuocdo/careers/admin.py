"""Admin of careers records: read-mostly; writes go through the services (and the audit)."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from thuocdo.careers.models import (
    CaseDecision,
    PlanningPool,
    PoolCandidate,
    Rotation,
    TitleStandard,
    Training,
)


@admin.register(Training)
class TrainingAdmin(admin.ModelAdmin[Training]):
    list_display = ["person", "kind", "subject", "level", "name", "end_date"]
    list_filter = ["kind", "subject"]
    search_fields = ["person__full_name", "person__code", "name"]
    raw_id_fields = ["person"]


@admin.register(TitleStandard)
class TitleStandardAdmin(admin.ModelAdmin[TitleStandard]):
    list_display = ["title"]


class PoolCandidateInline(admin.TabularInline[PoolCandidate, PlanningPool]):
    model = PoolCandidate
    raw_id_fields = ["person"]
    readonly_fields = ["added_by", "added_at"]
    extra = 0


@admin.register(PlanningPool)
class PlanningPoolAdmin(admin.ModelAdmin[PlanningPool]):
    list_display = ["title", "unit", "term_start", "term_end", "posts"]
    inlines = [PoolCandidateInline]


@admin.register(Rotation)
class RotationAdmin(admin.ModelAdmin[Rotation]):
    list_display = ["person", "kind", "start_date", "from_post", "to_post"]
    readonly_fields = ["person", "from_post", "to_post", "recorded_by"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        # A rotation ends and starts posts: only rotation_record does that consistently.
        return False


@admin.register(CaseDecision)
class CaseDecisionAdmin(admin.ModelAdmin[CaseDecision]):
    list_display = ["person", "rule", "year", "outcome", "decided_by", "decided_at"]
    readonly_fields = ["person", "rule", "year", "outcome", "reason", "trace", "decided_by"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Decisions are the authority's, recorded with their reason on the cases page.
        return False
