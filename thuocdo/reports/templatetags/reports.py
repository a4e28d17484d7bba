"""Template filters of reports: counts and shares the Vietnamese way (49.463; 18,43%)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import template

from thuocdo.reports.common.levels import LevelCounts, vn_share
from thuocdo.rules.fmt import vn_number

register = template.Library()


@register.filter
def vn_count(value: int) -> str:
    """A count with dot thousands (49.463)."""
    return vn_number(int(value))


@register.filter
def share_of(counts: LevelCounts, level: str) -> str:
    """One level over the total classified (4,07%)."""
    return vn_share(counts.share(level))


@register.filter
def good_share(counts: LevelCounts) -> str:
    """HTT or better over the total classified (95,6%)."""
    return vn_share(counts.good_or_better_share)


@register.filter
def excellent_share(counts: LevelCounts) -> str:
    """HTXS over HTT or better (18,43%)."""
    return vn_share(counts.excellent_of_good)


@register.filter
def level_count(counts: LevelCounts, level: str) -> str:
    """The count of one level, formatted."""
    return vn_number(counts.count(level))


@register.simple_tag
def with_unit(query: Any, code: str) -> str:
    """The query string of the same report for another unit (drill-down, breadcrumbs)."""
    return urlencode({**query.params, "unit": code})
