"""Services of targets: validated, audited, and a closed set refuses changes."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from thuocdo.audit.models import AuditEvent
from thuocdo.rules import Targets
from thuocdo.targets import selectors, services
from thuocdo.targets.models import TargetSetState


def _changes(event: AuditEvent) -> tuple[dict[str, Any], dict[str, Any]]:
    """The before and after of an audit event that has both."""
    assert event.before is not None and event.after is not None
    return event.before, event.after


JUNE, DECEMBER = datetime.date(2026, 6, 1), datetime.date(2026, 12, 15)


def _indicator(world, target_set, code: str, target: int, **extra):
    fields = {"name": f"Chỉ tiêu {code}", "group": "party", "target": Decimal(target)}
    return services.indicator_add(
        actor=world.users["olga"], target_set=target_set, code=code, **(fields | extra)
    )


def _record(world, indicator, value, period=DECEMBER):
    return services.actual_record(
        actor=world.users["olga"], indicator=indicator, period=period, value=Decimal(value)
    )


def test_a_set_takes_the_units_head_and_is_audited(world, q1_set):
    assert q1_set.head_person == world.hana and q1_set.head_post.is_head
    assert q1_set.state == TargetSetState.DRAFT
    assert AuditEvent.objects.filter(action="target_set.create", object_id=str(q1_set.pk)).exists()


def test_a_set_cannot_be_assigned_empty(world, q1_set):
    with pytest.raises(ValidationError, match="chưa có chỉ tiêu"):
        services.target_set_assign(actor=world.users["olga"], target_set=q1_set)


def test_assigning_records_who_and_when(world, q1_set):
    _indicator(world, q1_set, "1", 2000)
    services.target_set_assign(
        actor=world.users["olga"], target_set=q1_set, decision_number="125-QĐ/TU"
    )
    assert q1_set.state == TargetSetState.ASSIGNED
    assert q1_set.assigned_by == world.users["olga"] and q1_set.assigned_on is not None


def test_actuals_of_a_month_are_summed_and_a_correction_replaces_its_month(world, q1_set):
    indicator = _indicator(world, q1_set, "1", 2000, is_main=True)
    _record(world, indicator, 900, JUNE)
    _record(world, indicator, 1000, JUNE)  # a correction of June, not a second June
    _record(world, indicator, 1100)
    row = selectors.targets_dashboard(q1_set).rows[0]
    assert row.actual == Decimal(2100) and row.figure == "2.100 / 2.000 = 105%"
    correction = AuditEvent.objects.get(action="actual.correct")
    before, after = _changes(correction)
    assert Decimal(before["value"]) == 900 and Decimal(after["value"]) == 1000


def test_an_actual_outside_the_sets_year_is_refused(world, q1_set):
    indicator = _indicator(world, q1_set, "1", 10)
    with pytest.raises(ValidationError, match="năm 2026"):
        _record(world, indicator, 5, datetime.date(2025, 12, 1))


def test_more_is_better_needs_a_positive_target(world, q1_set):
    with pytest.raises(ValidationError, match="lớn hơn 0"):
        _indicator(world, q1_set, "1", 0)


def test_force_majeure_needs_its_reason(world, q1_set):
    with pytest.raises(ValidationError, match="lý do bất khả kháng"):
        _indicator(world, q1_set, "1", 5, force_majeure=True)


def test_the_summary_counts_and_converts_for_the_engine(world, q1_set):
    main_met = _indicator(world, q1_set, "1", 2000, is_main=True, weight=Decimal(2))
    main_missed = _indicator(world, q1_set, "2", 7, is_main=True)
    accidents = _indicator(world, q1_set, "3", 50, direction="less")
    _indicator(world, q1_set, "4", 10)  # no actual yet
    _record(world, main_met, 2100)
    _record(world, main_missed, "6.3")
    _record(world, accidents, 40)
    summary = selectors.targets_summary(q1_set)
    assert (summary.assigned, summary.met, summary.main_missed) == (4, 2, 1)
    # (2 × 105 + 90 + 120 (125 capped) + 0) / 5
    assert summary.achievement_pct == Decimal(84)
    assert not summary.veto  # 2 of 4 is not under half
    assert summary.review  # 50% is under 70%
    assert selectors.targets_engine_input(q1_set) == Targets(
        assigned=4, met=2, main_missed=1, force_majeure=False
    )


def test_under_half_met_with_a_main_target_missed_flags_the_veto(world, q1_set):
    main = _indicator(world, q1_set, "1", 100, is_main=True)
    others = [_indicator(world, q1_set, str(n), 100) for n in range(2, 5)]
    _record(world, main, 60)
    _record(world, others[0], 100)
    summary = selectors.targets_summary(q1_set)
    assert (summary.met, summary.assigned, summary.main_missed) == (1, 4, 1)
    assert summary.veto


def test_a_closed_set_refuses_changes_until_reopened_with_a_reason(world, q1_set):
    olga = world.users["olga"]
    indicator = _indicator(world, q1_set, "1", 100)
    services.target_set_assign(actor=olga, target_set=q1_set)
    services.target_set_close(actor=olga, target_set=q1_set)
    with pytest.raises(ValidationError, match="khóa sổ"):
        _record(world, indicator, 5)
    with pytest.raises(ValidationError, match="khóa sổ"):
        services.indicator_update(actor=olga, indicator=indicator, target=Decimal(50))
    with pytest.raises(ValidationError, match="khóa sổ"):
        _indicator(world, q1_set, "2", 5)
    with pytest.raises(ValidationError, match="lý do"):
        services.target_set_reopen(actor=olga, target_set=q1_set, reason="  ")
    services.target_set_reopen(actor=olga, target_set=q1_set, reason="Số liệu thống kê điều chỉnh")
    event = AuditEvent.objects.get(action="target_set.reopen")
    assert event.note == "Số liệu thống kê điều chỉnh"
    before, after = _changes(event)
    assert (before["state"], after["state"]) == ("closed", "assigned")
    _record(world, indicator, 5)


def test_the_council_records_and_revises_its_assessment(world, q1_set):
    tam = world.users["tam"]
    _indicator(world, q1_set, "1", 100)
    services.target_set_assign(actor=world.users["olga"], target_set=q1_set)
    fields: dict[str, Any] = {
        "meeting_date": datetime.date(2027, 1, 10),
        "assessment": "Hoàn thành vượt mức chỉ tiêu kết nạp đảng viên.",
        "members_present": 7,
        "members_total": 9,
    }
    services.council_assessment_record(actor=tam, target_set=q1_set, proposed_level="HTT", **fields)
    record = services.council_assessment_record(
        actor=tam, target_set=q1_set, proposed_level="HTXS", **fields
    )
    assert record.proposed_level == "HTXS"
    revised = AuditEvent.objects.filter(action="council_assessment.record").latest("id")
    before, after = _changes(revised)
    assert (before["proposed_level"], after["proposed_level"]) == ("HTT", "HTXS")
    with pytest.raises(ValidationError):
        services.council_assessment_record(
            actor=tam, target_set=q1_set, proposed_level="HTT", **(fields | {"members_present": 10})
        )
