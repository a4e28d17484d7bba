"""Reads of reports: the distribution of levels over a unit subtree, year and subject group.

Two sources feed a year: the conclusions of the system's own annual periods (Evaluation.level
of periods of kind "year" that are published or locked) and imported history. Where the
system ran the year, its results are the record: history rows of units covered by such a
period are left out, so nobody is counted twice. The arithmetic is in `distribution` (pure).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum, Value

from thuocdo.org.models import PATH_SEGMENT, Category, Unit
from thuocdo.org.scope import _paths_q, scope_for
from thuocdo.reports.common.levels import (
    ALL_LEVELS,
    LevelCounts,
    QuotaCheck,
    quota_check,
    quota_source,
)
from thuocdo.reports.common.permissions import report_units_q
from thuocdo.reports.models import HistoricalResult, HistoryCount
from thuocdo.reviews.models import (
    Evaluation,
    EvaluationGroup,
    MonthlyScore,
    Period,
    PeriodCount,
    PeriodKind,
    PeriodState,
)

REPORTED_STATES = (PeriodState.PUBLISHED, PeriodState.LOCKED)
GROUP_LABELS: dict[str, str] = dict(EvaluationGroup.choices)
GROUP_ORDER = list(GROUP_LABELS)
CATEGORY_LABELS: dict[str, str] = dict(Category.choices)
# A month's scores are not split into subject groups: one group of all the people scored.
MONTHLY_GROUP = "monthly"
MONTHLY_LABEL = "Cán bộ, công chức, viên chức (kết quả tháng)"


@dataclass(frozen=True)
class UnitRow:
    """One line of the drill-down: a child unit's subtree, or the unit's own subjects."""

    unit: Unit
    counts: LevelCounts
    own: bool = False

    @property
    def quota(self) -> QuotaCheck:
        """The 20% quota on this line's counts."""
        return quota_check(self.counts)


@dataclass(frozen=True)
class GroupReport:
    """The distribution of one subject group over the subtree, with its drill-down."""

    group: str
    label: str
    unit: Unit
    counts: LevelCounts
    rows: list[UnitRow]
    source: str | None

    @property
    def quota(self) -> QuotaCheck:
        """The 20% quota on the subtree's counts."""
        return quota_check(self.counts)

    @property
    def flagged(self) -> bool:
        """True when HTXS breaks a quota that a regulation set for this group and year."""
        return self.source is not None and self.quota.breached

    @property
    def lines(self) -> list[Line]:
        """The table as printed: the subtree's total, then each child, then the unit's own."""
        total = Line(f"Tổng cộng: {self.unit.name}", self.unit, self.counts, self.flagged, True)
        rows = [
            Line(
                f"{row.unit.name} (trực tiếp)" if row.own else row.unit.name,
                row.unit,
                row.counts,
                self.source is not None and row.quota.breached,
                drill=not row.own,
            )
            for row in self.rows
        ]
        return [total, *rows]


@dataclass(frozen=True)
class Line:
    """One printed line of a group's table."""

    name: str
    unit: Unit
    counts: LevelCounts
    over_quota: bool
    is_total: bool = False
    drill: bool = False


@dataclass(frozen=True)
class DistributionReport:
    """A unit subtree's distribution of levels in a year, per subject group."""

    unit: Unit
    year: int
    groups: list[GroupReport]
    evaluated: int
    imported: int
    month: int | None = None
    category: str | None = None

    @property
    def category_label(self) -> str:
        """The category of people the report is limited to, or an empty string."""
        return CATEGORY_LABELS.get(self.category or "", "")

    @property
    def is_empty(self) -> bool:
        """True when no result of that year is known in the subtree."""
        return not self.groups


def branch_length(unit: Unit) -> int:
    """How much of a unit path names its branch under `unit`: the child subtree it falls in
    (the path's first segment under the unit), or the unit's own path for its own subjects.

    Reports group their rows by unit path (a hash aggregate, a few thousand groups) and cut the
    paths to branches in Python: grouping by the cut path in SQL made PostgreSQL sort every
    row, spilling to disk on a city."""
    return len(unit.path) + PATH_SEGMENT + 1


