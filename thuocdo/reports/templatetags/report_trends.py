"""Template filters of the trends and positions pages: scores, changes of share, cells."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from django import template

from thuocdo.reports.common.levels import LevelCounts, vn_share
from thuocdo.reports.trends.figures import vn_points
from thuocdo.rules.fmt import vn_score

register = template.Library()


@register.filter
def vn_mean(value: Decimal | None) -> str:
    """A score or a mean score the Vietnamese way (87,5; 85,17), or a dash."""
    return vn_score(value) if value is not None else "—"


@register.filter
def vn_change(change: Fraction | None) -> str:
    """A change of share in signed percentage points (+12,5 điểm %)."""
    return vn_points(change)


@register.filter
def cell_share(counts: LevelCounts, kind: str) -> str:
    """A matrix cell: "excellent" (HTXS over HTT or better) or "good" (HTT or better)."""
    if not counts.total:
        return "—"
    ratio = counts.excellent_of_good if kind == "excellent" else counts.good_or_better_share
    return vn_share(ratio)
