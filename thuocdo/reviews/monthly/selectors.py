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

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404

from thuocdo.org.models import Person, Unit
from thuocdo.org.permissions import access_unit
from thuocdo.org.scope import people_q, scope_for, today, units_q
from thuocdo.reviews.annual.selectors import evaluation_scope_q
from thuocdo.reviews.models import (
    AssessmentSource,
    Evaluation,
    MonthlyAssessment,
    MonthlyScore,
    Period,
    PeriodState,
)
from thuocdo.reviews.monthly.access import anchor_paths, periods_above_q
from thuocdo.reviews.monthly.explain import missing_words
from thuocdo.reviews.monthly.opening import ancestor_ids, period_of_person
from thuocdo.reviews.monthly.scoring import MonthComputation, Scale, month_compute, scale_of
from thuocdo.rules import load_ruleset
from thuocdo.work.models import TaskState
from thuocdo.work.selectors import task_items_for_month

LEVELS = ("HTXS", "HTT", "HTNV", "KHT")


def period_list(*, actor: Any) -> QuerySet[Period]:
    """Periods over units the actor may see; monthly and quarterly periods opened over an
    ancestor of the actor's units (the city's month is everyone's month in it); and year
    periods holding an evaluation the actor may see (a person sees the district's year, in
    which they are evaluated)."""
    scope = scope_for(actor)
    if scope.is_empty:
        return Period.objects.none()
    visible = Unit.objects.filter(units_q(scope)).values("pk")
    own = Evaluation.objects.filter(evaluation_scope_q(scope), period=OuterRef("pk"))
    return Period.objects.filter(
        Q(unit__in=visible) | periods_above_q(scope) | Q(Exists(own))
    ).select_related("unit")


def access_period(actor: Any, period_id: int) -> Period:
    """The period if its unit is visible to the actor; 404 otherwise."""
    try:
        return period_list(actor=actor).get(pk=period_id)
    except Period.DoesNotExist:
        raise Http404("Không tìm thấy kỳ đánh giá.") from None


def score_list(*, actor: Any, period: Period, unit: Unit | None = None) -> QuerySet[MonthlyScore]:
    """Scores of the period for the people the actor may see (in a unit's subtree if given),
    by unit then name."""
    visible = Person.objects.filter(people_q(scope_for(actor))).values("pk")
    scores = MonthlyScore.objects.filter(period=period, person__in=visible)
    if unit is not None:
        scores = scores.filter(unit__path__startswith=unit.path)
    return scores.select_related("person", "unit", "decided_by__person").order_by(
        "unit__path", "person__sort_key"
    )


NOT_SCORED = "chua-cham-diem"  # the state of the board the organiser's progress links to
BOARD_STATES = {
    "da-quyet-dinh": "Thủ trưởng đã quyết định",
    "chua-quyet-dinh": "Chưa quyết định",
    NOT_SCORED: "Lãnh đạo trực tiếp chưa chấm điểm",
}


@dataclass(frozen=True)
class BoardFilter:
    """What the month board shows of its unit (``board_unit``, by number in ``don-vi``):
    a state, a level, a name."""

    unit: str = ""
    state: str = ""
    level: str = ""
    text: str = ""

    @classmethod
    def of(cls, query: Any, unit: Unit) -> BoardFilter:
        return cls(
            unit=str(unit.pk),
            state=query.get("trang-thai", "") if query.get("trang-thai") in BOARD_STATES else "",
            level=query.get("muc", "").strip()[:4],
            text=query.get("tim", "").strip()[:100],
        )

    @property
    def narrowed(self) -> bool:
        """Whether a state, level or name narrows the board."""
        return bool(self.state or self.level or self.text)

    def apply(self, scores: QuerySet[MonthlyScore]) -> QuerySet[MonthlyScore]:
        if self.state == NOT_SCORED:
            scored = MonthlyAssessment.objects.filter(
                period=OuterRef("period_id"),
                person=OuterRef("person_id"),
                source=AssessmentSource.LEADER,
            )
            scores = scores.exclude(Exists(scored))
        elif self.state:
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


def board_unit(actor: Any, period: Period, unit_id: str | None) -> Unit:
    """The unit a board of the period shows: the one asked for (visible and inside the
    period), else the actor's own (the unit they lead, the subtree they head or organise, the
    unit of their post), else the period's."""
    if unit_id:
        unit = access_unit(actor, unit_id)
        if not unit.path.startswith(period.unit.path):
            raise Http404("Đơn vị không thuộc kỳ đánh giá này.")
        return unit
    scope = scope_for(actor)
    if scope.everything or any(period.unit.path.startswith(p) for p in scope.subtree_paths):
        return period.unit
    for path in anchor_paths(scope):
        if path.startswith(period.unit.path):
            return Unit.objects.get(pk=ancestor_ids(path)[-1])
    return period.unit


def board_children(actor: Any, unit: Unit) -> QuerySet[Unit]:
    """The visible units right under a board's unit, to narrow the board to one of them."""
    return Unit.objects.filter(units_q(scope_for(actor)), parent=unit).order_by("name")


