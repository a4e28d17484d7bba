"""Reads of trends over a unit subtree: across years (annual results) and across the months
of a year (monthly and quarterly scores).

Years read the same two sources as the distribution report, with the same rule: a unit
covered by a published or locked system period of a year reports that period's results, and
its imported history of that year is left out. Each source is one GROUP BY over all the years
at once (year, child branch, group, level), not one report per year per unit.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from functools import reduce
from operator import or_
from typing import Any

from django.db.models import Count, DecimalField, Q, QuerySet, Sum

from thuocdo.org.models import Unit
from thuocdo.org.scope import _paths_q
from thuocdo.reports.common.levels import (
    ALL_LEVELS,
    UNCLASSIFIED,
    LevelCounts,
    QuotaCheck,
    quota_check,
    quota_source,
)
from thuocdo.reports.common.selectors import (
    GROUP_LABELS,
    GROUP_ORDER,
    REPORTED_STATES,
    branch_length,
)
from thuocdo.reports.models import HistoryCount
from thuocdo.reports.trends.figures import mean_of, share_change
from thuocdo.reviews.models import (
    Evaluation,
    MonthlyScore,
    Period,
    PeriodCount,
    PeriodKind,
)
from thuocdo.rules.levels import LEVEL_BY_NAME
from thuocdo.rules.ruleset import load_ruleset

# Sums of scores over a city exceed the five digits of a score column.
SUM_FIELD = DecimalField(max_digits=14, decimal_places=2)


# --- Across years -----------------------------------------------------------------------------


@dataclass(frozen=True)
class YearPoint:
    """One year of a group's trend over the subtree."""

    year: int
    counts: LevelCounts
    mean_score: Decimal | None
    scored: int
    source: str | None

    @property
    def quota(self) -> QuotaCheck:
        """The 20% quota on the year's counts."""
        return quota_check(self.counts)

    @property
    def flagged(self) -> bool:
        """True when HTXS breaks a quota that a regulation set for this group and year."""
        return self.source is not None and self.quota.breached


@dataclass(frozen=True)
class UnitTrend:
    """A line of the matrix: a child unit's subtree (or the unit's own subjects) per year."""

    unit: Unit
    cells: list[LevelCounts]
    own: bool = False

    @property
    def name(self) -> str:
        """The line's name as printed."""
        return f"{self.unit.name} (trực tiếp)" if self.own else self.unit.name

    def _known(self) -> list[LevelCounts]:
        """The years in which someone was rated HTT or better."""
        return [cell for cell in self.cells if cell.good_or_better]

    @property
    def excellent_change(self) -> Fraction | None:
        """How far the HTXS share of "HTT or better" moved from its first to its last year."""
        known = self._known()
        if len(known) < 2:
            return None
        return share_change(first=known[0].excellent_of_good, last=known[-1].excellent_of_good)


@dataclass(frozen=True)
class GroupTrend:
    """One subject group's trend: a point per year and the child units' matrix."""

    group: str
    label: str
    years: list[int]
    points: list[YearPoint]
    units: list[UnitTrend]

    @property
    def matrix(self) -> list[tuple[UnitTrend, list[tuple[int, LevelCounts]]]]:
        """Each line of the matrix with its (year, counts) cells, for templates."""
        return [(line, list(zip(self.years, line.cells, strict=True))) for line in self.units]


@dataclass(frozen=True)
class YearTrends:
    """The trends of a subtree across years, per subject group (or one group)."""

    unit: Unit
    years: list[int]
    groups: list[GroupTrend]
    evaluated: int
    imported: int

    @property
    def is_empty(self) -> bool:
        """True when no result of any year in the range is known in the subtree."""
        return not self.groups


Tally = dict[str, dict[int, dict[str, dict[str, int]]]]
ScoreTally = dict[tuple[str, int], tuple[Decimal, int]]


YearRows = Iterable[tuple[int, str, str, str, int, Decimal | None, int]]


def _by_year_and_unit(queryset: QuerySet[Any]) -> YearRows:
    """(year, unit path, group, level, count, sum of scores, count of scores) of evaluations,
    one query grouped by unit (see `branch_length`)."""
    rows: YearRows = (
        queryset.values_list("period__year", "unit__path", "group", "level")
        .annotate(
            n=Count("*"),
            total=Sum("score", output_field=SUM_FIELD),
            scored=Count("score"),
        )
        .order_by()
    )
    return rows


