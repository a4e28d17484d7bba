"""The set-based month close gives exactly what the close before it gave (issue 15): on the demo
city, for every person, the same numbers, levels, flags, trace and explanation; with the leaders'
organising scores entered, under a rule-set that caps the top level per unit, and while the month
still runs. And it writes only what changed."""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

import pytest

from thuocdo.audit.models import AuditEvent
from thuocdo.demo.registry import demo_build
from thuocdo.demo.work import demo_work_build
from thuocdo.org.models import Post, User
from thuocdo.reviews.models import AssessmentSource, MonthlyAssessment, MonthlyScore, Period
from thuocdo.reviews.monthly.compute import period_scores_compute, person_score_refresh
from thuocdo.reviews.monthly.explain import score_explanation, score_trace
from thuocdo.reviews.monthly.opening import month_end
from thuocdo.work.models import Task, TaskState

from . import reference

TODAY = datetime.date(2026, 11, 20)  # October is over, November runs
Q4 = Decimal("0.0001")


@pytest.fixture
def city(db: None) -> None:
    """The demo city with its two months of work, small."""
    demo_build(people=400, seed=2026)
    demo_work_build(seed=2026, today=TODAY)


def _month(number: int) -> Period:
    return Period.objects.get(kind="month", year=2026, number=number, unit__parent=None)


