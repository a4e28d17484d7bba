"""Reads of periods and monthly scores, through the actor's scope."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from thuocdo.org.models import Person, Unit
from thuocdo.org.scope import people_q, scope_for, units_q
from thuocdo.reviews.models import MonthlyScore, Period
from thuocdo.rules import load_ruleset

LEVELS = ("HTXS", "HTT", "HTNV", "KHT")


def period_list(*, actor: Any) -> QuerySet[Period]:
    """Periods over units the actor may see."""
    visible = Unit.objects.filter(units_q(scope_for(actor))).values("pk")
    return Period.objects.filter(unit__in=visible).select_related("unit")


def access_period(actor: Any, period_id: int) -> Period:
    """The period if its unit is visible to the actor; 404 otherwise."""
    try:
        return period_list(actor=actor).get(pk=period_id)
    except Period.DoesNotExist:
        raise Http404("Không tìm thấy kỳ đánh giá.") from None


def score_list(*, actor: Any, period: Period) -> QuerySet[MonthlyScore]:
    """Scores of the period for the people the actor may see, by unit then name."""
    visible = Person.objects.filter(people_q(scope_for(actor))).values("pk")
    return (
        MonthlyScore.objects.filter(period=period, person__in=visible)
        .select_related("person", "unit", "decided_by")
        .order_by("unit__path", "person__sort_key")
    )


def access_score(actor: Any, score_id: int) -> MonthlyScore:
    """One score if its person is visible to the actor; 404 otherwise."""
    visible = Person.objects.filter(people_q(scope_for(actor))).values("pk")
    try:
        return MonthlyScore.objects.select_related("person", "unit", "period__unit").get(
            pk=score_id, person__in=visible
        )
    except MonthlyScore.DoesNotExist:
        raise Http404("Không tìm thấy kết quả.") from None


@dataclass(frozen=True)
class UnitCap:
    """The monthly cap gauge of one unit: how many A, out of how many allowed."""

    unit: Unit
    classified: int
    excellent: int
    limit: int
    rate: Decimal


@dataclass(frozen=True)
class Board:
    """A period's board: level counts and, under Hà Nội 3814, each unit's cap gauge."""

    counts: dict[str, int]
    total: int
    caps: list[UnitCap]


def period_board(scores: list[MonthlyScore], period: Period) -> Board:
    """Distribution of levels and the per-unit cap gauges of the scores shown."""
    counts = Counter(s.level for s in scores)
    ruleset = load_ruleset(period.ruleset)
    caps: list[UnitCap] = []
    if any(rule.id == "monthly-cap" for rule in ruleset.rules):
        options = {**ruleset.option_defaults(), **period.options}
        by_unit: dict[int, list[MonthlyScore]] = {}
        for s in scores:
            by_unit.setdefault(s.unit_id, []).append(s)
        for unit_scores in by_unit.values():
            unit = unit_scores[0].unit
            key = "outstanding_cap_rate" if unit.code in options["outstanding_groups"] else None
            rate = Decimal(str(options[key or "monthly_cap_rate"]))
            classified = sum(1 for s in unit_scores if s.level != "KXL")
            excellent = sum(1 for s in unit_scores if s.level == "HTXS")
            caps.append(UnitCap(unit, classified, excellent, math.floor(rate * classified), rate))
    return Board({lv: counts.get(lv, 0) for lv in LEVELS}, len(scores), caps)