def year_trends(
    *, unit: Unit, group: str | None = None, first: int | None = None, last: int | None = None
) -> YearTrends:
    """Counts, shares and mean scores per year for a subtree, per group, with the matrix of
    child units × years."""
    periods = Period.objects.filter(kind=PeriodKind.YEAR, state__in=REPORTED_STATES)
    evaluations = Evaluation.objects.filter(
        period__kind=PeriodKind.YEAR,
        period__state__in=REPORTED_STATES,
        unit__path__startswith=unit.path,
        level__in=ALL_LEVELS,
    )
    # Imported history from its summary: the same fields, a unit's counts per year.
    history = HistoryCount.objects.filter(unit__path__startswith=unit.path)
    if first is not None:
        periods = periods.filter(year__gte=first)
        evaluations, history = (
            evaluations.filter(period__year__gte=first),
            history.filter(year__gte=first),
        )
    if last is not None:
        periods = periods.filter(year__lte=last)
        evaluations = evaluations.filter(period__year__lte=last)
        history = history.filter(year__lte=last)
    covered: dict[int, set[str]] = defaultdict(set)
    counted: list[int] = []
    reported = periods.values_list("year", "unit__path", "pk", "counted").order_by()
    for year, path, pk, is_counted in reported:
        covered[year].add(path)
        if is_counted:
            counted.append(pk)
    others = len(counted) < len(reported)
    if covered:
        overlap = reduce(
            or_,
            (
                Q(year=year) & _paths_q("unit__path", tuple(paths))
                for year, paths in covered.items()
            ),
        )
        history = history.exclude(overlap)
    if group:
        evaluations, history = evaluations.filter(group=group), history.filter(group=group)
    tally: Tally = defaultdict(lambda: defaultdict(lambda: defaultdict(lambda: defaultdict(int))))
    scores: ScoreTally = {}
    sources = {"evaluated": 0, "imported": 0}
    length = branch_length(unit)
    imported = history.values_list(
        "year", "unit__path", "group", "level", "n", "score_sum", "scored"
    )
    evaluated: list[YearRows] = []
    if counted:
        summary = PeriodCount.objects.filter(
            period_id__in=counted, unit__path__startswith=unit.path, level__in=ALL_LEVELS
        )
        if group:
            summary = summary.filter(group=group)
        evaluated.append(
            summary.values_list("period__year", "unit__path", "group", "level")
            .annotate(n=Sum("n"), total=Sum("score_sum"), scored=Sum("scored"))
            .order_by()
        )
        evaluations = evaluations.exclude(period_id__in=counted)
    if others or not counted:
        evaluated.append(_by_year_and_unit(evaluations))
    for name, rows in [*(("evaluated", e) for e in evaluated), ("imported", imported)]:
        for year, path, group_code, level, n, total, scored in rows:
            tally[group_code][year][path[:length]][level] += n
            sources[name] += n
            if scored and level != UNCLASSIFIED:
                summed, count = scores.get((group_code, year), (Decimal(0), 0))
                scores[(group_code, year)] = (summed + Decimal(total or 0), count + scored)
    years = sorted({year for by_year in tally.values() for year in by_year})
    children = {child.path: child for child in Unit.objects.filter(parent=unit).order_by("path")}
    groups = [
        _group_trend(group_code, years, tally[group_code], scores, children, unit=unit)
        for group_code in GROUP_ORDER
        if group_code in tally
    ]
    return YearTrends(
        unit=unit,
        years=years,
        groups=groups,
        evaluated=sources["evaluated"],
        imported=sources["imported"],
    )


def _group_trend(
    group_code: str,
    years: list[int],
    by_year: dict[int, dict[str, dict[str, int]]],
    scores: ScoreTally,
    children: dict[str, Unit],
    *,
    unit: Unit,
) -> GroupTrend:
    """A group's points and matrix from the tally of (year, branch, level) counts."""
    cell: dict[str, dict[int, LevelCounts]] = defaultdict(dict)
    points = []
    for year in years:
        branches = by_year.get(year, {})
        for branch, counts in branches.items():
            cell[branch][year] = LevelCounts.of(counts)
        summed, scored = scores.get((group_code, year), (Decimal(0), 0))
        points.append(
            YearPoint(
                year=year,
                counts=sum((cell[branch][year] for branch in branches), LevelCounts()),
                mean_score=mean_of(total=summed, count=scored),
                scored=scored,
                source=quota_source(group_code, year),
            )
        )
    lines = [
        UnitTrend(child, [cell[path].get(year, LevelCounts()) for year in years])
        for path, child in children.items()
        if path in cell
    ]
    if unit.path in cell:
        own = [cell[unit.path].get(year, LevelCounts()) for year in years]
        lines.append(UnitTrend(unit, own, own=True))
    return GroupTrend(group_code, GROUP_LABELS[group_code], years, points, lines)


def trend_years(*, unit: Unit) -> list[int]:
    """Years with annual results for the subtree (published periods or history), oldest first."""
    periods = Period.objects.filter(
        kind=PeriodKind.YEAR,
        state__in=REPORTED_STATES,
        evaluations__unit__path__startswith=unit.path,
    )
    years = set(periods.values_list("year", flat=True).distinct().order_by())
    history = HistoryCount.objects.filter(unit__path__startswith=unit.path)
    years.update(history.values_list("year", flat=True).distinct().order_by())
    return sorted(years)


# --- Across the months of a year --------------------------------------------------------------