Counted = Iterable[tuple[str, str, str, int]]


def _counted(queryset: QuerySet[Any]) -> Counted:
    """(unit path, group, level, count) of rows, grouped by unit in the database."""
    counted: Counted = (
        queryset.values_list("unit__path", "group", "level").annotate(n=Count("*")).order_by()
    )
    return counted


def history_counts(
    *, year: int, unit: Unit, group: str | None, covered: tuple[str, ...]
) -> Counted:
    """(unit path, group, level, count) of a year's history in a subtree, from the summary
    (`HistoryCount`), leaving out the units that a reported period covers."""
    counts = HistoryCount.objects.filter(year=year, unit__path__startswith=unit.path)
    if covered:
        counts = counts.exclude(_paths_q("unit__path", covered))
    if group:
        counts = counts.filter(group=group)
    return counts.values_list("unit__path", "group", "level", "n")


def evaluated_counts(
    evaluations: QuerySet[Any], counted: list[int], others: bool, *, unit: Unit, group: str | None
) -> list[tuple[str, Counted]]:
    """The evaluated sources of a report: the summary (`PeriodCount`) of the counted periods,
    the rows of the `others`; one query each, only for those there are."""
    sources: list[tuple[str, Counted]] = []
    if counted:
        summary = PeriodCount.objects.filter(
            period_id__in=counted, unit__path__startswith=unit.path, level__in=ALL_LEVELS
        )
        if group:
            summary = summary.filter(group=group)
        sources.append(
            (
                "evaluated",
                summary.values_list("unit__path", "group", "level").annotate(n=Sum("n")).order_by(),
            )
        )
        if not others:
            return sources
        evaluations = evaluations.exclude(period_id__in=counted)
    return [*sources, ("evaluated", _counted(evaluations))]


def _monthly(unit: Unit, year: int, month: int, category: str | None) -> QuerySet[Any]:
    """The month's scores in the subtree, as one group of individuals."""
    scores = MonthlyScore.objects.filter(
        period__kind=PeriodKind.MONTH,
        period__year=year,
        period__number=month,
        unit__path__startswith=unit.path,
        level__in=ALL_LEVELS,
    )
    if category:
        scores = scores.filter(person__category=category)
    return scores.annotate(group=Value(MONTHLY_GROUP))


def distribution_report(
    *,
    unit: Unit,
    year: int,
    group: str | None = None,
    category: str | None = None,
    month: int | None = None,
) -> DistributionReport:
    """Counts and shares per level for a subtree and year (or one month of it), per group
    (or one group), for every category of people (or one)."""
    if month:
        return _report(
            unit,
            year,
            None,
            category,
            month,
            [("evaluated", _counted(_monthly(unit, year, month, category)))],
        )
    periods = list(
        Period.objects.filter(
            kind=PeriodKind.YEAR, year=year, state__in=REPORTED_STATES
        ).values_list("unit__path", "pk", "counted")
    )
    covered = tuple({path for path, _, _ in periods})
    evaluations = Evaluation.objects.filter(
        period__kind=PeriodKind.YEAR,
        period__year=year,
        period__state__in=REPORTED_STATES,
        unit__path__startswith=unit.path,
        level__in=ALL_LEVELS,
    )
    if group:
        evaluations = evaluations.filter(group=group)
    if not category:
        history = history_counts(year=year, unit=unit, group=group, covered=covered)
        counted = [pk for _, pk, is_counted in periods if is_counted]
        others = len(counted) < len(periods)
        return _report(
            unit,
            year,
            group,
            None,
            None,
            [
                *evaluated_counts(evaluations, counted, others, unit=unit, group=group),
                ("imported", history),
            ],
        )
    # A category's report reads the rows: the summary is not split by category.
    rows = HistoricalResult.objects.filter(year=year, unit__path__startswith=unit.path)
    if covered:
        rows = rows.exclude(_paths_q("unit__path", covered))
    if group:
        rows = rows.filter(group=group)
    # A collective has no category; a history row without one takes its person's.
    evaluations = evaluations.filter(person__category=category)
    rows = rows.filter(Q(category=category) | Q(category="", person__category=category))
    return _report(
        unit,
        year,
        group,
        category,
        None,
        [("evaluated", _counted(evaluations)), ("imported", _counted(rows))],
    )


