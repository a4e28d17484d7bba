"""The demo city at work: canhan's month, lanhdao's queue, scored months and heads' targets."""

from __future__ import annotations

import datetime
from collections import Counter
from decimal import Decimal
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from thuocdo.demo.registry import DemoError, demo_build
from thuocdo.demo.work import demo_work_build, position_for
from thuocdo.org.models import Post, Unit, User
from thuocdo.reviews.models import MonthlyAssessment, MonthlyScore, MonthSchedule, Period
from thuocdo.targets.models import TargetSet
from thuocdo.targets.selectors import target_set_summaries
from thuocdo.work.models import (
    Exemption,
    ExemptionState,
    JobPosition,
    PlanState,
    PostJobPosition,
    ProductType,
    Task,
    TaskState,
    WorkPlan,
)
from thuocdo.work.selectors import leader_queue, product_types_for

PEOPLE = 400
SEED = 2026
TODAY = datetime.date(2026, 11, 20)  # last month is October 2026


@pytest.fixture
def counts(db: None) -> dict[str, int]:
    """A small demo city with its work, scores and targets."""
    demo_build(people=PEOPLE, seed=SEED)
    return demo_work_build(seed=SEED, today=TODAY)


def _user(name: str) -> User:
    return User.objects.get(username=name)


def _tasks_of(username: str, month: int) -> list[Task]:
    return list(
        Task.objects.filter(
            plan__person__user__username=username, plan__year=2026, plan__month=month
        ).order_by("due_date", "id")
    )


def test_canhan_has_last_months_verified_tasks_and_a_score(counts: dict[str, int]) -> None:
    tasks = _tasks_of("canhan", 10)
    assert len(tasks) >= 2
    assert all(t.state == TaskState.VERIFIED and t.quality_passed for t in tasks)
    # The explanation of the month shows a late task, a failed review and an exceeded one.
    assert any(t.delays for t in tasks) and any(t.failed_reviews for t in tasks)
    assert any(t.exceeded for t in tasks)
    confirmed = Exemption.objects.filter(task__in=tasks, state=ExemptionState.CONFIRMED)
    assert confirmed.exists()
    score = MonthlyScore.objects.get(person__user__username="canhan", period__number=10)
    assert (score.period.year, score.period.number) == (2026, 10)
    assert score.period.ruleset == "nd-335-2025"
    assert Decimal(90) <= score.total <= Decimal(100)
    assert score.explanation


def test_canhan_has_a_month_under_way(counts: dict[str, int]) -> None:
    tasks = _tasks_of("canhan", 11)
    plan = WorkPlan.objects.get(person__user__username="canhan", year=2026, month=11)
    assert plan.state == PlanState.APPROVED
    states = Counter(t.state for t in tasks)
    assert states[TaskState.VERIFIED] and states[TaskState.DONE]
    assert states[TaskState.IN_PROGRESS] and states[TaskState.PLANNED]
    overdue = [t for t in tasks if t.days_overdue(TODAY)]
    assert overdue
    assert all(t.completed_on is None or t.completed_on <= TODAY for t in tasks)


def test_lanhdao_has_a_plan_completions_and_an_exemption_waiting(counts: dict[str, int]) -> None:
    queue = leader_queue(actor=_user("lanhdao"))
    assert queue.plans and queue.completions and queue.exemptions
    assert all(t.state == TaskState.DONE for t in queue.completions)
    assert any(t.plan.person.user == _user("canhan") for t in queue.completions)


def test_every_post_has_a_job_position_with_a_catalogue(counts: dict[str, int]) -> None:
    assert PostJobPosition.objects.count() == Post.objects.count()
    for position in JobPosition.objects.all():
        assert position.product_types.count() >= 2, position.code
    assert ProductType.objects.filter(conversion_factor__lt=1).exists()
    assert ProductType.objects.filter(conversion_factor__gt=1).exists()
    canhan = _user("canhan").person
    products = product_types_for(canhan, TODAY)
    assert {p.job_position.code for p in products} == {"XA-VPTK"}


@pytest.mark.parametrize(
    ("duty_group", "position"),
    [
        ("LĐ-XA-UB", "LDQL"),
        ("PLĐ-TP-SO", "LDQL"),
        ("CC-XA-TP", "XA-TPHT"),
        ("CC-QH-KT", "KT"),
        ("VC-TRUONG-GV", "GV"),
        ("LD-BV", "NVHT"),
        ("CC-TP-SO", "CV-TH"),
    ],
)
def test_a_post_gets_the_job_position_of_its_duty_group(duty_group: str, position: str) -> None:
    assert position_for(duty_group) == position


def test_last_months_levels_vary(counts: dict[str, int]) -> None:
    levels = Counter(MonthlyScore.objects.filter(period__number=10).values_list("level", flat=True))
    assert counts["monthly_scores"] == PEOPLE == sum(levels.values())
    assert levels["HTXS"] < 0.7 * PEOPLE
    assert levels["HTT"] >= 0.15 * PEOPLE
    assert Period.objects.count() == 2  # last month, and this month under way


