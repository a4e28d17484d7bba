"""Administration of confidence votes. Ballots, the roll (with its code hashes) and the paper
batches (with their ballots) are deliberately not registered: the system administrator never
reads a ballot (DESIGN §2)."""

from __future__ import annotations

from django.contrib import admin

from thuocdo.ballots.models import Campaign, ConsequenceFlag


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin[Campaign]):
    list_display = ["title", "unit", "meeting_date", "state", "is_valid"]
    list_select_related = ["unit"]
    raw_id_fields = ["committee", "created_by"]
    # The vote's terms and result are set by the services only; the admin may fix the title.
    readonly_fields = [
        "unit", "meeting_date", "base", "state", "paper_issued", "summoned_count",
        "participated_count", "valid_count", "invalid_count", "is_valid", "trace", "closed_at",
        "published_at",
    ]  # fmt: skip


@admin.register(ConsequenceFlag)
class ConsequenceFlagAdmin(admin.ModelAdmin[ConsequenceFlag]):
    list_display = ["person", "consequence", "campaign"]
    raw_id_fields = ["campaign", "candidate", "person", "evaluation"]
    readonly_fields = ["consequence", "rule", "source", "reason", "trace"]