@dataclass
class MonthPoint:
    """The monthly (or quarterly) scores of one period number: levels, mean total, changes."""

    kind: str
    number: int
    levels: dict[str, int] = field(default_factory=dict)
    total: Decimal = Decimal(0)
    scored: int = 0
    raised: int = 0
    lowered: int = 0

    @property
    def counts(self) -> LevelCounts:
        """How many got each level."""
        return LevelCounts.of(self.levels)

    @property
    def mean_total(self) -> Decimal | None:
        """The mean total score (of 100)."""
        return mean_of(total=self.total, count=self.scored)

    @property
    def label(self) -> str:
        """ "Tháng 03", "Quý 1" or "Cả năm"."""
        if self.kind == PeriodKind.MONTH:
            return f"Tháng {self.number:02d}"
        if self.kind == PeriodKind.QUARTER:
            return f"Quý {self.number}"
        return "Cả năm"

    @property
    def changed(self) -> int:
        """Levels the head changed from the engine's proposal."""
        return self.raised + self.lowered

    def add(self, *, proposed: str, level: str, n: int, total: Decimal) -> None:
        """Count n scores that were proposed one level and decided another."""
        self.levels[level] = self.levels.get(level, 0) + n
        self.total += total
        self.scored += n
        before, after = LEVEL_BY_NAME.get(proposed), LEVEL_BY_NAME.get(level)
        if before is not None and after is not None and before != after:
            if after > before:
                self.raised += n
            else:
                self.lowered += n

    def merge(self, other: MonthPoint) -> None:
        """Add another point's figures to this one (a quarter's roll-up)."""
        for level, n in other.levels.items():
            self.levels[level] = self.levels.get(level, 0) + n
        self.total += other.total
        self.scored += other.scored
        self.raised += other.raised
        self.lowered += other.lowered


@dataclass(frozen=True)
class MonthTrends:
    """A subtree's monthly results through a year: each month, each quarter, the year."""

    unit: Unit
    year: int
    months: list[MonthPoint]
    quarters: list[MonthPoint]
    whole: MonthPoint
    labels: dict[str, str]

    @property
    def is_empty(self) -> bool:
        """True when nobody in the subtree was scored that year."""
        return self.whole.scored == 0

    @property
    def lines(self) -> list[MonthPoint]:
        """The table as printed: each month, and each quarter after its last month."""
        out: list[MonthPoint] = []
        for quarter in self.quarters:
            out += [m for m in self.months if (m.number - 1) // 3 + 1 == quarter.number]
            out.append(quarter)
        return out


def month_trends(*, unit: Unit, year: int) -> MonthTrends:
    """Levels, mean total score and the head's changes per month and quarter of a year.

    A quarter's line counts every scoring of its three months and of the quarterly periods of
    agencies that score by quarter (NĐ 335): it counts scorings, not people."""
    rows = (
        MonthlyScore.objects.filter(
            period__year=year,
            period__kind__in=(PeriodKind.MONTH, PeriodKind.QUARTER),
            unit__path__startswith=unit.path,
        )
        .values_list("period__kind", "period__number", "proposed_level", "level")
        .annotate(n=Count("pk"), total=Sum("total", output_field=SUM_FIELD))
        .order_by()
    )
    months: dict[int, MonthPoint] = {}
    quarters = {q: MonthPoint(PeriodKind.QUARTER, q) for q in range(1, 5)}
    for kind, number, proposed, level, n, total in rows:
        if kind == PeriodKind.MONTH:
            point = months.setdefault(number, MonthPoint(PeriodKind.MONTH, number))
        else:
            point = quarters[number]
        point.add(proposed=proposed, level=level, n=n, total=Decimal(total or 0))
    for number, month in months.items():
        quarters[(number - 1) // 3 + 1].merge(month)
    whole = MonthPoint("year", 0)
    for quarter in quarters.values():
        whole.merge(quarter)
    return MonthTrends(
        unit=unit,
        year=year,
        months=[months[n] for n in sorted(months)],
        quarters=[q for q in quarters.values() if q.scored],
        whole=whole,
        labels=_month_labels(unit=unit, year=year),
    )


def _month_labels(*, unit: Unit, year: int) -> dict[str, str]:
    """The level names of the monthly rule-set when the subtree's months use one that names
    them its own way (Hà Nội 3814: Loại A, B, C, D)."""
    rulesets = set(
        Period.objects.filter(
            year=year,
            kind__in=(PeriodKind.MONTH, PeriodKind.QUARTER),
            scores__unit__path__startswith=unit.path,
        )
        .values_list("ruleset", flat=True)
        .distinct()
        .order_by()
    )
    if len(rulesets) != 1:
        return {}
    return dict(load_ruleset(rulesets.pop()).level_labels)


def month_years(*, unit: Unit) -> list[int]:
    """Years with monthly or quarterly scores in the subtree, newest first."""
    scores = MonthlyScore.objects.filter(unit__path__startswith=unit.path)
    return sorted(
        set(scores.values_list("period__year", flat=True).distinct().order_by()), reverse=True
    )