def _report(
    unit: Unit,
    year: int,
    group: str | None,
    category: str | None,
    month: int | None,
    sources_rows: list[tuple[str, Counted]],
) -> DistributionReport:
    """Tally the sources by branch and group, and build the report."""
    tally: dict[str, dict[str, dict[str, int]]] = defaultdict(
        lambda: defaultdict(lambda: defaultdict(int))
    )
    sources = {"evaluated": 0, "imported": 0}
    length = branch_length(unit)
    for name, counted in sources_rows:
        for path, group_code, level, n in counted:
            tally[group_code][path[:length]][level] += n
            sources[name] += n
    children = {child.path: child for child in Unit.objects.filter(parent=unit).order_by("path")}
    groups = []
    for group_code in [MONTHLY_GROUP] if month else GROUP_ORDER:
        if group_code not in tally and group_code != group:
            continue
        branches = tally.get(group_code, {})
        rows = [
            UnitRow(child, LevelCounts.of(branches[path]))
            for path, child in children.items()
            if path in branches
        ]
        if unit.path in branches:
            rows.append(UnitRow(unit, LevelCounts.of(branches[unit.path]), own=True))
        total = sum((row.counts for row in rows), LevelCounts())
        groups.append(
            GroupReport(
                group=group_code,
                label=GROUP_LABELS.get(group_code, MONTHLY_LABEL),
                unit=unit,
                counts=total,
                rows=rows,
                # The 20% quota is a year's (DESIGN.md §4.5); a month has none to break.
                source=None if month else quota_source(group_code, year),
            )
        )
    return DistributionReport(
        unit=unit,
        year=year,
        groups=groups,
        evaluated=sources["evaluated"],
        imported=sources["imported"],
        month=month,
        category=category,
    )


def failed_individuals(
    *,
    unit: Unit,
    year: int,
    group: str | None = None,
    category: str | None = None,
    limit: int | None = None,
) -> list[Evaluation]:
    """The people the system concluded KHT in a subtree and year (imported history has no
    conclusion to show, only a level), by unit then Vietnamese name order."""
    evaluations = Evaluation.objects.filter(
        period__kind=PeriodKind.YEAR,
        period__year=year,
        period__state__in=REPORTED_STATES,
        unit__path__startswith=unit.path,
        level="KHT",
        person__isnull=False,  # individuals: a collective has no person
    )
    if group:
        evaluations = evaluations.filter(group=group)
    if category:
        evaluations = evaluations.filter(person__category=category)
    ordered = evaluations.select_related("person", "unit").order_by(
        "unit__path", "person__sort_key"
    )
    return list(ordered[:limit] if limit is not None else ordered)


def report_years(*, unit: Unit) -> list[int]:
    """Years with results for the subtree (published annual periods or history), newest first."""
    periods = Period.objects.filter(kind=PeriodKind.YEAR, state__in=REPORTED_STATES)
    years = set(periods.values_list("year", flat=True))
    history = HistoryCount.objects.filter(unit__path__startswith=unit.path)
    years.update(history.values_list("year", flat=True).distinct().order_by())
    return sorted(years, reverse=True)


def unit_ancestors(*, actor: Any, unit: Unit) -> list[Unit]:
    """The unit's ancestors whose reports the actor may see, from the top (breadcrumbs)."""
    step = PATH_SEGMENT + 1
    ids = [int(unit.path[i : i + PATH_SEGMENT]) for i in range(0, len(unit.path) - step, step)]
    visible = Unit.objects.filter(report_units_q(scope_for(actor)), pk__in=ids)
    return list(visible.order_by("depth"))
