"""The dashboard's data: the map's shades, the tiles of child units and the charts' figures."""

from __future__ import annotations

from fractions import Fraction

import pytest

from tests.conftest import World
from tests.reports.conftest import (
    LEADER_COUNTS,
    PARTY_COUNTS,
    import_as,
    month_scores,
    workbook_bytes,
)
from thuocdo.reports.common.selectors import distribution_report
from thuocdo.reports.dashboard.charts import SHADES, dashboard_data, shade_of


@pytest.mark.parametrize(
    ("share", "shade"),
    [
        (None, None),
        (Fraction(0), 0),
        (Fraction(9, 100), 0),
        (Fraction(1, 10), 1),
        (Fraction(149, 1000), 1),
        (Fraction(3, 20), 2),
        (Fraction(1, 5), 2),  # exactly the quota is within it
        (Fraction(201, 1000), 3),
        (Fraction(3, 10), 4),
        (Fraction(1), 4),
    ],
)
def test_the_shade_of_a_share(share: Fraction | None, shade: int | None) -> None:
    assert shade_of(share) == shade


def test_the_charts_carry_the_report_figures(can_tho: World) -> None:
    data = dashboard_data(report=distribution_report(unit=can_tho.city, year=2021))
    groups = {g["code"]: g for g in data.chart["groups"]}
    party = groups["party_member"]
    assert party["total"] == sum(PARTY_COUNTS.values())
    assert party["counts"]["HTXS"] == PARTY_COUNTS["HTXS"]
    assert party["shares"]["HTNV"] == 4.07
    assert party["shares"]["KHT"] == 0.34
    assert groups["leader"]["counts"]["HTXS"] == LEADER_COUNTS["HTXS"]
    assert data.chart["quota"] == 20.0


def test_the_map_shows_the_child_units_of_the_focused_group(can_tho: World) -> None:
    data = dashboard_data(report=distribution_report(unit=can_tho.city, year=2021), group="leader")
    assert data.focus is not None and data.focus.group == "leader"
    codes = [tile.unit.code for tile in data.tiles]
    # The city's own leaders are its own line, not a child unit's tile.
    assert sorted(codes) == ["Q1", "Q2"]
    # Tiles run from the largest subtree down.
    totals = [tile.counts.total for tile in data.tiles]
    assert totals == sorted(totals, reverse=True)
    for tile in data.tiles:
        assert tile.colour == SHADES[shade_of(tile.counts.excellent_of_good) or 0]
        assert tile.over_quota == (tile.counts.htxs > tile.counts.good_or_better // 5)
    assert data.chart["units"]["codes"] == codes


def test_the_focus_falls_to_the_first_group_and_a_unknown_group_shows_no_map(world: World) -> None:
    rows = [
        ["CB-A", "", "P1", 2021, "Đảng viên", "HTXS"],
        ["CB-B", "", "P2", 2021, "Đảng viên", "HTT"],
    ]
    import_as(world, "root", workbook_bytes(rows))
    data = dashboard_data(report=distribution_report(unit=world.city, year=2021))
    assert data.focus is not None and data.focus.group == "party_member"
    shares = {tile.unit.code: tile.shade for tile in data.tiles}
    assert shares == {"Q1": 4, "Q2": 0}
    assert (
        dashboard_data(
            report=distribution_report(unit=world.city, year=2021), group="collective"
        ).tiles
        == []
    )


def test_a_month_has_no_quota_line(world: World) -> None:
    month_scores(world, {world.alice: "HTXS", world.bob: "HTT"})
    data = dashboard_data(report=distribution_report(unit=world.city, year=2026, month=11))
    assert data.focus is not None and data.focus.group == "monthly"
    assert data.chart["quota"] is None
    assert [tile.unit.code for tile in data.tiles] == ["Q1", "Q2"]
