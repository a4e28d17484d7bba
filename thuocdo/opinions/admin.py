"""Administration of the opinion sources. Anonymous answers and their codes are deliberately
not registered: nobody, the system administrator included, reads them one by one."""

from __future__ import annotations

from django.contrib import admin

from thuocdo.opinions.models import BodyRequest, Meeting, MeetingVote


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin[Meeting]):
    list_display = ["unit", "period", "held_on", "present_count", "summoned_count", "is_valid"]
    list_select_related = ["unit", "period__unit"]
    raw_id_fields = ["period", "unit", "chair", "secretary", "summoned", "present", "opened_by"]


@admin.register(MeetingVote)
class MeetingVoteAdmin(admin.ModelAdmin[MeetingVote]):
    list_display = ["meeting", "evaluation", "proposed_level", "result"]
    raw_id_fields = ["meeting", "evaluation"]


@admin.register(BodyRequest)
class BodyRequestAdmin(admin.ModelAdmin[BodyRequest]):
    list_display = ["body_name", "evaluation", "due_on", "answered_on"]
    raw_id_fields = ["evaluation", "body_unit", "requested_by", "answered_by"]
