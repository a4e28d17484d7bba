"""Writes to targets: each one atomic, validated with full_clean and recorded in the audit trail.

A closed set refuses every change to its indicators and actuals until it is reopened with a
reason; the reason is kept in the audit event.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction

from thuocdo.audit.services import audit_record, snapshot
from thuocdo.org.models import Post, Unit
from thuocdo.org.scope import today
from thuocdo.targets.models import (
    CouncilAssessment,
    Indicator,
    IndicatorActual,
    TargetSet,
    TargetSetState,
)

CLOSED_MESSAGE = "Bộ chỉ tiêu đã khóa sổ: cần mở lại (ghi rõ lý do) trước khi thay đổi."
INDICATOR_FIELDS = frozenset(
    {
        "group",
        "group_label",
        "code",
        "name",
        "unit_of_measure",
        "target",
        "direction",
        "aggregation",
        "is_main",
        "weight",
        "position",
        "force_majeure",
        "force_majeure_reason",
    }
)


def actual_snapshot(actual: IndicatorActual) -> dict[str, Any]:
    """An actual's fields as JSON: the file by its stored name, without the save time."""
    data = snapshot(actual)
    # The generic snapshot keeps field values as they are; a FieldFile is not JSON.
    data["evidence_file"] = actual.evidence_file.name or ""
    data.pop("recorded_at", None)
    return data


def ensure_open(target_set: TargetSet) -> None:
    """Refuse a change to a closed set."""
    if target_set.state == TargetSetState.CLOSED:
        raise ValidationError(CLOSED_MESSAGE)


def head_post_of(unit: Unit, at: datetime.date) -> Post | None:
    """The post of the unit's head on a date, if there is one."""
    return Post.objects.active(at).filter(unit=unit, is_head=True).order_by("start_date").first()


@transaction.atomic
def target_set_create(
    *,
    actor: Any,
    unit: Unit,
    year: int,
    head_post: Post | None = None,
    title: str = "",
    achievement_ceiling: Decimal | None = None,
) -> TargetSet:
    """Create the draft target set of a unit for a year; its head defaults to the unit's head."""
    if head_post is None:
        head_post = head_post_of(unit, min(today(), datetime.date(year, 12, 31)))
    target_set = TargetSet(
        unit=unit,
        year=year,
        head_post=head_post,
        head_person=head_post.person if head_post is not None else None,
        title=title,
    )
    if achievement_ceiling is not None:
        target_set.achievement_ceiling = achievement_ceiling
    target_set.full_clean()
    target_set.save()
    audit_record(
        actor=actor, action="target_set.create", obj=target_set, after=snapshot(target_set)
    )
    return target_set


def _transition(
    *, actor: Any, target_set: TargetSet, action: str, note: str = "", **changes: Any
) -> TargetSet:
    """Apply field changes to a set, validate, save and audit them."""
    before = snapshot(target_set)
    for name, value in changes.items():
        setattr(target_set, name, value)
    target_set.full_clean()
    target_set.save()
    audit_record(
        actor=actor,
        action=action,
        obj=target_set,
        before=before,
        after=snapshot(target_set),
        note=note,
    )
    return target_set


@transaction.atomic
def target_set_assign(
    *,
    actor: Any,
    target_set: TargetSet,
    assigned_on: datetime.date | None = None,
    decision_number: str = "",
) -> TargetSet:
    """Assign a draft set to its unit and head (it must hold at least one indicator)."""
    if target_set.state != TargetSetState.DRAFT:
        raise ValidationError("Chỉ giao được bộ chỉ tiêu đang ở trạng thái dự thảo.")
    if not target_set.indicators.exists():
        raise ValidationError("Bộ chỉ tiêu chưa có chỉ tiêu nào để giao.")
    return _transition(
        actor=actor,
        target_set=target_set,
        action="target_set.assign",
        state=TargetSetState.ASSIGNED,
        assigned_on=assigned_on or today(),
        assigned_by=actor if getattr(actor, "pk", None) else None,
        decision_number=decision_number or target_set.decision_number,
    )


@transaction.atomic
def target_set_close(*, actor: Any, target_set: TargetSet) -> TargetSet:
    """Close an assigned set: its results are final and no longer change."""
    if target_set.state != TargetSetState.ASSIGNED:
        raise ValidationError("Chỉ khóa sổ được bộ chỉ tiêu đã giao.")
    return _transition(
        actor=actor, target_set=target_set, action="target_set.close", state=TargetSetState.CLOSED
    )


