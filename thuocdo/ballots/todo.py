"""Today's work in confidence votes, for the home page: votes to open, to count, to publish,
and paper batches another member of the counting committee entered and this one must check.
Organisers only (the administrator runs no vote of its own). See `thuocdo.web.todo`."""

from __future__ import annotations

from functools import reduce
from operator import or_
from typing import Any

from django.db.models import Count, Min, Q
from django.urls import reverse

from thuocdo.ballots.models import Campaign, CampaignState, PaperBatch
from thuocdo.org.scope import scope_for, today
from thuocdo.web.todo import OPINIONS, TodoItem, n

WAITING: dict[str, tuple[str, str]] = {
    CampaignState.DRAFT: ("ballots.to-open", "cuộc lấy phiếu tín nhiệm chưa mở bỏ phiếu"),
    CampaignState.OPEN: ("ballots.to-count", "cuộc lấy phiếu tín nhiệm đã họp, chờ kiểm phiếu"),
    CampaignState.CLOSED: (
        "ballots.to-publish",
        "cuộc lấy phiếu tín nhiệm đã kiểm phiếu, chờ công bố",
    ),
}


def todo_for(actor: Any) -> list[TodoItem]:
    """Campaigns of the organiser's subtree waiting for their next step."""
    scope = scope_for(actor)
    if not scope.write_paths:
        return []
    in_reach = reduce(or_, (Q(unit__path__startswith=p) for p in scope.write_paths))
    # A vote is counted after its meeting: an open vote before the day waits for nobody.
    due = ~Q(state=CampaignState.OPEN) | Q(meeting_date__lte=today())
    rows = (
        Campaign.objects.filter(in_reach, due, state__in=list(WAITING))
        .values("state")
        .annotate(count=Count("id"), first=Min("id"))
    )
    items = []
    for row in sorted(rows, key=lambda r: list(WAITING).index(r["state"])):
        key, what = WAITING[row["state"]]
        url = (
            reverse("ballots:campaign-detail", args=[row["first"]])
            if row["count"] == 1
            else reverse("ballots:campaign-list")
        )
        items.append(
            TodoItem(
                key=key,
                text=f"{n(row['count'])} {what}",
                url=url,
                count=row["count"],
                section=OPINIONS,
            )
        )
    batches = (
        PaperBatch.objects.filter(
            reduce(or_, (Q(campaign__unit__path__startswith=p) for p in scope.write_paths)),
            campaign__state=CampaignState.OPEN,
            checked_by__isnull=True,
        )
        .exclude(entered_by_id=actor.pk)
        .aggregate(count=Count("id"), first=Min("id"))
    )
    if batches["count"]:
        items.append(
            TodoItem(
                key="ballots.batches-to-check",
                text=f"{n(batches['count'])} tập phiếu giấy do thành viên khác nhập, chờ kiểm tra",
                url=reverse("ballots:batch-detail", args=[batches["first"]]),
                count=batches["count"],
                section=OPINIONS,
            )
        )
    return items
