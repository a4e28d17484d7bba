"""The option of a unit (the city, a district): its month opens by itself on the first day of
each month, and a month that is over gets its levels. `thuocdo periods open-due`, run daily by
a scheduler, does both; running it twice changes nothing more."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q

from thuocdo.audit.services import audit_record
from thuocdo.org.models import Unit
from thuocdo.reviews.annual.tracks import ruleset_get
from thuocdo.reviews.models import MonthlyScore, MonthSchedule, Period, PeriodKind, PeriodState
from thuocdo.reviews.monthly.opening import month_is_running, month_periods_over
from thuocdo.reviews.monthly.services import can_manage, period_create

SCHEDULE_NOTE = "Tự động mở kỳ tháng vào ngày đầu tháng (tùy chọn của đơn vị)."


def _require_manager(actor: Any, unit: Unit) -> None:
    if not can_manage(actor, unit):
        raise PermissionDenied("Chỉ Ban Tổ chức hoặc người đứng đầu được đặt lịch mở kỳ tháng.")


@transaction.atomic
def month_schedule_set(
    *,
    actor: Any,
    unit: Unit,
    ruleset: str,
    enabled: bool = True,
    options: dict[str, Any] | None = None,
) -> MonthSchedule:
    """Turn on (or off) the unit's option that opens each month by itself on its first day."""
    _require_manager(actor, unit)
    rules = ruleset_get(ruleset)
    if PeriodKind.MONTH not in rules.period_kinds:
        raise ValidationError(f"Bộ quy tắc {ruleset} không áp dụng cho kỳ tháng.")
    schedule = MonthSchedule.objects.filter(unit=unit).first()
    before = _schedule_json(schedule) if schedule else None
    schedule = schedule or MonthSchedule(unit=unit, created_by=actor if actor else None)
    schedule.ruleset, schedule.enabled, schedule.options = ruleset, enabled, options or {}
    schedule.full_clean()
    schedule.save()
    audit_record(
        actor=actor,
        action="month_schedule.set",
        obj=schedule,
        before=before,
        after=_schedule_json(schedule),
    )
    return schedule


def _schedule_json(schedule: MonthSchedule) -> dict[str, Any]:
    return {
        "unit": schedule.unit.code,
        "ruleset": schedule.ruleset,
        "enabled": schedule.enabled,
        "options": schedule.options,
    }


@transaction.atomic
def months_open_due(*, at: datetime.date) -> list[Period]:
    """Open this month over every unit whose option asks for it, unless the unit's month is
    already open (by hand, or by an earlier run): running it twice opens nothing more."""
    opened = []
    for schedule in MonthSchedule.objects.filter(enabled=True).select_related("unit"):
        if not schedule.unit.is_active:
            continue
        if month_periods_over(PeriodKind.MONTH, at.year, at.month, [schedule.unit.path]):
            continue
        opened.append(
            period_create(
                actor=None,
                unit=schedule.unit,
                kind=PeriodKind.MONTH,
                year=at.year,
                number=at.month,
                ruleset=schedule.ruleset,
                options=schedule.options,
                note=SCHEDULE_NOTE,
            )
        )
    return opened


def months_to_finalise(at: datetime.date) -> list[Period]:
    """Months (quarters) that are over, not locked, and still hold provisional scores (computed
    while they ran): their levels are due."""
    candidates = Period.objects.filter(
        kind__in=(PeriodKind.MONTH, PeriodKind.QUARTER),
        year__gte=at.year - 1,
    ).exclude(state=PeriodState.LOCKED)
    provisional = MonthlyScore.objects.filter(Q(level="") | Q(proposed_level=""))
    due = []
    for period in candidates.select_related("unit"):
        if month_is_running(period, at):
            continue
        if provisional.filter(period=period).exists():
            due.append(period)
    return due