def board_parent(actor: Any, unit: Unit) -> Unit | None:
    """The unit above a board's unit if the actor may see it (a head of a ward does not see
    the district): the board's way up, never a link to a page that answers 404."""
    if unit.parent_id is None:
        return None
    return Unit.objects.filter(units_q(scope_for(actor)), pk=unit.parent_id).first()


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
    # An outstanding unit's ceiling is guidance over all its staff (Hà Nội 3814, "không nên
    # vượt quá 40% tổng số", DESIGN §4.7.7): exceeding it warns, nothing is refused.
    advisory: bool = False

    @property
    def over(self) -> bool:
        """More A than the ceiling (for an outstanding unit, a warning)."""
        return self.excellent > self.limit


@dataclass(frozen=True)
class Board:
    """A period's board: level counts (with the provisional ones), and under Hà Nội 3814 each
    unit's cap gauge."""

    counts: dict[str, int]
    total: int
    caps: list[UnitCap]
    provisional: int = 0


def period_board(scores: QuerySet[MonthlyScore], period: Period) -> Board:
    """Distribution of levels and the per-unit cap gauges of the scores shown (counted in the
    database: a city's board holds hundreds of thousands of scores)."""
    counts = {
        row["level"]: row["n"] for row in scores.order_by().values("level").annotate(n=Count("id"))
    }
    ruleset = load_ruleset(period.ruleset)
    caps: list[UnitCap] = []
    if any(rule.id == "monthly-cap" for rule in ruleset.rules):
        options = {**ruleset.option_defaults(), **period.options}
        per_unit = (
            scores.order_by()
            .values("unit")
            .annotate(
                everyone=Count("id"),
                classified=Count("id", filter=~Q(level="KXL")),
                excellent=Count("id", filter=Q(level="HTXS")),
            )
        )
        units = Unit.objects.in_bulk([row["unit"] for row in per_unit])
        for row in per_unit:
            unit = units[row["unit"]]
            # An outstanding unit's 40% is guidance over all its staff (DESIGN §4.7.7).
            outstanding = unit.code in options["outstanding_groups"]
            rate = Decimal(
                str(options["outstanding_cap_rate" if outstanding else "monthly_cap_rate"])
            )
            base = row["everyone"] if outstanding else row["classified"]
            caps.append(
                UnitCap(
                    unit,
                    base,
                    row["excellent"],
                    math.floor(rate * base),
                    rate,
                    advisory=outstanding,
                )
            )
        caps.sort(key=lambda c: c.unit.path)
    return Board(
        {lv: counts.get(lv, 0) for lv in LEVELS},
        sum(counts.values()),
        caps,
        counts.get("", 0),
    )


DEFAULT_MONTH_RULESET = "nd-335-2025"


@dataclass(frozen=True)
class MonthPreview:
    """A person's month so far: the score as it stands, the stored result if any, the
    assessments and what is still missing."""

    computation: MonthComputation
    scale: Scale
    period: Period | None
    stored: MonthlyScore | None
    self_assessment: MonthlyAssessment | None = None
    leader_assessment: MonthlyAssessment | None = None
    provisional: bool = False
    missing: tuple[str, ...] = ()

    @property
    def can_self_assess(self) -> bool:
        """The person may write (or confirm) their self-assessment of this month."""
        return self.period is not None and self.period.state != PeriodState.LOCKED

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
    """The month's period of the person: the deepest one over one of their units."""
    return period_of_person(person, year, month)


def _missing(rows: list[tuple[Any, Any]], assessments: dict[str, MonthlyAssessment]) -> list[str]:
    """What the person's month still lacks, in words (as the stored score says it)."""
    states = Counter(task.state for task, _ in rows)
    return missing_words(
        len(rows),
        states[TaskState.PLANNED] + states[TaskState.IN_PROGRESS],
        states[TaskState.DONE],
        AssessmentSource.SELF in assessments,
        AssessmentSource.LEADER in assessments,
    )


def month_preview(person: Person, year: int, month: int) -> MonthPreview:
    """Score the person's month as it stands now (nothing is written)."""
    period = period_for(person, year, month)
    scale = scale_of(period.ruleset if period else DEFAULT_MONTH_RULESET)
    rows = task_items_for_month(person, year, month)
    items = [(task.pk, task.title, item) for task, item in rows]
    assessments = (
        {
            a.source: a
            for a in MonthlyAssessment.objects.filter(period=period, person=person).select_related(
                "on_behalf_by__person"
            )
        }
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
    end = datetime.date(year, month, calendar.monthrange(year, month)[1])
    return MonthPreview(
        computation,
        scale,
        period,
        stored,
        self_assessment=assessments.get(AssessmentSource.SELF),
        leader_assessment=assessments.get(AssessmentSource.LEADER),
        provisional=today() <= end,
        missing=tuple(_missing(rows, assessments)),
    )


def level_labels(period: Period) -> dict[str, str]:
    """How the period's rule-set names the levels (Hà Nội 3814: Loại A, B, C, D)."""
    return dict(load_ruleset(period.ruleset).level_labels)
