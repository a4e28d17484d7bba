"""The annual cycle through its services: open, self-review, leader, verify, propose,
conclude (legal order, quota, veto, head cap), publish, lock and reopen."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.reviews.annual.cycle import (
    SCORES_OF_21,
    appeal_window_passes,
    evaluation_of,
    open_year,
    quota_group_of_21,
    ready,
)
from thuocdo.audit.models import AuditEvent
from thuocdo.org import services as org
from thuocdo.org.models import Discipline
from thuocdo.reviews.annual import services as cycle
from thuocdo.reviews.models import (
    Evaluation,
    EvaluationGroup,
    EvaluationState,
    MonthlyScore,
    Period,
    PeriodState,
    ResultHistory,
    SubjectKind,
)
from thuocdo.reviews.monthly import services

D = Decimal


def test_opening_a_year_creates_one_evaluation_per_subject_in_one_insert(world):
    with CaptureQueriesContext(connection) as queries:
        period = open_year(world)
    # executemany is logged once, as "<n> times: INSERT ...".
    inserts = [q for q in queries if 'INSERT INTO "reviews_evaluation"' in q["sql"]]
    assert len(inserts) == 1
    evaluations = Evaluation.objects.filter(period=period)
    # Collectives Q1, P1, CB1; people hana (Q1), alice, carol, lena (P1).
    assert evaluations.filter(kind=SubjectKind.COLLECTIVE).count() == 3
    assert sorted(evaluations.exclude(person=None).values_list("person__code", flat=True)) == [
        "CB-A",
        "CB-C",
        "CB-H",
        "CB-L",
    ]
    assert period.state == PeriodState.SELF_ASSESSMENT
    assert AuditEvent.objects.filter(action="evaluation.create_batch").count() == 1


def test_groups_quota_groups_and_authorities_follow_the_design(world):
    period = open_year(world)
    hana = evaluation_of(period, world.hana)
    alice = evaluation_of(period, world.alice)
    assert (hana.group, hana.quota_group, hana.is_head) == (
        EvaluationGroup.LEADER,
        "LĐ:Chủ tịch UBND quận",
        True,
    )
    assert (alice.group, alice.quota_group) == (EvaluationGroup.CIVIL_SERVANT, "CC:P1:CC-VP")
    assert hana.authority == world.btv
    assert evaluation_of(period, world.q1).quota_group == "TT:TP"


def test_a_person_with_two_posts_is_evaluated_in_each(world):
    org.post_create(
        None,
        person=world.alice,
        unit=world.cell,
        title="Bí thư chi bộ",
        is_head=True,
        start_date=datetime.date(2021, 1, 1),
    )
    period = open_year(world)
    assert Evaluation.objects.filter(period=period, person=world.alice).count() == 2


def test_a_person_self_assesses_and_the_leader_reviews(world):
    period = open_year(world)
    alice = evaluation_of(period, world.alice)
    record = cycle.evaluation_self_assess(
        actor=world.users["alice"],
        evaluation=alice,
        general=D(27),
        results=D(64),
        proposed_level="HTXS",
        strengths={"politics": "Vững vàng", "results": "Hoàn thành 100% nhiệm vụ"},
        shortcomings="Còn chậm báo cáo quý II",
        direction="Chủ động hơn",
    )
    assert record.total == D(91)
    alice.refresh_from_db()
    assert (alice.state, alice.self_score, alice.score) == (
        EvaluationState.SELF_ASSESSED,
        D(91),
        D(91),
    )
    cycle.evaluation_review(
        actor=world.users["lena"],
        evaluation=alice,
        general=D(26),
        results=D(60),
        proposed_level="HTT",
        note="Đồng ý",
    )
    alice.refresh_from_db()
    assert (alice.state, alice.leader_level, alice.score) == (
        EvaluationState.REVIEWED,
        "HTT",
        D(86),
    )
    assert AuditEvent.objects.filter(action="annual_assessment.leader").count() == 1


def test_only_the_person_self_assesses_and_the_sheet_respects_30_and_70(world):
    period = open_year(world)
    alice = evaluation_of(period, world.alice)
    # Hana heads Q1, above Alice's ward: neither Alice, nor her direct leader, nor an organiser.
    with pytest.raises(PermissionDenied):
        cycle.evaluation_self_assess(
            actor=world.users["hana"],
            evaluation=alice,
            general=D(20),
            results=D(50),
            proposed_level="HTT",
        )
    with pytest.raises(ValidationError, match="từ 0 đến 30"):
        cycle.evaluation_self_assess(
            actor=world.users["alice"],
            evaluation=alice,
            general=D(31),
            results=D(50),
            proposed_level="HTT",
        )


def test_the_annual_score_of_a_civil_servant_is_the_mean_of_her_months(world):
    period = open_year(world)
    for month, total in ((1, D("90")), (2, D("80.50"))):
        month_period = Period.objects.create(
            kind="month", year=2026, number=month, unit=world.p1, ruleset="nd-335-2025"
        )
        MonthlyScore.objects.create(
            period=month_period,
            person=world.alice,
            unit=world.p1,
            general=D(25),
            quantity=D(1),
            quality=D(1),
            timeliness=D(1),
            results=D(60),
            total=total,
            proposed_level="HTT",
            level="HTT",
        )
    alice = evaluation_of(period, world.alice)
    cycle.evaluation_self_assess(
        actor=world.users["alice"],
        evaluation=alice,
        general=D(30),
        results=D(70),
        proposed_level="HTXS",
    )
    alice.refresh_from_db()
    assert alice.score == D("85.25")
    assert "trung bình" in alice.score_source


def test_the_organiser_verifies_and_a_sibling_organiser_cannot(world):
    period = open_year(world)
    alice = evaluation_of(period, world.alice)
    cycle.evaluation_self_assess(
        actor=world.users["alice"],
        evaluation=alice,
        general=D(27),
        results=D(60),
        proposed_level="HTT",
    )
    quinn = org.user_create(actor=None, username="quinn", password="x-Mat-khau-2026")
    org.role_assign(actor=None, user=quinn, role="organiser", unit=world.q2)
    # Refused exactly like an evaluation that does not exist (no existence oracle).
    with pytest.raises(ValidationError, match="Có phiếu không thuộc kỳ đánh giá này"):
        cycle.evaluations_verify(actor=quinn, period=period, evaluation_ids=[alice.pk])
    assert cycle.evaluations_verify(
        actor=world.users["olga"], period=period, evaluation_ids=[alice.pk]
    )
    alice.refresh_from_db()
    assert alice.state == EvaluationState.VERIFIED


def test_proposal_needs_every_evaluation_verified(world):
    period = open_year(world)
    with pytest.raises(ValidationError, match="phải được thẩm định"):
        cycle.period_propose(actor=world.users["olga"], period=period)


def test_the_engine_caps_a_head_at_the_level_of_the_unit(world):
    period = open_year(world)
    q1, hana = evaluation_of(period, world.q1), evaluation_of(period, world.hana)
    ready(period, {q1.pk: D(80), hana.pk: D(95)})
    cycle.period_propose(actor=world.users["olga"], period=period)
    hana.refresh_from_db()
    assert hana.proposed_level == "HTT"
    assert [step["rule"] for step in hana.trace][-1] == "head-cap"


def test_a_head_is_never_concluded_before_the_unit_nor_above_it(world):
    period = open_year(world)
    q1, hana = evaluation_of(period, world.q1), evaluation_of(period, world.hana)
    ready(period, {q1.pk: D(85), hana.pk: D(85)})
    cycle.period_propose(actor=world.users["olga"], period=period)
    tam = world.users["tam"]
    hana.refresh_from_db()
    assert hana.proposed_level == "HTT"
    with pytest.raises(ValidationError, match=r"Chưa kết luận tập thể Quận Một.*head-cap"):
        cycle.evaluation_conclude(actor=tam, evaluation=hana, level="HTT")
    q1.refresh_from_db()
    cycle.evaluation_conclude(actor=tam, evaluation=q1, level="HTNV", reason="Chỉ tiêu chậm")
    hana.refresh_from_db()
    with pytest.raises(ValidationError, match=r"không được cao hơn mức HTNV.*head-cap"):
        cycle.evaluation_conclude(actor=tam, evaluation=hana, level="HTT")
    cycle.evaluation_conclude(actor=tam, evaluation=hana, level="HTNV", reason="Theo tập thể")
    hana.refresh_from_db()
    assert (hana.level, hana.concluded_by, hana.reason) == ("HTNV", tam, "Theo tập thể")
    assert hana.concluded_at is not None
    # Nor may the unit be lowered under a head already concluded above it.
    q1.refresh_from_db()
    with pytest.raises(ValidationError, match="head-cap"):
        cycle.evaluation_conclude(actor=tam, evaluation=q1, level="KHT", reason="Sai phạm")


def test_accept_all_concludes_in_the_legal_order_and_waits_for_a_lowered_unit(world):
    period = open_year(world)
    q1, hana = evaluation_of(period, world.q1), evaluation_of(period, world.hana)
    ready(period, {q1.pk: D(85), hana.pk: D(85)})
    cycle.period_propose(actor=world.users["olga"], period=period)
    result = cycle.evaluations_accept_all(actor=world.users["tam"], period=period)
    assert result == {"concluded": 7, "skipped": 0}
    hana.refresh_from_db()
    q1.refresh_from_db()
    assert q1.concluded_at is not None and hana.concluded_at is not None
    assert q1.concluded_at <= hana.concluded_at
    assert ResultHistory.objects.filter(action="accept").count() == 7


def test_the_authority_concludes_only_those_it_manages(world):
    period = open_year(world)
    ready(period, {})
    cycle.period_propose(actor=world.users["olga"], period=period)
    with pytest.raises(PermissionDenied):
        cycle.evaluation_conclude(
            actor=world.users["olga"], evaluation=evaluation_of(period, world.alice), level="HTT"
        )


def test_21_in_a_quota_group_with_8_htxs_satisfy_the_quota_and_present_the_tie(world):
    p3, people = quota_group_of_21(world)
    period = open_year(world, unit=p3)
    scores = {evaluation_of(period, p).pk: D(s) for p, s in zip(people, SCORES_OF_21, strict=True)}
    ready(period, scores)
    cycle.period_propose(actor=world.users["olga"], period=period)
    group = Evaluation.objects.filter(period=period, quota_group="CC:P3:CC-DC")
    assert group.count() == 21
    # 20% of the 21 rated HTT or better: at most 4 HTXS. The three best keep HTXS; the two
    # tied at 93 cannot both fit the one place left, so both are moved and flagged.
    assert group.filter(proposed_level="HTXS").count() == 3
    ties = [ev for ev in group if "quota_tie" in ev.flags]
    assert [ev.score for ev in ties] == [D(93), D(93)]
    assert all(ev.proposed_level == "HTT" for ev in ties)
    from thuocdo.reviews.annual.selectors import conclusion_groups, quota_gauges

    shown = conclusion_groups(actor=world.users["tam"], period=period)
    gauge = next(g for g in quota_gauges(period, shown.members) if g.group == "CC:P3:CC-DC")
    assert (gauge.excellent, gauge.limit, len(gauge.ties)) == (3, 4, 2)

    tam = world.users["tam"]
    chosen, other = ties
    cycle.evaluation_conclude(
        actor=tam, evaluation=chosen, level="HTXS", reason="Sáng kiến cấp thành phố"
    )
    with pytest.raises(ValidationError) as refused:
        cycle.evaluation_conclude(actor=tam, evaluation=other, level="HTXS", reason="Cũng tốt")
    message = " ".join(refused.value.messages)
    assert "vượt giới hạn 4" in message
    assert "quy tắc quota (Quy định 366-QĐ/TW; Hướng dẫn 43-HD/BTCTW)" in message
    cycle.evaluations_accept_all(actor=tam, period=period)
    assert group.filter(level="HTXS").count() == 4
    chosen.refresh_from_db()
    assert chosen.reason == "Sáng kiến cấp thành phố"
    assert chosen.history.get().action == "change"


def test_a_change_needs_a_reason_and_cannot_lift_a_veto(world):
    period = open_year(world)
    alice = evaluation_of(period, world.alice)
    Discipline.objects.create(
        person=world.alice,
        kind="party",
        form="khien_trach",
        date=datetime.date(2026, 5, 4),
        decision_number="12-QĐ/UBKT",
        issuing_body="UBKT Quận ủy",
    )
    ready(period, {alice.pk: D(92)})
    cycle.period_propose(actor=world.users["olga"], period=period)
    alice.refresh_from_db()
    assert alice.proposed_level == "KHT"
    cycle.evaluations_accept_all(actor=world.users["tam"], period=period)
    alice.refresh_from_db()
    with pytest.raises(ValidationError, match="phải ghi rõ lý do"):
        cycle.evaluation_conclude(actor=world.users["tam"], evaluation=alice, level="HTT")
    with pytest.raises(ValidationError, match="quy tắc discipline-veto"):
        cycle.evaluation_conclude(
            actor=world.users["tam"], evaluation=alice, level="HTT", reason="Đã khắc phục"
        )


def _concluded(world) -> Period:
    period = open_year(world)
    ready(period, {})
    cycle.period_propose(actor=world.users["olga"], period=period)
    cycle.evaluations_accept_all(actor=world.users["tam"], period=period)
    return period


def test_publishing_needs_every_conclusion_and_marks_results_published(world):
    period = open_year(world)
    ready(period, {})
    cycle.period_propose(actor=world.users["olga"], period=period)
    with pytest.raises(ValidationError, match="chưa được kết luận"):
        cycle.period_publish(actor=world.users["tam"], period=period)
    cycle.evaluations_accept_all(actor=world.users["tam"], period=period)
    assert cycle.period_publish(actor=world.users["tam"], period=period) == 7
    assert period.state == PeriodState.PUBLISHED


def test_a_locked_period_refuses_every_change_and_a_reopening_is_audited(world):
    period = _concluded(world)
    tam = world.users["tam"]
    cycle.period_publish(actor=tam, period=period)
    with pytest.raises(ValidationError, match="thời hạn kiến nghị"):
        cycle.period_lock(actor=tam, period=period)
    appeal_window_passes(period)
    cycle.period_lock(actor=tam, period=period)
    alice = evaluation_of(period, world.alice)
    for attempt in (
        lambda: cycle.evaluation_conclude(actor=tam, evaluation=alice, level="HTNV", reason="x"),
        lambda: cycle.evaluation_self_assess(
            actor=world.users["alice"],
            evaluation=alice,
            general=D(1),
            results=D(1),
            proposed_level="KHT",
        ),
        lambda: cycle.period_propose(actor=world.users["olga"], period=period),
        lambda: cycle.evaluations_accept_all(actor=tam, period=period),
        lambda: cycle.period_publish(actor=tam, period=period),
    ):
        with pytest.raises(ValidationError, match="đã khóa"):
            attempt()
    with pytest.raises(PermissionDenied):
        cycle.period_reopen(actor=world.users["olga"], period=period, reason="Sửa sai")
    with pytest.raises(ValidationError, match="lý do"):
        cycle.period_reopen(actor=tam, period=period, reason=" ")
    cycle.period_reopen(actor=tam, period=period, reason="Kháng nghị của UBKT")
    event = AuditEvent.objects.get(action="period.reopen")
    assert (event.actor_id, event.note) == (tam.pk, "Kháng nghị của UBKT")
    assert ResultHistory.objects.filter(action="reopen").count() == 7
    alice.refresh_from_db()
    cycle.evaluation_conclude(actor=tam, evaluation=alice, level="HTNV", reason="Theo kháng nghị")
    assert [h.level for h in alice.history.order_by("id")] == ["HTT", "HTT", "HTNV"]


def test_a_year_opens_only_under_rule_sets_that_apply_to_a_year(world):
    # Hà Nội 3814 classifies months; a year under it is refused and nothing is written.
    with pytest.raises(ValidationError, match="hn-3814-2018 không áp dụng cho kỳ năm"):
        services.period_open(
            actor=world.users["olga"],
            unit=world.q1,
            kind="year",
            year=2026,
            number=None,
            ruleset="hn-3814-2018",
        )
    assert not Period.objects.filter(kind="year").exists()


def test_a_locked_year_also_freezes_the_work_record_behind_it(world):
    from thuocdo.work import services as work

    period = _concluded(world)
    tam = world.users["tam"]
    cycle.period_publish(actor=tam, period=period)
    appeal_window_passes(period)
    cycle.period_lock(actor=tam, period=period)
    with pytest.raises(ValidationError, match="đã khóa"):
        work.task_register(
            actor=world.users["alice"],
            person=world.alice,
            year=2026,
            month=6,
            title="Bổ sung báo cáo",
            quantity=D(1),
            due_date=datetime.date(2026, 6, 30),
        )
    cycle.period_reopen(actor=tam, period=period, reason="Sửa sai sót số liệu")
    task = work.task_register(
        actor=world.users["alice"],
        person=world.alice,
        year=2026,
        month=6,
        title="Bổ sung báo cáo",
        quantity=D(1),
        due_date=datetime.date(2026, 6, 30),
    )
    assert task.pk
