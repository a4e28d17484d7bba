"""Monthly scores from the work record (NĐ 335, Điều 14) and Hà Nội's A/B/C/D month."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from thuocdo.audit.models import AuditEvent
from thuocdo.reviews.models import MonthlyAssessment, MonthlyScore
from thuocdo.reviews.monthly import services
from thuocdo.reviews.monthly.explain import score_explanation, score_trace
from thuocdo.work import locking
from thuocdo.work import services as work

D = Decimal
OCT = datetime.date(2026, 10, 1)


def _month_of_alice(world) -> None:
    """Three tasks (weights 1, 2, 3): two on time, one late; one quality review failed."""
    alice, lena = world.users["alice"], world.users["lena"]
    tasks = [
        work.task_register(
            actor=alice,
            person=world.alice,
            year=2026,
            month=10,
            title=title,
            quantity=D(q),
            due_date=OCT.replace(day=20),
        )
        for title, q in [("Báo cáo thống kê quý", 1), ("Hồ sơ hộ tịch", 2), ("Tờ trình", 3)]
    ]
    first, second, third = tasks
    for task, day in [(first, 10), (second, 15), (third, 25)]:
        work.task_complete(
            actor=alice,
            task=task,
            completed_on=OCT.replace(day=day),
            quantity_done=task.quantity,
            evidence_note="Đã gửi",
        )
    work.task_verify(actor=lena, task=first, quality_passed=False, reason="Sai số liệu")
    first.refresh_from_db()
    work.task_complete(
        actor=alice,
        task=first,
        completed_on=OCT.replace(day=12),
        quantity_done=D(1),
        evidence_note="Đã sửa",
    )
    for task in tasks:
        task.refresh_from_db()
        work.task_verify(actor=lena, task=task, quality_passed=True)


@pytest.fixture
def october(world):
    _month_of_alice(world)
    return services.period_open(
        actor=world.users["olga"],
        unit=world.p1,
        kind="month",
        year=2026,
        number=10,
        ruleset="nd-335-2025",
    )


def test_it_scores_the_month_by_the_nd335_formula(world, october):
    services.assessment_record(
        actor=world.users["lena"],
        period=october,
        person_id=world.alice.pk,
        source="leader",
        general=D(28),
    )
    services.month_scores_compute(actor=world.users["olga"], period=october)
    score = MonthlyScore.objects.get(period=october, person=world.alice)
    a = D(1)
    b = (D("0.75") * 1 + 2 + 3) / 6  # one failed review costs 25% of the first task
    c = (D(1) + 2 + D("0.75") * 3) / 6  # one delay costs 25% of the third task
    expected = (70 * (a + b + c) / 3).quantize(D("0.01"))
    assert score.results == expected == D("66.11")
    assert score.total == D(28) + expected
    assert score.level == "HTXS"
    lines = score_explanation(score)["tasks"]
    assert [line["title"] for line in lines] == [
        "Báo cáo thống kê quý",
        "Hồ sơ hộ tịch",
        "Tờ trình",
    ]
    assert sum(D(line["points"]) for line in lines) == expected
    assert lines[0]["failed_reviews"] == 1 and lines[2]["delays"] == 1


def test_the_self_assessment_counts_until_the_leader_scores(world, october):
    services.assessment_record(
        actor=world.users["alice"],
        period=october,
        person_id=world.alice.pk,
        source="self",
        general=D(30),
    )
    services.month_scores_compute(actor=world.users["olga"], period=october)
    score = MonthlyScore.objects.get(period=october, person=world.alice)
    assert score.general == D(30)
    assert "tự chấm" in score_explanation(score)["general"]["from"]


def test_a_general_score_above_the_scale_is_refused(world, october):
    with pytest.raises(ValidationError):
        services.assessment_record(
            actor=world.users["lena"],
            period=october,
            person_id=world.alice.pk,
            source="leader",
            general=D(31),
        )


def test_the_hanoi_scheme_adds_a_bonus_and_caps_a_at_30_percent(world):
    _month_of_alice(world)
    period = services.period_open(
        actor=world.users["olga"],
        unit=world.p1,
        kind="month",
        year=2026,
        number=10,
        ruleset="hn-3814-2018",
    )
    for person in [world.alice, world.carol, world.lena]:
        services.assessment_record(
            actor=world.users["hana"],
            period=period,
            person_id=person.pk,
            source="leader",
            general=D(20),
            bonus=D(10),
        )
    services.month_scores_compute(actor=world.users["olga"], period=period)
    alice = MonthlyScore.objects.get(period=period, person=world.alice)
    assert alice.total == D(20) + D("66.11") + D(10)
    scores = MonthlyScore.objects.filter(period=period, unit=world.p1)
    # Only alice reaches 90, and 30% of 3 people is 0: nobody may be A.
    assert scores.filter(level="HTXS").count() == 0
    assert alice.proposed_level == "HTT"
    assert any(step["rule"] == "monthly-cap" for step in score_trace(alice))
    with pytest.raises(ValidationError, match="monthly-cap"):
        services.month_score_decide(
            actor=world.users["hana"], score=alice, level="HTXS", reason="Xuất sắc"
        )


def test_an_outstanding_unit_may_reach_40_percent(world):
    _month_of_alice(world)
    period = services.period_open(
        actor=world.users["olga"],
        unit=world.p1,
        kind="month",
        year=2026,
        number=10,
        ruleset="hn-3814-2018",
        options={"outstanding_groups": ["P1"]},
    )
    services.assessment_record(
        actor=world.users["hana"],
        period=period,
        person_id=world.alice.pk,
        source="leader",
        general=D(20),
        bonus=D(10),
    )
    services.month_scores_compute(actor=world.users["olga"], period=period)
    # The 30% is lifted for an outstanding unit; 40% of its 3 staff is 1, guidance that alice's
    # A does not exceed (DESIGN §4.7.7): no warning either.
    alice = MonthlyScore.objects.get(period=period, person=world.alice)
    assert alice.level == "HTXS" and "quota_warning" not in alice.flags


def test_a_change_of_level_needs_a_reason_and_is_audited(world, october):
    services.month_scores_compute(actor=world.users["olga"], period=october)
    score = MonthlyScore.objects.get(period=october, person=world.alice)
    assert score.proposed_level == "HTNV"  # 66,11 points and no general score yet
    with pytest.raises(ValidationError):
        services.month_score_decide(actor=world.users["hana"], score=score, level="KHT", reason="")
    services.month_score_decide(
        actor=world.users["hana"], score=score, level="KHT", reason="Chậm báo cáo nhiều lần"
    )
    event = AuditEvent.objects.filter(action="monthly_score.decide").get()
    assert event.after is not None and event.after["level"] == "KHT"
    assert event.note == "Chậm báo cáo nhiều lần"


def test_recomputing_an_unchanged_month_changes_nothing(world, october):
    services.month_scores_compute(actor=world.users["olga"], period=october)
    events = AuditEvent.objects.count()
    services.month_scores_compute(actor=world.users["olga"], period=october)
    assert AuditEvent.objects.count() == events


def test_only_heads_and_organisers_compute(world, october):
    with pytest.raises(PermissionDenied):
        services.month_scores_compute(actor=world.users["alice"], period=october)


def test_a_locked_month_refuses_computation(world, october):
    locking.month_lock(
        actor=world.users["olga"], unit=world.q1, year=2026, month=10, reason="Khóa sổ"
    )
    with pytest.raises(ValidationError, match="khóa"):
        services.month_scores_compute(actor=world.users["olga"], period=october)


def test_a_leader_adds_unit_results_and_organising_capacity(world, october):
    # Lena is deputy of P1: her result points add d (50% if anyone she leads is KHT) and
    # đ (organising capacity scored by her superior), DESIGN.md §4.2.
    lena_task = work.task_register(
        actor=world.users["lena"],
        person=world.lena,
        year=2026,
        month=10,
        title="Chỉ đạo cải cách hành chính",
        quantity=D(1),
        due_date=OCT.replace(day=20),
    )
    work.task_complete(
        actor=world.users["lena"],
        task=lena_task,
        completed_on=OCT.replace(day=18),
        quantity_done=D(1),
        evidence_note="Báo cáo",
    )
    work.task_verify(actor=world.users["hana"], task=lena_task, quality_passed=True)
    for person in [world.alice, world.carol]:
        services.assessment_record(
            actor=world.users["lena"],
            period=october,
            person_id=person.pk,
            source="leader",
            general=D(28),
        )
    services.assessment_record(
        actor=world.users["hana"],
        period=october,
        person_id=world.lena.pk,
        source="leader",
        general=D(28),
        organising=D(80),
    )
    services.month_scores_compute(actor=world.users["olga"], period=october)
    lena = MonthlyScore.objects.get(period=october, person=world.lena)
    carol = MonthlyScore.objects.get(period=october, person=world.carol)
    d = D("0.5") if carol.level == "KHT" else D(1)  # 50% when anyone led is KHT
    expected = (70 * (D(1) + D(1) + D(1) + d + D("0.8")) / 5).quantize(D("0.01"))
    assert lena.results == expected
    assert any("d = " in note for note in score_explanation(lena)["notes"])


def _fourth_quarter(world):
    """Olga opens the fourth quarter of 2026 over Phường Một under NĐ 335."""
    return services.period_open(
        actor=world.users["olga"],
        unit=world.p1,
        kind="quarter",
        year=2026,
        number=4,
        ruleset="nd-335-2025",
    )


def test_a_quarter_is_scored_on_the_tasks_of_its_three_months(world):
    _month_of_alice(world)
    november = work.task_register(
        actor=world.users["alice"],
        person=world.alice,
        year=2026,
        month=11,
        title="Báo cáo tổng kết",
        quantity=D(6),
        due_date=datetime.date(2026, 11, 20),
    )
    work.task_complete(
        actor=world.users["alice"],
        task=november,
        completed_on=datetime.date(2026, 11, 18),
        quantity_done=D(6),
        evidence_note="Đã gửi",
    )
    november.refresh_from_db()
    work.task_verify(actor=world.users["lena"], task=november, quality_passed=True)
    quarter = _fourth_quarter(world)
    services.assessment_record(
        actor=world.users["lena"],
        period=quarter,
        person_id=world.alice.pk,
        source="leader",
        general=D(28),
    )
    services.month_scores_compute(actor=world.users["olga"], period=quarter)
    score = MonthlyScore.objects.get(period=quarter, person=world.alice)
    a = D(1)
    b = (D("0.75") * 1 + 2 + 3 + 6) / 12
    c = (D(1) + 2 + D("0.75") * 3 + 6) / 12
    assert score.results == (70 * (a + b + c) / 3).quantize(D("0.01"))
    assert len(score_explanation(score)["tasks"]) == 4


def test_the_annual_score_is_the_mean_of_the_quarters_where_an_agency_scores_by_quarter(world):
    from tests.reviews.annual.cycle import evaluation_of, open_year
    from thuocdo.reviews.annual import services as cycle

    _month_of_alice(world)
    quarter = _fourth_quarter(world)
    services.month_scores_compute(actor=world.users["olga"], period=quarter)
    # The quarter over and levelled, as at the year's end (a quarter still running is
    # provisional and does not count in the year).
    MonthlyScore.objects.filter(period=quarter).update(proposed_level="HTT", level="HTT")
    total = MonthlyScore.objects.get(period=quarter, person=world.alice).total
    year = open_year(world)
    alice = evaluation_of(year, world.alice)
    cycle.evaluation_self_assess(
        actor=world.users["alice"],
        evaluation=alice,
        general=D(30),
        results=D(70),
        proposed_level="HTXS",
    )
    alice.refresh_from_db()
    assert alice.score == total
    assert "quý" in alice.score_source


def test_a_month_cannot_be_opened_under_a_rule_set_for_years_only(world):
    with pytest.raises(ValidationError, match="qd-366-2025 không áp dụng cho kỳ tháng"):
        services.period_open(
            actor=world.users["olga"],
            unit=world.p1,
            kind="month",
            year=2026,
            number=10,
            ruleset="qd-366-2025",
        )


def test_nobody_decides_their_own_month(world):
    """The head of Quận Một decides her unit's levels, not her own (the level above does)."""
    from tests.reviews.monthly.test_compute import _city_october

    city = _city_october(world)
    services.month_scores_compute(actor=world.users["root"], period=city)
    own = MonthlyScore.objects.get(period=city, person=world.hana)
    with pytest.raises(PermissionDenied, match="chính mình"):
        services.month_score_decide(
            actor=world.users["hana"], score=own, level=own.proposed_level, reason=""
        )
    alice = MonthlyScore.objects.get(period=city, person=world.alice)
    services.month_score_decide(
        actor=world.users["hana"], score=alice, level=alice.proposed_level, reason=""
    )
    services.month_score_decide(
        actor=world.users["olga"], score=own, level=own.proposed_level, reason=""
    )
    own.refresh_from_db()
    assert own.decided_by == world.users["olga"]


def test_a_lock_on_a_ward_inside_the_period_refuses_its_peoples_scoring(world):
    period = services.period_open(
        actor=world.users["root"],
        unit=world.city,
        kind="month",
        year=2026,
        number=10,
        ruleset="nd-335-2025",
    )
    locking.month_lock(actor=world.users["olga"], unit=world.p1, year=2026, month=10)

    def assess(person, source="self", actor="alice"):
        return services.assessment_record(
            actor=world.users[actor],
            period=period,
            person_id=person.pk,
            source=source,
            general=D(27),
        )

    with pytest.raises(ValidationError, match="Tháng 10/2026 của Phường Một đã khóa sổ"):
        assess(world.alice)
    with pytest.raises(ValidationError, match="đã khóa sổ"):
        assess(world.carol, "leader", "lena")
    assert not MonthlyAssessment.objects.exists()
    assess(world.hana, "leader", "root")  # Quận Một's own staff: not in the locked ward
    assert MonthlyAssessment.objects.get().person == world.hana
