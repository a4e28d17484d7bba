"""The demo city's past years: every subject once per group and year, a lenient district, and a
district kept at the quota limit."""

from __future__ import annotations

import datetime

import pytest

from thuocdo.audit.models import AuditEvent
from thuocdo.demo.history import (
    AT_LIMIT_UNIT,
    LENIENT_DISTRICT,
    DemoHistoryError,
    demo_history_build,
)
from thuocdo.demo.registry import demo_build
from thuocdo.org.models import Unit
from thuocdo.reports.common.levels import LevelCounts, quota_check
from thuocdo.reports.common.selectors import distribution_report
from thuocdo.reports.models import HistoricalResult

TODAY = datetime.date(2026, 12, 1)


@pytest.fixture
def history(db: None) -> dict[str, int]:
    """A small demo city with its three past years."""
    demo_build(people=1500, seed=2026)
    return demo_history_build(seed=2026, today=TODAY)


def test_it_writes_three_years_before_this_one(history: dict[str, int]) -> None:
    years = sorted(set(HistoricalResult.objects.values_list("year", flat=True)))
    assert years == [2023, 2024, 2025]
    assert HistoricalResult.objects.count() == history["history"]


def test_every_unit_is_a_collective_once_a_year(history: dict[str, int]) -> None:
    collectives = HistoricalResult.objects.filter(year=2025, group="collective")
    assert collectives.count() == Unit.objects.count()


def test_a_subject_appears_once_per_group_and_year(history: dict[str, int]) -> None:
    rows = HistoricalResult.objects.filter(year=2024).values_list("subject_code", "group")
    assert len(rows) == len(set(rows))


def test_a_party_member_who_is_a_civil_servant_is_counted_in_both_groups(
    history: dict[str, int],
) -> None:
    row = HistoricalResult.objects.filter(
        year=2025, group="civil_servant", person__is_party_member=True
    ).first()
    assert row is not None
    assert HistoricalResult.objects.filter(
        year=2025, group="party_member", subject_code=row.subject_code
    ).exists()


def test_the_lenient_district_rates_far_more_people_excellent(history: dict[str, int]) -> None:
    city = Unit.objects.get(code="TP")
    report = distribution_report(unit=city, year=2025, group="party_member")
    rows = {row.unit.code: row.counts for row in report.groups[0].rows if not row.own}
    lenient = rows.pop(LENIENT_DISTRICT).excellent_of_good
    others = [counts.excellent_of_good for counts in rows.values() if counts.total >= 20]
    assert lenient is not None and others
    assert all(share is not None and lenient > 2 * share for share in others)


def test_the_district_at_the_limit_has_exactly_the_quota_every_year(
    history: dict[str, int],
) -> None:
    district = Unit.objects.get(code=AT_LIMIT_UNIT)
    for year in (2023, 2024, 2025):
        levels = HistoricalResult.objects.filter(
            year=year, unit__path__startswith=district.path, group="party_member"
        )
        counts = LevelCounts.of({lv: levels.filter(level=lv).count() for lv in ("HTXS", "HTT")})
        check = quota_check(counts)
        assert check.base >= 10  # enough people for the limit to mean something
        assert counts.htxs == check.limit


def test_it_is_audited_and_refuses_to_run_twice(history: dict[str, int]) -> None:
    assert AuditEvent.objects.filter(action="demo.history_build").count() == 1
    with pytest.raises(DemoHistoryError):
        demo_history_build(seed=2026, today=TODAY)
    assert HistoricalResult.objects.count() == history["history"]
