"""Today's work in targets, for the home page: the head reports last month's results of the
unit's indicators (with evidence), the organiser assigns the sets still in draft. See
`thuocdo.web.todo`."""

from __future__ import annotations

import datetime
from functools import reduce
from operator import or_
from typing import Any

from django.db.models import Count, Exists, Min, OuterRef, Q
from django.urls import reverse

from thuocdo.org.scope import scope_for, today
from thuocdo.targets.models import Indicator, IndicatorActual, TargetSet, TargetSetState
from thuocdo.web.todo import LED, PERIODS, TodoItem, month_label, n
from thuocdo.work.todo import head_paths


def _last_month(at: datetime.date) -> datetime.date:
    """The first day of the month before `at`'s."""
    return (at.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)


def _results_to_report(headed: list[str], at: datetime.date) -> list[TodoItem]:
    """Indicators of the assigned sets of the units the actor heads with no result recorded
    for last month or later (in January, December's results of last year's set)."""
    last = _last_month(at)
    reported = IndicatorActual.objects.filter(indicator=OuterRef("pk"), period__gte=last)
    rows = (
        Indicator.objects.filter(
            target_set__unit__path__in=headed,
            target_set__year=last.year,
            target_set__state=TargetSetState.ASSIGNED,
        )
        .exclude(Exists(reported))
        .aggregate(count=Count("id"), first=Min("target_set_id"))
    )
    if not rows["count"]:
        return []
    return [
        TodoItem(
            key="targets.results-to-report",
            text=(
                f"{n(rows['count'])} chỉ tiêu năm {last.year} chưa cập nhật kết quả tháng "
                f"{month_label(last.year, last.month)}"
            ),
            url=reverse("targets:set-detail", args=[rows["first"]]),
            count=rows["count"],
            section=LED,
        )
    ]


def _sets_to_assign(write_paths: tuple[str, ...], at: datetime.date) -> list[TodoItem]:
    """This year's target sets of the organiser's subtree still in draft."""
    in_reach = reduce(or_, (Q(unit__path__startswith=p) for p in write_paths))
    count = TargetSet.objects.filter(in_reach, year=at.year, state=TargetSetState.DRAFT).count()
    if not count:
        return []
    return [
        TodoItem(
            key="targets.sets-to-assign",
            text=f"{n(count)} bộ chỉ tiêu năm {at.year} chưa giao",
            url=reverse("targets:set-list"),
            count=count,
            section=PERIODS,
        )
    ]


def todo_for(actor: Any) -> list[TodoItem]:
    """What waits for the actor in the targets of heads and units."""
    scope = scope_for(actor)
    at = today()
    items: list[TodoItem] = []
    headed = head_paths(scope)
    if headed:
        items += _results_to_report(headed, at)
    if scope.write_paths:
        items += _sets_to_assign(scope.write_paths, at)
    return items