def _numbers(value: Any) -> Any:
    """Numeric text compared by value: "3.00" and "3.00000" are the same converted quantity."""
    if isinstance(value, dict):
        return {key: _numbers(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_numbers(item) for item in value]
    if isinstance(value, str):
        try:
            return Decimal(value)
        except InvalidOperation:
            return value
    return value


def _same_as_reference(period: Period, at: datetime.date) -> int:
    """Close the month, compute it the old way, and compare everyone; returns how many."""
    period_scores_compute(None, period, at)
    expected = reference.period_scores_compute(None, period, at)
    running = at <= month_end(period)
    stored = {s.person_id: s for s in MonthlyScore.objects.filter(period=period)}
    assert set(stored) == set(expected)
    for pid, (post, comp, decision, missing, explanation) in expected.items():
        score = stored[pid]
        proposed = "" if running else decision["level"]
        assert (score.unit_id, score.general, score.bonus, score.deductions) == (
            post.unit_id,
            comp.general,
            comp.bonus,
            comp.deductions,
        ), pid
        assert (score.quantity, score.quality, score.timeliness) == (
            comp.results.quantity.quantize(Q4),
            comp.results.quality.quantize(Q4),
            comp.results.timeliness.quantize(Q4),
        ), pid
        assert (score.results, score.total) == (comp.result_points, comp.total), pid
        assert score.proposed_level == proposed, pid
        if score.decided_by_id is None:
            assert score.level == proposed, pid
        assert score.flags == decision["flags"], pid
        assert score_trace(score) == decision["trace"], pid
        shown = score_explanation(score)
        assert _numbers(shown) == _numbers(
            explanation | {"provisional": running, "missing": missing}
        ), pid
    return len(expected)


def _organising_scores(period: Period) -> int:
    """Every head and deputy's organising score (đ), entered by a superior."""
    by = User.objects.get(username="quantri")
    leaders = set(
        Post.objects.active(month_end(period))
        .filter(is_head=True)
        .values_list("person_id", flat=True)
    ) | set(
        Post.objects.active(month_end(period))
        .filter(is_deputy=True)
        .values_list("person_id", flat=True)
    )
    for n, pid in enumerate(sorted(leaders)):
        MonthlyAssessment.objects.update_or_create(
            period=period,
            person_id=pid,
            source=AssessmentSource.LEADER,
            defaults={
                "general": Decimal(22 + n % 9),
                "organising": Decimal(55 + 7 * n % 46),
                "by": by,
            },
        )
    return len(leaders)


def test_a_month_that_is_over_gives_the_same_scores_as_before(city: None) -> None:
    assert _same_as_reference(_month(10), TODAY) >= 400


def test_the_same_with_every_leaders_organising_score(city: None) -> None:
    period = _month(10)
    assert _organising_scores(period) > 20
    assert _same_as_reference(period, TODAY) >= 400
    # The leaders' result points now count d and đ.
    notes = [
        note
        for score in MonthlyScore.objects.filter(period=period)
        for note in score_explanation(score)["notes"]
    ]
    assert any("d = " in note for note in notes)


def test_the_same_under_a_cap_on_the_top_level_per_unit(city: None) -> None:
    period = _month(10)
    _organising_scores(period)
    Period.objects.filter(pk=period.pk).update(ruleset="hn-3814-2018")
    period.refresh_from_db()
    assert _same_as_reference(period, TODAY) >= 400
    assert MonthlyScore.objects.filter(period=period, trace__icontains="monthly-cap").exists()


def test_the_same_while_the_month_runs(city: None) -> None:
    period = _month(11)
    assert _same_as_reference(period, TODAY) >= 400
    assert not MonthlyScore.objects.filter(period=period).exclude(proposed_level="").exists()


def test_a_close_with_nothing_changed_writes_nothing(city: None) -> None:
    period = _month(10)
    period_scores_compute(None, period, TODAY)
    stamps = dict(MonthlyScore.objects.filter(period=period).values_list("id", "computed_at"))
    events = AuditEvent.objects.count()
    period_scores_compute(None, period, TODAY)
    assert dict(MonthlyScore.objects.filter(period=period).values_list("id", "computed_at")) == (
        stamps
    )
    assert AuditEvent.objects.count() == events


def test_a_changed_task_rewrites_and_audits_only_its_person(city: None) -> None:
    period = _month(10)
    period_scores_compute(None, period, TODAY)
    task = Task.objects.filter(
        plan__year=2026, plan__month=10, state=TaskState.VERIFIED, failed_reviews=0
    ).first()
    assert task is not None
    Task.objects.filter(pk=task.pk).update(failed_reviews=2)
    before = MonthlyScore.objects.get(period=period, person_id=task.plan.person_id)
    events = AuditEvent.objects.count()
    period_scores_compute(None, period, TODAY)
    changed = AuditEvent.objects.filter(action="monthly_score.compute").order_by("-id")
    assert AuditEvent.objects.count() - events >= 1
    assert changed[0].object_id == str(before.pk)
    after = MonthlyScore.objects.get(pk=before.pk)
    assert after.quality < before.quality
    assert after.computed_at > before.computed_at


def test_one_persons_refresh_gives_what_the_whole_close_gives(city: None) -> None:
    period = _month(10)
    _organising_scores(period)
    period_scores_compute(None, period, TODAY)
    task = Task.objects.filter(
        plan__year=2026, plan__month=10, state=TaskState.VERIFIED, delays=0
    ).first()
    assert task is not None
    Task.objects.filter(pk=task.pk).update(delays=3)
    assert person_score_refresh(actor=None, period=period, person_id=task.plan.person_id) >= 1
    # The whole close finds nothing more to change: the refresh wrote what it would have.
    events = AuditEvent.objects.count()
    period_scores_compute(None, period, TODAY)
    assert AuditEvent.objects.count() == events


@pytest.mark.django_db(transaction=True)
def test_tables_loaded_in_bulk_are_sampled_before_a_close() -> None:
    from django.db import connection

    from thuocdo.reviews.monthly.close import statistics_refresh
    from thuocdo.work.models import Task

    if connection.vendor != "postgresql":
        assert statistics_refresh() == []
        return
    table = connection.ops.quote_name(Task._meta.db_table)
    with connection.cursor() as cursor:  # autovacuum must not sample it first
        cursor.execute(f"ALTER TABLE {table} SET (autovacuum_enabled = false)")
    try:
        demo_build(people=400, seed=2026)
        demo_work_build(seed=2026, today=TODAY)  # committed, never sampled
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_stat_force_next_flush()")
        assert Task._meta.db_table in statistics_refresh()
        assert statistics_refresh() == []  # sampled now
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"ALTER TABLE {table} RESET (autovacuum_enabled)")