@transaction.atomic
def target_set_reopen(*, actor: Any, target_set: TargetSet, reason: str) -> TargetSet:
    """Reopen a closed set; the reason is required and kept in the audit trail."""
    if target_set.state != TargetSetState.CLOSED:
        raise ValidationError("Bộ chỉ tiêu chưa khóa sổ.")
    if not reason.strip():
        raise ValidationError({"reason": "Cần ghi lý do mở lại bộ chỉ tiêu đã khóa sổ."})
    return _transition(
        actor=actor,
        target_set=target_set,
        action="target_set.reopen",
        note=reason.strip(),
        state=TargetSetState.ASSIGNED,
    )


@transaction.atomic
def indicator_add(*, actor: Any, target_set: TargetSet, **fields: Any) -> Indicator:
    """Add an indicator to an open set."""
    ensure_open(target_set)
    unknown = set(fields) - INDICATOR_FIELDS
    if unknown:
        raise TypeError(f"Unknown indicator fields: {sorted(unknown)}")
    if "position" not in fields:
        fields["position"] = target_set.indicators.count() + 1
    indicator = Indicator(target_set=target_set, **fields)
    indicator.full_clean()
    indicator.save()
    audit_record(actor=actor, action="indicator.add", obj=indicator, after=snapshot(indicator))
    return indicator


@transaction.atomic
def indicator_update(*, actor: Any, indicator: Indicator, **fields: Any) -> Indicator:
    """Change an indicator of an open set; nothing is recorded when nothing changes."""
    ensure_open(indicator.target_set)
    unknown = set(fields) - INDICATOR_FIELDS
    if unknown:
        raise TypeError(f"Unknown indicator fields: {sorted(unknown)}")
    before = snapshot(indicator)
    # Compared as values, so that Decimal("2000") matches the stored 2000.0000.
    changed = [name for name, value in fields.items() if getattr(indicator, name) != value]
    for name in changed:
        setattr(indicator, name, fields[name])
    indicator.full_clean()
    if changed:
        indicator.save()
        after = snapshot(indicator)
        audit_record(
            actor=actor, action="indicator.update", obj=indicator, before=before, after=after
        )
    return indicator


def month_start(period: datetime.date) -> datetime.date:
    """The first day of the period's month (actuals are kept per month)."""
    return period.replace(day=1)


@transaction.atomic
def actual_record(
    *,
    actor: Any,
    indicator: Indicator,
    period: datetime.date,
    value: Decimal,
    evidence_note: str = "",
    document_number: str = "",
    evidence_file: File[Any] | None = None,
) -> IndicatorActual:
    """Record (or correct) the result of an indicator for a month, with its evidence."""
    target_set = indicator.target_set
    ensure_open(target_set)
    period = month_start(period)
    if period.year != target_set.year:
        raise ValidationError({"period": f"Kỳ phải thuộc năm {target_set.year} của bộ chỉ tiêu."})
    actual = IndicatorActual.objects.filter(indicator=indicator, period=period).first()
    before = actual_snapshot(actual) if actual is not None else None
    if actual is None:
        actual = IndicatorActual(indicator=indicator, period=period)
    actual.value = value
    actual.evidence_note = evidence_note
    actual.document_number = document_number
    if evidence_file is not None:
        actual.evidence_file = evidence_file
    actual.recorded_by = actor if getattr(actor, "pk", None) else None
    actual.full_clean()
    actual.save()
    after = actual_snapshot(actual)
    audit_record(
        actor=actor,
        action="actual.record" if before is None else "actual.correct",
        obj=actual,
        before=before,
        after=after,
    )
    return actual


@transaction.atomic
def council_assessment_record(
    *,
    actor: Any,
    target_set: TargetSet,
    meeting_date: datetime.date,
    assessment: str,
    proposed_level: str,
    members_present: int,
    members_total: int,
    council_name: str = "",
) -> CouncilAssessment:
    """Record (or revise) the advisory council's assessment of the head's results."""
    if target_set.state == TargetSetState.DRAFT:
        raise ValidationError("Bộ chỉ tiêu chưa được giao: Hội đồng chưa thể đánh giá.")
    record = CouncilAssessment.objects.filter(target_set=target_set).first()
    before = snapshot(record) if record is not None else None
    record = record or CouncilAssessment(target_set=target_set)
    record.meeting_date = meeting_date
    record.assessment = assessment
    record.proposed_level = proposed_level
    record.members_present = members_present
    record.members_total = members_total
    if council_name:
        record.council_name = council_name
    record.recorded_by = actor if getattr(actor, "pk", None) else None
    record.full_clean()
    record.save()
    audit_record(
        actor=actor,
        action="council_assessment.record",
        obj=record,
        before=before,
        after=snapshot(record),
    )
    return record
