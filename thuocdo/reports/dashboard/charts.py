"""The reports dashboard ("Tổng quan"): the distribution of a subtree's year drawn as charts,
and the map of its units shaded by their share of HTXS.

Everything is read from `distribution_report`, so the pictures and the tables agree to the
last digit. The chart data is plain JSON for the vendored Chart.js; each picture also has its
table, so nothing depends on JavaScript or on colour alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from thuocdo.org.models import Unit
from thuocdo.reports.common.levels import ALL_LEVELS, QUOTA_RATE, LevelCounts, rounded_percent
from thuocdo.reports.common.selectors import DistributionReport, GroupReport

LEVEL_COLOURS = {
    # The level colours of the whole site (static/thuocdo/app.css).
    "HTXS": "#1a5fb4",
    "HTT": "#1c7c4a",
    "HTNV": "#c64600",
    "KHT": "#a51d2d",
    "KXL": "#77767b",
}
# Upper bounds of the map's shades of HTXS over "HTT or better", in percent; the 20% quota is a
# bound, so a unit above it never shares a shade with one within it. A sequential blue scale
# (ColorBrewer "Blues", its fourth shade from the 7-class scale so that white text keeps 4.5:1)
# reads the same for colour-blind readers.
SHADE_BOUNDS = (Fraction(1, 10), Fraction(3, 20), QUOTA_RATE, Fraction(3, 10))
SHADES = ("#eff3ff", "#bdd7e7", "#6baed6", "#2171b5", "#08519c")
SHADE_LABELS = ("dưới 10%", "10% – dưới 15%", "15% – 20%", "trên 20% – 30%", "trên 30%")


def shade_of(share: Fraction | None) -> int | None:
    """The map shade (0–4) of an HTXS share; None when nobody was rated HTT or better."""
    if share is None:
        return None
    for index, bound in enumerate(SHADE_BOUNDS):
        # 15% – 20% includes 20% itself: the quota allows exactly 20%.
        if share < bound or (bound == QUOTA_RATE and share == bound):
            return index
    return len(SHADE_BOUNDS)


def _percent(ratio: Fraction | None) -> float | None:
    """A share as a percentage with two decimals, for the charts."""
    return float(rounded_percent(ratio)) if ratio is not None else None


@dataclass(frozen=True)
class Tile:
    """One unit on the map: its subtree's counts in the focused group and its shade."""

    unit: Unit
    counts: LevelCounts
    shade: int | None
    over_quota: bool

    @property
    def colour(self) -> str:
        """The tile's background."""
        return SHADES[self.shade] if self.shade is not None else "#f1f1f1"

    @property
    def dark(self) -> bool:
        """True when the text on the tile must be white to stay readable."""
        return self.shade is not None and self.shade >= 3


@dataclass(frozen=True)
class Dashboard:
    """A subtree's year: the report, the group in focus, its map and the charts' data."""

    report: DistributionReport
    focus: GroupReport | None
    tiles: list[Tile]
    chart: dict[str, Any]

    @property
    def legend(self) -> list[tuple[str, str]]:
        """(colour, label) of each shade of the map."""
        return list(zip(SHADES, SHADE_LABELS, strict=True))


def _tiles(focus: GroupReport | None) -> list[Tile]:
    """The child units of the focused group, largest first, each with its shade."""
    if focus is None:
        return []
    tiles = [
        Tile(
            unit=row.unit,
            counts=row.counts,
            shade=shade_of(row.counts.excellent_of_good),
            over_quota=focus.source is not None and row.quota.breached,
        )
        for row in focus.rows
        if not row.own and row.counts.total
    ]
    return sorted(tiles, key=lambda t: (-t.counts.total, t.unit.path))


def _chart(report: DistributionReport, focus: GroupReport | None) -> dict[str, Any]:
    """The data the page's charts draw, as plain JSON."""
    groups = [
        {
            "code": group.group,
            "label": group.label,
            "total": group.counts.total,
            "counts": {level: group.counts.count(level) for level in ALL_LEVELS},
            "shares": {level: _percent(group.counts.share(level)) for level in ALL_LEVELS[:4]},
        }
        for group in report.groups
    ]
    units: dict[str, Any] = {"labels": [], "codes": [], "excellent_of_good": [], "totals": []}
    if focus is not None:
        for row in focus.rows:
            if row.own or not row.counts.total:
                continue
            units["labels"].append(row.unit.name)
            units["codes"].append(row.unit.code)
            units["excellent_of_good"].append(_percent(row.counts.excellent_of_good))
            units["totals"].append(row.counts.total)
    return {
        "year": report.year,
        "levels": list(ALL_LEVELS[:4]),
        "colours": LEVEL_COLOURS,
        "groups": groups,
        "focus": focus.label if focus is not None else None,
        "units": units,
        # The 20% line only where a regulation sets the quota for that group and year.
        "quota": float(QUOTA_RATE * 100) if focus is not None and focus.source else None,
    }


def dashboard_data(*, report: DistributionReport, group: str | None = None) -> Dashboard:
    """The dashboard of a report; the map shows `group`, or the first group known."""
    focus = next((g for g in report.groups if g.group == group), None)
    if focus is None and not group and report.groups:
        focus = report.groups[0]
    return Dashboard(report=report, focus=focus, tiles=_tiles(focus), chart=_chart(report, focus))
