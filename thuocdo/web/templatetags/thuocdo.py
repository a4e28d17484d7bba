"""Template helpers shared by every page: level badges and percentages."""

from __future__ import annotations

import datetime
from decimal import Decimal
from fractions import Fraction

from django import template
from django.template.defaultfilters import floatformat
from django.utils.html import format_html
from django.utils.safestring import SafeString

from thuocdo.reviews.annual.tracks import RATINGS
from thuocdo.reviews.monthly.explain import explanation_missing
from thuocdo.web import words

register = template.Library()

LEVEL_NAMES = {
    "HTXS": "Hoàn thành xuất sắc nhiệm vụ",
    "HTT": "Hoàn thành tốt nhiệm vụ",
    "HTNV": "Hoàn thành nhiệm vụ",
    "KHT": "Không hoàn thành nhiệm vụ",
    "KXL": "Không xếp loại",
}


@register.filter
def missing(explanation: dict[str, object]) -> list[str]:
    """What a monthly score still lacked when it was computed, in words."""
    return explanation_missing(explanation)


@register.filter
def level(code: str) -> SafeString:
    """A level badge: same colour and words everywhere, the full phrase on hover."""
    name = LEVEL_NAMES.get(code, code)
    return format_html('<span class="level level-{}" title="{}">{}</span>', code, name, code)


@register.filter
def level_name(code: str) -> str:
    """The full Vietnamese name of a level."""
    return LEVEL_NAMES.get(code, code)


@register.filter
def rating(code: str) -> str:
    """The Vietnamese name of a criterion group's rating (QĐ 124, NĐ 90)."""
    return RATINGS.get(code, code or "—")


@register.filter
def label_of(labels: dict[str, str], code: str) -> str:
    """A level's name in the rule-set's own words (Hà Nội 3814: Loại A … D)."""
    return labels.get(code, "") if isinstance(labels, dict) else ""


@register.filter
def percent(ratio: Decimal | Fraction | float | str | None, digits: int = 1) -> str:
    """A ratio (0.956, or an exact Fraction) as a Vietnamese percentage (95,6%)."""
    if ratio is None or ratio == "":
        return "—"
    if isinstance(ratio, Fraction):
        value = Decimal(ratio.numerator) / Decimal(ratio.denominator)
    else:
        value = Decimal(str(ratio))
    return f"{floatformat(value * 100, digits)}%"


@register.filter
def num(value: Decimal | Fraction | int | float | str | None) -> str:
    """A number without exponent, the Vietnamese way (70; 2,5)."""
    return words.number(value)


@register.filter
def days_until(start: datetime.date, end: datetime.date) -> str:
    """The days between two dates in Vietnamese ("3 ngày")."""
    return words.days_between(start, end)


@register.filter
def rule_label(rule_id: str, ruleset_id: str = "") -> str:
    """A rule's label in its rule-set (``step.rule|rule_label:ev.ruleset``), never its id."""
    return words.rule_label(rule_id, ruleset_id)


@register.filter
def ruleset_name(ruleset_id: str) -> str:
    """A rule-set's title, never its id."""
    return words.ruleset_name(ruleset_id)


@register.filter
def quota_group(key: str) -> str:
    """A quota group key in words."""
    return words.quota_group(key)


@register.filter
def position_name(code: str) -> str:
    """A duty group or position code in words."""
    return words.position(code)


@register.filter
def equivalent_position(evaluation: object) -> str:
    """What a published result is ranked among, in words (a collective: its kind of unit)."""
    return words.equivalent_position(evaluation)


@register.filter
def unit_full(unit: object) -> str:
    """A unit's name with its parent's."""
    return words.unit_name(unit)
