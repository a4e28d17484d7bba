"""The summary of a published period the reports read (`PeriodCount`): built by the
publication, recounted when an appeal changes a result, kept by the lock, dropped by a
reopening; the distribution report reads it and agrees with the evaluations."""

from __future__ import annotations

from collections import Counter
from typing import Any

from tests.reviews.annual.cycle import D, appeal_window_passes, evaluation_of, open_year, ready
from thuocdo.reports.common.selectors import distribution_report
from thuocdo.reviews.annual import appeals
from thuocdo.reviews.annual import services as cycle
from thuocdo.reviews.models import Evaluation, Period, PeriodCount


def _levels(period: Period) -> dict[str, int]:
    """The period's levels counted from its evaluations, and from its summary."""
    rows = Counter(Evaluation.objects.filter(period=period).values_list("level", flat=True))
    summary: Counter[str] = Counter()
    for level, n in PeriodCount.objects.filter(period=period).values_list("level", "n"):
        summary[level] += n
    assert summary == rows
    return dict(rows)


def _reported(world: Any) -> dict[str, int]:
    """The levels the distribution report of Q1 in 2026 shows, over every group."""
    report = distribution_report(unit=world.q1, year=2026)
    total: Counter[str] = Counter()
    for group in report.groups:
        for level in ("HTXS", "HTT", "HTNV", "KHT", "KXL"):
            total[level] += group.counts.count(level)
    return {level: n for level, n in total.items() if n}


def test_the_summary_follows_publication_appeal_lock_and_reopening(world):
    period = open_year(world)
    ready(period, {evaluation_of(period, world.alice).pk: D(88)})
    cycle.period_propose(actor=world.users["olga"], period=period)
    cycle.evaluations_accept_all(actor=world.users["tam"], period=period)
    assert not PeriodCount.objects.exists()
    cycle.period_publish(actor=world.users["tam"], period=period)
    period.refresh_from_db()
    assert period.counted
    before = _levels(period)
    assert _reported(world) == before

    alice = evaluation_of(period, world.alice)
    appeal = appeals.appeal_file(actor=world.users["alice"], evaluation=alice, text="Đề nghị")
    appeals.appeal_reexamine(actor=world.users["olga"], appeal=appeal, note="Xem xét lại")
    appeals.appeal_decide(actor=world.users["tam"], appeal=appeal, level="HTNV", reason="Trễ hạn")
    after = _levels(period)
    assert after["HTNV"] == before.get("HTNV", 0) + 1
    assert _reported(world) == after

    appeal_window_passes(period)
    cycle.period_lock(actor=world.users["tam"], period=period)
    period.refresh_from_db()
    assert period.counted and _levels(period) == after

    cycle.period_reopen(actor=world.users["tam"], period=period, reason="Kháng nghị của UBKT")
    period.refresh_from_db()
    assert not period.counted
    assert not PeriodCount.objects.filter(period=period).exists()
    assert distribution_report(unit=world.q1, year=2026).is_empty
