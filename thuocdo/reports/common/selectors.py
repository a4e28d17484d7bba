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

from django.db.models import Count, Q, QuerySet, Value
from django.db.models.functions import Substr

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
from thuocdo.reports.models import HistoricalResult
from thuocdo.reviews.models import (
    Evaluation,
    EvaluationGroup,
    MonthlyScore,
    Period,
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


def _by_branch(queryset: QuerySet[Any], unit: Unit) -> Iterable[tuple[str, str, str, int]]:
    """(branch path, group, level, count): the branch is the child subtree a row falls in
    (the first segment under the unit), or the unit's own path for its own subjects."""
    length = len(unit.path) + PATH_SEGMENT + 1
    rows = (
        queryset.annotate(branch=Substr("unit__path", 1, length))
        .values_list("branch", "group", "level")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return ((branch, group, level, n) for branch, group, level, n in rows)


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
            [("evaluated", _monthly(unit, year, month, category))],
        )
    covered = tuple(
        Period.objects.filter(kind=PeriodKind.YEAR, year=year, state__in=REPORTED_STATES)
        .values_list("unit__path", flat=True)
        .distinct()
    )
    evaluations = Evaluation.objects.filter(
        period__kind=PeriodKind.YEAR,
        period__year=year,
        period__state__in=REPORTED_STATES,
        unit__path__startswith=unit.path,
        level__in=ALL_LEVELS,
    )
    history = HistoricalResult.objects.filter(year=year, unit__path__startswith=unit.path)
    if covered:
        history = history.exclude(_paths_q("unit__path", covered))
    if group:
        evaluations, history = evaluations.filter(group=group), history.filter(group=group)
    if category:
        # A collective has no category; a history row without one takes its person's.
        evaluations = evaluations.filter(person__category=category)
        history = history.filter(Q(category=category) | Q(category="", person__category=category))
    return _report(
        unit, year, group, category, None, [("evaluated", evaluations), ("imported", history)]
    )


def _report(
    unit: Unit,
    year: int,
    group: str | None,
    category: str | None,
    month: int | None,
    querysets: list[tuple[str, QuerySet[Any]]],
) -> DistributionReport:
    """Tally the sources by branch and group, and build the report."""
    tally: dict[str, dict[str, dict[str, int]]] = defaultdict(
        lambda: defaultdict(lambda: defaultdict(int))
    )
    sources = {"evaluated": 0, "imported": 0}
    for name, queryset in querysets:
        for branch, group_code, level, n in _by_branch(queryset, unit):
            tally[group_code][branch][level] += n
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
    history = HistoricalResult.objects.filter(unit__path__startswith=unit.path)
    years.update(history.values_list("year", flat=True).distinct().order_by())
    return sorted(years, reverse=True)


def unit_ancestors(*, actor: Any, unit: Unit) -> list[Unit]:
    """The unit's ancestors whose reports the actor may see, from the top (breadcrumbs)."""
    step = PATH_SEGMENT + 1
    ids = [int(unit.path[i : i + PATH_SEGMENT]) for i in range(0, len(unit.path) - step, step)]
    visible = Unit.objects.filter(report_units_q(scope_for(actor)), pk__in=ids)
    return list(visible.order_by("depth"))
