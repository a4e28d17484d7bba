"""Template filters of the leniency page: shares and gaps the Vietnamese way (45%; 0,33 mức)."""

from __future__ import annotations

from fractions import Fraction

from django import template

from thuocdo.reports.common.levels import vn_share
from thuocdo.reports.common.selectors import GROUP_LABELS
from thuocdo.reports.leniency import vn_decimal

register = template.Library()


@register.filter
def ratio(value: Fraction | None) -> str:
    """A share as a percentage (25%; 33,33%), or a dash."""
    return vn_share(value)


@register.filter
def levels(value: Fraction | None) -> str:
    """A mean gap in levels (0,33), or a dash."""
    return vn_decimal(value) if value is not None else "—"


@register.filter
def group_name(code: str) -> str:
    """A subject group's name in Vietnamese (Đảng viên; Công chức)."""
    return GROUP_LABELS.get(code, code)
