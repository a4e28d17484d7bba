"""Trends across years and months, and the comparison of equivalent positions, over a subtree."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.reports.conftest import YEAR
from tests.reports.trend_data import (
    HISTORY,
    PATHS,
    SYSTEM_2025,
    expected_counts,
    expected_mean,
    history_import,
    month_period,
    month_score,
    three_years,
    year_period,
)
from thuocdo.reports.common.levels import LevelCounts, vn_share
from thuocdo.reports.common.selectors import distribution_report
from thuocdo.reports.trends.figures import share_change
from thuocdo.reports.trends.selectors import (
    month_trends,
    month_years,
    trend_years,
    year_trends,
)

D = Decimal


def test_three_years_count_each_level_with_the_system_year_overriding_history(world):
    three_years(world)
    report = year_trends(unit=world.city, group="party_member")
    assert report.years == [2023, 2024, 2025]
    (party,) = report.groups
    for point in party.points:
        assert point.counts == expected_counts(point.year), point.year
        assert point.mean_score == expected_mean(point.year), point.year
        # The same figures as the distribution report of that year.
        same = distribution_report(unit=world.city, year=point.year, group="party_member")
        assert point.counts == same.groups[0].counts
    # Q1's 2025 history (two KHT) is left out: the published period is the record there.
    assert party.points[2].counts.kht == 0
    assert year_trends(unit=world.city, group="collective").is_empty
    assert (report.evaluated, report.imported) == (
        len(SYSTEM_2025),
        len([r for r in HISTORY if not (r[2] == 2025 and PATHS[r[1]] == "Q1")]),
    )


def test_the_matrix_shows_each_district_per_year_and_its_drift(world):
    three_years(world)
    party = year_trends(unit=world.city, group="party_member").groups[0]
    assert [line.unit.code for line in party.units] == ["Q1", "Q2"]
    for line in party.units:
        district = line.unit.code
        for year, cell in zip(party.years, line.cells, strict=True):
            assert cell == expected_counts(year, district)
        known = [c for c in line.cells if c.good_or_better]
        assert line.excellent_change == share_change(
            first=known[0].excellent_of_good, last=known[-1].excellent_of_good
        )
    q1, q2 = party.units
    assert q1.excellent_change is not None and q1.excellent_change > 0  # Q1 drifts upward
    assert q2.excellent_change is not None and q2.excellent_change < 0
    # The lines of the matrix add up to the year's total.
    for index, point in enumerate(party.points):
        assert sum((line.cells[index] for line in party.units), LevelCounts()) == point.counts


def test_a_range_of_years_and_a_period_not_yet_published(world):
    period = three_years(world)
    only = year_trends(unit=world.city, first=2024, last=2024)
    assert only.years == [2024]
    assert only.groups[0].points[0].counts == expected_counts(2024)
    period.state = "conclusion"
    period.save()
    again = year_trends(unit=world.q1, group="party_member").groups[0]
    # Not published: the 2025 history of Q1 counts again and the system's results do not.
    history_2025 = Counter(lv for _, u, y, lv, _ in HISTORY if y == 2025 and PATHS[u] == "Q1")
    assert again.points[-1].counts == LevelCounts.of(history_2025)


def test_the_unit_own_subjects_have_a_line_and_quota_flags_follow_the_regulation(world):
    history_import(world, [("H1", "Q1", 2021, "HTXS", None), ("H2", "P1", 2021, "HTT", None)])
    party = year_trends(unit=world.q1).groups[0]
    assert [(line.unit.code, line.own) for line in party.units] == [("P1", False), ("Q1", True)]
    (point,) = party.points
    assert point.flagged and point.source == "Quy định 132-QĐ/TW; Hướng dẫn 21-HD/BTCTW"
    assert point.mean_score is None and point.scored == 0


def test_years_are_read_in_a_fixed_number_of_queries(world):
    three_years(world)
    year_period(world, 2022, world.q2)
    with CaptureQueriesContext(connection) as one:
        year_trends(unit=world.city)
    history_import(world, [(f"N{y}", "P2", y, "HTT", None) for y in range(2010, 2020)])
    with CaptureQueriesContext(connection) as many:
        year_trends(unit=world.city)
    assert len(many) == len(one) <= 4


def test_trend_years_are_those_with_results_in_the_subtree(world):
    three_years(world)
    year_period(world, 2030, world.q2)  # published but without anyone in Q1
    assert trend_years(unit=world.q1) == [2023, 2024, 2025]
    assert trend_years(unit=world.q2) == [2023, 2024, 2025]


def test_months_count_levels_mean_totals_and_the_head_changes(world):
    march, april = month_period(world, 3, world.q1), month_period(world, 4, world.q1)
    scores = [
        (march, world.alice, D(95), "HTXS", None),
        (march, world.carol, D(72), "HTT", "HTNV"),  # the head lowered it
        (march, world.lena, D(88), "HTT", None),
        (april, world.alice, D(91), "HTXS", None),
        (april, world.carol, D(69), "HTNV", "HTT"),  # raised
    ]
    for period, person, total, proposed, level in scores:
        month_score(period, person, total, proposed, level)
    bob = month_period(world, 3, world.q2)
    month_score(bob, world.bob, D(40), "KHT")  # another district: not counted
    report = month_trends(unit=world.q1, year=2026)
    assert [m.label for m in report.months] == ["Tháng 03", "Tháng 04"]
    for point, period in zip(report.months, (march, april), strict=True):
        mine = [s for s in scores if s[0] == period]
        assert point.counts == LevelCounts.of(Counter(lv or pr for *_, pr, lv in mine))
        assert point.mean_total == (sum((s[2] for s in mine), D(0)) / len(mine)).quantize(D("0.01"))
    assert (report.months[0].lowered, report.months[0].raised) == (1, 0)
    assert (report.months[1].lowered, report.months[1].raised) == (0, 1)
    assert [q.label for q in report.quarters] == ["Quý 1", "Quý 2"]
    assert report.whole.counts == report.months[0].counts + report.months[1].counts
    assert [line.label for line in report.lines] == ["Tháng 03", "Quý 1", "Tháng 04", "Quý 2"]
    assert report.labels["HTXS"].startswith("Loại A")
    assert month_years(unit=world.q1) == [2026]
    assert month_trends(unit=world.q1, year=2025).is_empty


def test_a_quarter_line_adds_the_quarterly_periods(world):
    month_score(month_period(world, 1, world.q1), world.alice, D(90), "HTXS")
    quarter = month_period(world, 1, world.q1, kind="quarter", ruleset="nd-335-2025")
    month_score(quarter, world.carol, D(70), "HTT")
    report = month_trends(unit=world.city, year=2026)
    (q1,) = report.quarters
    assert q1.counts == LevelCounts(htxs=1, htt=1)
    assert q1.mean_total == D("80.00")
    assert report.labels == {}  # two rule-sets: no single naming of levels


def test_the_can_tho_history_reads_the_same_as_a_trend(can_tho):
    trends = year_trends(unit=can_tho.city)
    party, leaders = trends.groups
    (point,) = party.points
    assert (point.year, point.counts.total) == (YEAR, 49463)
    assert vn_share(point.counts.good_or_better_share) == "95,6%"
    assert vn_share(point.counts.excellent_of_good) == "18,43%"
    assert (vn_share(point.counts.share("HTNV")), vn_share(point.counts.share("KHT"))) == (
        "4,07%",
        "0,34%",
    )
    assert not point.flagged and leaders.points[0].flagged  # 434 of 1.224 leaders: over 20%
