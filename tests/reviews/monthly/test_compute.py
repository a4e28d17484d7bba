"""Scores that follow the work: each save updates that person's monthly score at once (and the
unit's head where the unit's levels feed the head's score); a running month is provisional."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from thuocdo.audit.models import AuditEvent
from thuocdo.reviews.models import MonthlyScore
from thuocdo.reviews.monthly import services
from thuocdo.reviews.monthly.explain import score_explanation
from thuocdo.work import services as work

D = Decimal
OCT = datetime.date(2026, 10, 1)


def _city_october(world):
    """October 2026 opened once over the whole city (by the administrator)."""
    return services.period_open(
        actor=world.users["root"],
        unit=world.city,
        kind="month",
        year=2026,
        number=10,
        ruleset="nd-335-2025",
    )


def _done_task(world, title="Báo cáo tháng", *, year=2026, month=10, due=20, done_on=15):
    task = work.task_register(
        actor=world.users["alice"],
        person=world.alice,
        year=year,
        month=month,
        title=title,
        quantity=D(1),
        due_date=datetime.date(year, month, due),
    )
    return work.task_complete(
        actor=world.users["alice"],
        task=task,
        completed_on=datetime.date(year, month, done_on),
        quantity_done=D(1),
        evidence_note="Đã gửi",
    )


def _score(period, person):
    return MonthlyScore.objects.get(period=period, person=person)


def test_a_self_score_then_a_leader_score_update_the_board_at_once(world):
    period = _city_october(world)
    services.assessment_record(
        actor=world.users["alice"],
        period=period,
        person_id=world.alice.pk,
        source="self",
        general=D(28),
    )
    assert _score(period, world.alice).general == D(28)
    services.assessment_record(
        actor=world.users["lena"],
        period=period,
        person_id=world.alice.pk,
        source="leader",
        general=D(29),
    )
    score = _score(period, world.alice)
    assert score.general == D(29)
    assert score_explanation(score)["general"]["from"] == "lãnh đạo trực tiếp chấm"
    # Only that person: nobody else of the city was scored by these saves.
    assert MonthlyScore.objects.filter(period=period).count() == 1
    assert AuditEvent.objects.filter(action="monthly_score.refresh").count() == 2


def test_a_verification_updates_the_score_and_an_exemption_restores_the_points(world):
    period = _city_october(world)
    task = _done_task(world, due=10, done_on=14)  # four days late: one delay
    assert task.delays == 1
    before = _score(period, world.alice).results
    work.task_verify(actor=world.users["lena"], task=task, quality_passed=True)
    verified = _score(period, world.alice)
    assert verified.results > before
    assert verified.timeliness == D("0.75")  # one delay costs 25% (NĐ 335, Điều 14)
    exemption = work.exemption_request(
        actor=world.users["alice"], task=task, kind="delay", reason="Mất điện cả tuần"
    )
    work.exemption_decide(
        actor=world.users["lena"], exemption=exemption, confirm=True, reason="Đã kiểm tra"
    )
    assert _score(period, world.alice).timeliness == D(1)
    assert _score(period, world.alice).results == D(70)


def test_the_head_of_the_unit_follows_when_the_units_levels_feed_his_score(world):
    period = _city_october(world)
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
    # Lena is deputy of P1; her superior scored her organising capacity, so her result part
    # counts the levels of the people she leads (d).
    services.assessment_record(
        actor=world.users["hana"],
        period=period,
        person_id=world.lena.pk,
        source="leader",
        general=D(28),
        organising=D(80),
    )
    assert "d =" not in " ".join(score_explanation(_score(period, world.lena))["notes"])
    task = _done_task(world)
    work.task_verify(actor=world.users["lena"], task=task, quality_passed=True)
    services.assessment_record(
        actor=world.users["lena"],
        period=period,
        person_id=world.alice.pk,
        source="leader",
        general=D(28),
    )
    assert "d = 100%" in " ".join(score_explanation(_score(period, world.lena))["notes"])
    # Carol, of the same unit, is not touched by alice's saves.
    assert not MonthlyScore.objects.filter(period=period, person=world.carol).exists()


def test_a_running_month_is_provisional_without_a_level_and_says_what_is_missing(
    world, running_month
):
    period = running_month
    score = _score(period, world.alice)
    assert (score.level, score.proposed_level) == ("", "")  # no KHT from missing data
    assert score_explanation(score)["provisional"] is True
    assert score_explanation(score)["missing"] == [
        "1 nhiệm vụ chưa hoàn thành",
        "chưa tự đánh giá",
        "lãnh đạo trực tiếp chưa chấm điểm",
    ]
    assert not MonthlyScore.objects.filter(period=period).exclude(level="").exists()
    with pytest.raises(Exception, match="Tháng chưa kết thúc"):
        services.month_score_decide(actor=world.users["root"], score=score, level="HTT", reason="")


def test_a_month_that_is_over_gets_its_levels_when_finalised(world):
    period = _city_october(world)
    services.assessment_record(
        actor=world.users["lena"],
        period=period,
        person_id=world.alice.pk,
        source="leader",
        general=D(28),
    )
    score = _score(period, world.alice)
    assert score.level and score.proposed_level == score.level  # October is over
    assert "chưa tự đánh giá" in score_explanation(score)["missing"]
