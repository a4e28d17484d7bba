"""Reads of periods and monthly scores, through the actor's scope."""

from __future__ import annotations

import calendar
import datetime
import math
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from thuocdo.org.models import Person, Post, Unit
from thuocdo.org.scope import people_q, scope_for, units_q
from thuocdo.reviews.annual.selectors import evaluation_scope_q
from thuocdo.reviews.models import (
    AssessmentSource,
    Evaluation,
    MonthlyAssessment,
    MonthlyScore,
    Period,
    PeriodKind,
)
from thuocdo.reviews.monthly.scoring import MonthComputation, Scale, month_compute, scale_of
from thuocdo.rules import load_ruleset
from thuocdo.work.selectors import task_items_for_month

LEVELS = ("HTXS", "HTT", "HTNV", "KHT")


def period_list(*, actor: Any) -> QuerySet[Period]:
    """Periods over units the actor may see, and year periods holding an evaluation the actor
    may see (a person sees the district's year, in which they are evaluated)."""
    scope = scope_for(actor)
    visible = Unit.objects.filter(units_q(scope)).values("pk")
    own = Evaluation.objects.filter(evaluation_scope_q(scope), period=OuterRef("pk"))
    return Period.objects.filter(Q(unit__in=visible) | Q(Exists(own))).select_related("unit")


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


BOARD_STATES = {"da-quyet-dinh": "Thủ trưởng đã quyết định", "chua-quyet-dinh": "Chưa quyết định"}


@dataclass(frozen=True)
class BoardFilter:
    """What the month board shows: a unit's subtree (by code), a state, a level, a name."""

    unit: str = ""
    state: str = ""
    level: str = ""
    text: str = ""

    @classmethod
    def of(cls, query: Any) -> BoardFilter:
        return cls(
            unit=query.get("don-vi", "").strip()[:60],
            state=query.get("trang-thai", "") if query.get("trang-thai") in BOARD_STATES else "",
            level=query.get("muc", "").strip()[:4],
            text=query.get("tim", "").strip()[:100],
        )

    def apply(self, scores: QuerySet[MonthlyScore]) -> QuerySet[MonthlyScore]:
        if self.unit:
            unit = Unit.objects.filter(code=self.unit).first()
            scores = scores.filter(unit__path__startswith=unit.path) if unit else scores.none()
        if self.state:
            scores = scores.filter(decided_by__isnull=self.state == "chua-quyet-dinh")
        if self.level:
            scores = scores.filter(level=self.level)
        if self.text:
            scores = scores.filter(person__full_name__icontains=self.text)
        return scores

    def query(self) -> str:
        """The filter as a query string, for the pages' links."""
        pairs = {"don-vi": self.unit, "trang-thai": self.state, "muc": self.level}
        return urlencode({k: v for k, v in {**pairs, "tim": self.text}.items() if v})


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


DEFAULT_MONTH_RULESET = "nd-335-2025"


@dataclass(frozen=True)
class MonthPreview:
    """A person's month so far: the score as it stands, and the stored result if any."""

    computation: MonthComputation
    scale: Scale
    period: Period | None
    stored: MonthlyScore | None

    @property
    def parts(self) -> list[tuple[str, Decimal]]:
        """The stacked bar: general criteria, then each third of the result points."""
        third = self.scale.results / 3
        r = self.computation.results
        return [
            ("Tiêu chí chung", self.computation.general),
            ("Khối lượng", (third * r.quantity).quantize(Decimal("0.01"))),
            ("Chất lượng", (third * r.quality).quantize(Decimal("0.01"))),
            ("Tiến độ", (third * r.timeliness).quantize(Decimal("0.01"))),
        ]


def period_for(person: Person, year: int, month: int) -> Period | None:
    """The deepest monthly period covering one of the person's units in that month."""
    end = datetime.date(year, month, calendar.monthrange(year, month)[1])
    paths = list(
        Post.objects.active(end).filter(person=person).values_list("unit__path", flat=True)
    )
    candidates = Period.objects.filter(
        kind=PeriodKind.MONTH, year=year, number=month
    ).select_related("unit")
    covering = [p for p in candidates if any(path.startswith(p.unit.path) for path in paths)]
    return max(covering, key=lambda p: len(p.unit.path), default=None)


def month_preview(person: Person, year: int, month: int) -> MonthPreview:
    """Score the person's month as it stands now (nothing is written)."""
    period = period_for(person, year, month)
    scale = scale_of(period.ruleset if period else DEFAULT_MONTH_RULESET)
    rows = task_items_for_month(person, year, month)
    items = [(task.pk, task.title, item) for task, item in rows]
    assessments = (
        {a.source: a for a in MonthlyAssessment.objects.filter(period=period, person=person)}
        if period
        else {}
    )
    chosen = assessments.get(AssessmentSource.LEADER) or assessments.get(AssessmentSource.SELF)
    source = (
        "lãnh đạo trực tiếp chấm"
        if AssessmentSource.LEADER in assessments
        else "tự chấm (lãnh đạo chưa chấm)"
        if chosen
        else "chưa chấm"
    )
    computation = month_compute(
        scale=scale,
        items=items,
        general=chosen.general if chosen else None,
        general_source=source,
        bonus=chosen.bonus if chosen and chosen.source == AssessmentSource.LEADER else Decimal(0),
        deductions=chosen.deductions if chosen else Decimal(0),
    )
    stored = MonthlyScore.objects.filter(period=period, person=person).first() if period else None
    return MonthPreview(computation, scale, period, stored)


def level_labels(period: Period) -> dict[str, str]:
    """How the period's rule-set names the levels (Hà Nội 3814: Loại A, B, C, D)."""
    return dict(load_ruleset(period.ruleset).level_labels)