def test_this_month_is_open_over_the_city_and_provisional(counts: dict[str, int]) -> None:
    period = Period.objects.get(number=11)
    assert (period.unit.code, period.kind) == ("TP", "month")
    assert MonthSchedule.objects.get().unit == period.unit  # the next month opens itself
    scores = MonthlyScore.objects.filter(period=period)
    assert counts["this_month_scores"] == PEOPLE == scores.count()
    assert not scores.exclude(level="").exists()  # no level while the month runs
    entered = MonthlyAssessment.objects.filter(period=period, on_behalf_by__username="lanhdao")
    assert entered.count() == counts["on_behalf"] == 2
    assert {a.source for a in entered} == {"self"}


def test_each_district_has_a_target_set_of_at_least_twelve_indicators(
    counts: dict[str, int],
) -> None:
    districts = [u for u in Unit.objects.all() if u.code[0] in "QH" and len(u.code) == 3]
    assert len(districts) >= 2
    for unit in districts:
        target_set = TargetSet.objects.get(unit=unit, year=2026)
        assert target_set.indicators.count() >= 12
        assert target_set.head_post is not None and target_set.head_post.is_head
        groups = set(target_set.indicators.values_list("group", flat=True))
        assert groups == {"party", "socio_economic", "defence", "other"}


def test_most_heads_achieve_80_to_110_percent_and_one_misses_main_targets(
    counts: dict[str, int],
) -> None:
    summaries = target_set_summaries(actor=_user("quantri"), year=2026)
    assert len(summaries) == counts["target_sets"]
    in_band = [s for _, s in summaries if s.achievement_pct and 80 <= s.achievement_pct <= 110]
    assert len(in_band) >= 0.8 * len(summaries)
    assert any(s.main_missed for _, s in summaries)
    assert any(s.veto for _, s in summaries)
    assert any(s.review and not s.veto for _, s in summaries)
    # The head of the logins' ward sees their own unit's targets.
    mine = target_set_summaries(actor=_user("thutruong"), year=2026)
    assert [s.unit.code for s, _ in mine] == ["Q01-P01-UB"]


def _snapshot() -> dict[str, list[Any]]:
    """Everything the work build decides, without database ids."""
    return {
        "tasks": list(
            Task.objects.order_by("plan__person__code", "plan__month", "id").values_list(
                "plan__person__code",
                "plan__month",
                "plan__state",
                "product_type__code",
                "title",
                "quantity",
                "due_date",
                "state",
                "completed_on",
                "delays",
                "failed_reviews",
                "exceeded",
            )
        ),
        "scores": list(
            MonthlyScore.objects.order_by(
                "person__code", "period__year", "period__number", "period__unit__code"
            ).values_list("person__code", "total", "level")
        ),
        "actuals": list(
            TargetSet.objects.order_by("unit__code", "indicators__position").values_list(
                "unit__code", "indicators__name", "indicators__target"
            )
        ),
    }


def _wipe_work() -> None:
    """Delete what the work build wrote, keeping the city."""
    Period.objects.all().delete()
    MonthSchedule.objects.all().delete()
    TargetSet.objects.all().delete()
    WorkPlan.objects.all().delete()
    PostJobPosition.objects.all().delete()
    ProductType.objects.all().delete()
    JobPosition.objects.all().delete()


def test_the_same_seed_gives_the_same_data(counts: dict[str, int]) -> None:
    first = _snapshot()
    _wipe_work()
    assert demo_work_build(seed=SEED, today=TODAY) == counts
    assert _snapshot() == first


def test_it_refuses_to_build_twice(counts: dict[str, int]) -> None:
    with pytest.raises(DemoError):
        demo_work_build(seed=SEED, today=TODAY)


def test_progress_is_reported_for_every_stage(db: None) -> None:
    demo_build(people=PEOPLE, seed=SEED)
    seen: dict[str, tuple[int, int]] = {}
    demo_work_build(
        seed=SEED,
        today=TODAY,
        progress=lambda stage, done, total: seen.update({stage: (done, total)}),
    )
    assert len(seen) == 4
    assert all(done == total for done, total in seen.values())


def test_the_command_with_no_work_creates_no_tasks(db: None) -> None:
    out = StringIO()
    call_command("demo", "--people", str(PEOPLE), "--no-work", stdout=out)
    assert not Task.objects.exists()
    assert not JobPosition.objects.exists() and not TargetSet.objects.exists()
    assert "Nhiệm vụ" not in out.getvalue()


def test_the_command_builds_and_prints_the_work(db: None) -> None:
    out = StringIO()
    call_command("demo", "--people", str(PEOPLE), stdout=out)
    text = out.getvalue()
    assert f"Nhiệm vụ: {Task.objects.count():,}".replace(",", ".") in text
    assert "Bộ chỉ tiêu:" in text and "Kết quả tháng: 400" in text
    assert "Xem thử:" in text and "lanhdao: «Đơn vị của tôi»" in text


def test_work_registered_after_the_demo_gets_fresh_ids(counts: dict[str, int]) -> None:
    person = _user("canhan").person
    product = ProductType.objects.filter(job_position__code="XA-VPTK").first()
    plan = WorkPlan.objects.create(person=person, year=2026, month=12)
    task = Task.objects.create(
        plan=plan, product_type=product, title="Nhiệm vụ tháng sau", quantity=Decimal(1),
        due_date=datetime.date(2026, 12, 10),
    )  # fmt: skip
    assert plan.pk > WorkPlan.objects.exclude(pk=plan.pk).order_by("-pk")[0].pk
    assert task.pk > Task.objects.exclude(pk=task.pk).order_by("-pk")[0].pk
