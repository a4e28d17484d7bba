"""Reads of targets, always through the actor's scope; the dashboard and the engine's counts."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Prefetch, QuerySet

from thuocdo.org.scope import scope_for
from thuocdo.rules import Targets
from thuocdo.rules.fmt import vn_number
from thuocdo.targets import achievement as calc
from thuocdo.targets.models import (
    Aggregation,
    Indicator,
    IndicatorActual,
    IndicatorGroup,
    TargetSet,
)
from thuocdo.targets.permissions import target_sets_q

GROUP_ORDER = {value: index for index, value in enumerate(IndicatorGroup.values)}
VETO_SOURCE = "Quy định 366-QĐ/TW; Quy định 124-QĐ/TW (DESIGN §4.4)"


def vn_decimal(value: Decimal, places: int = 2) -> str:
    """A quantity the Vietnamese way without useless decimals (2100.0000 -> 2.100; 3.5 -> 3,5)."""
    rounded = value.quantize(Decimal(1).scaleb(-places))
    if rounded == rounded.to_integral_value():
        return vn_number(rounded.to_integral_value())
    return vn_number(rounded.normalize())


def vn_pct(pct: Decimal) -> str:
    """A percentage with at most one decimal (105 -> 105%; 95.64 -> 95,6%)."""
    return vn_decimal(calc.rounded(pct), 1) + "%"


def target_set_list(*, actor: Any, year: int | None = None) -> QuerySet[TargetSet]:
    """Target sets the actor may see, newest year first, in tree order."""
    qs = TargetSet.objects.filter(target_sets_q(scope_for(actor)))
    if year is not None:
        qs = qs.filter(year=year)
    return (
        qs.select_related("unit", "head_person")
        .annotate(indicator_count=Count("indicators"))
        .order_by("-year", "unit__path")
    )


def target_set_detail(target_set: TargetSet) -> TargetSet:
    """Load a set with its indicators, their actuals and the council's assessment."""
    actuals = IndicatorActual.objects.order_by("period").select_related("recorded_by")
    indicators = Indicator.objects.prefetch_related(Prefetch("actuals", queryset=actuals))
    loaded: TargetSet = (
        TargetSet.objects.select_related(
            "unit", "head_person", "head_post", "assigned_by", "council_assessment"
        )
        .prefetch_related(Prefetch("indicators", queryset=indicators.order_by("position", "code")))
        .get(pk=target_set.pk)
    )
    return loaded


def indicator_actual_value(indicator: Indicator) -> Decimal | None:
    """The indicator's result so far: the sum of its periods, or the latest period's value."""
    actuals = sorted(indicator.actuals.all(), key=lambda a: a.period)
    if not actuals:
        return None
    if indicator.aggregation == Aggregation.LAST:
        return actuals[-1].value
    return sum((a.value for a in actuals), Decimal(0))


@dataclass(frozen=True)
class IndicatorRow:
    """One indicator on the dashboard: the figures and the sentence that says them."""

    indicator: Indicator
    actual: Decimal | None
    result: calc.Achievement

    @property
    def missed_main(self) -> bool:
        """A main target not met (force majeure or not)."""
        return self.indicator.is_main and not self.result.met

    @property
    def figure(self) -> str:
        """The result in words: "2.100 / 2.000 = 105%" (inverted for less-is-better)."""
        target = vn_decimal(self.indicator.target)
        if self.actual is None:
            return f"Chưa có kết quả / chỉ tiêu {target}"
        actual = vn_decimal(self.actual)
        if self.result.unbounded:
            return f"Kết quả {actual}, chỉ tiêu không quá {target}: vượt chỉ tiêu"
        assert self.result.pct is not None  # measured and bounded
        pct = vn_pct(self.result.pct)
        if self.indicator.direction == calc.LESS:
            return f"{target} / {actual} = {pct} (càng thấp càng tốt)"
        return f"{actual} / {target} = {pct}"

    @property
    def bar_pct(self) -> int:
        """Width of the bar, 0 to 100 (a result past the target fills it)."""
        if self.result.unbounded:
            return 100
        return int(min(self.result.pct or Decimal(0), calc.HUNDRED))


@dataclass(frozen=True)
class TargetsSummary:
    """What the engine and the dashboard need about a set (DESIGN §4.4)."""

    assigned: int
    met: int
    main_missed: int
    force_majeure: bool
    achievement_pct: Decimal | None
    measured: int = 0
    main_missed_force_majeure: int = 0

    @property
    def veto(self) -> bool:
        """Under 50% met with a main target missed (force majeure aside): KHT, head too."""
        return calc.veto_applies(self.met, self.assigned, self.main_missed)

    @property
    def review(self) -> bool:
        """Under 70% met: the head's replacement should be considered (issue 8)."""
        return calc.review_signal(self.met, self.assigned)

    @property
    def met_pct(self) -> Decimal | None:
        """Share of the targets met, in percent."""
        if not self.assigned:
            return None
        return Decimal(self.met) * calc.HUNDRED / self.assigned

    @property
    def achievement_text(self) -> str:
        """The weighted achievement in Vietnamese format ("98,5%"), or a dash."""
        return vn_pct(self.achievement_pct) if self.achievement_pct is not None else "—"

    @property
    def met_text(self) -> str:
        """The share met in Vietnamese format ("11/18 = 61,1%")."""
        share = f" = {vn_pct(self.met_pct)}" if self.met_pct is not None else ""
        return f"{self.met}/{self.assigned}{share}"

    def to_engine(self) -> Targets:
        """The engine's input record (thuocdo.rules.Targets)."""
        return Targets(
            assigned=self.assigned,
            met=self.met,
            main_missed=self.main_missed,
            force_majeure=self.force_majeure,
        )


@dataclass(frozen=True)
class GroupRows:
    """The indicators of one group, in order."""

    name: str
    rows: list[IndicatorRow] = field(default_factory=list)


@dataclass(frozen=True)
class Dashboard:
    """The head's targets dashboard: the set, its indicators by group, and the summary."""

    target_set: TargetSet
    groups: list[GroupRows]
    summary: TargetsSummary

    @property
    def rows(self) -> list[IndicatorRow]:
        """Every indicator row, group by group."""
        return [row for group in self.groups for row in group.rows]

    @property
    def missed_main(self) -> list[IndicatorRow]:
        """Main targets missed, in order."""
        return [row for row in self.rows if row.missed_main]


def _rows(indicators: Iterable[Indicator]) -> list[IndicatorRow]:
    """Compute each indicator's achievement from its (prefetched) actuals."""
    rows = []
    for indicator in indicators:
        actual = indicator_actual_value(indicator)
        result = calc.achievement(indicator.target, actual, indicator.direction)
        rows.append(IndicatorRow(indicator=indicator, actual=actual, result=result))
    return rows


def _summary(rows: list[IndicatorRow], ceiling: Decimal) -> TargetsSummary:
    """Counts of a list of rows."""
    counts = calc.count(
        [
            calc.Scored(
                weight=row.indicator.weight,
                is_main=row.indicator.is_main,
                force_majeure=row.indicator.force_majeure,
                result=row.result,
            )
            for row in rows
        ],
        ceiling,
    )
    return TargetsSummary(
        assigned=counts.assigned,
        met=counts.met,
        main_missed=counts.main_missed,
        force_majeure=counts.force_majeure,
        achievement_pct=counts.achievement_pct,
        measured=counts.measured,
        main_missed_force_majeure=counts.main_missed_force_majeure,
    )


def targets_summary(target_set: TargetSet) -> TargetsSummary:
    """Assigned, met and main-missed counts and the weighted achievement of a set."""
    loaded = target_set_detail(target_set)
    return _summary(_rows(loaded.indicators.all()), loaded.achievement_ceiling)


def target_set_summaries(
    *, actor: Any, year: int | None = None
) -> list[tuple[TargetSet, TargetsSummary]]:
    """Visible sets with their summaries, loading every indicator and actual in two queries."""
    return summaries_of(target_set_list(actor=actor, year=year))


def summaries_of(sets: QuerySet[TargetSet]) -> list[tuple[TargetSet, TargetsSummary]]:
    """Sets (already scoped by the caller) with their summaries, indicators and actuals loaded
    in two queries."""
    actuals = IndicatorActual.objects.order_by("period")
    indicators = Indicator.objects.prefetch_related(Prefetch("actuals", queryset=actuals))
    loaded = sets.prefetch_related(Prefetch("indicators", queryset=indicators))
    return [(s, _summary(_rows(s.indicators.all()), s.achievement_ceiling)) for s in loaded]


def targets_engine_input(target_set: TargetSet) -> Targets:
    """The set's counts as the rules engine's `Targets` record."""
    return targets_summary(target_set).to_engine()


def targets_dashboard(target_set: TargetSet) -> Dashboard:
    """The dashboard of a set: rows grouped by group (fixed groups first), and the summary."""
    loaded = target_set_detail(target_set)
    rows = _rows(loaded.indicators.all())
    groups: dict[tuple[int, str], GroupRows] = {}
    for row in rows:
        key = (GROUP_ORDER[row.indicator.group], row.indicator.group_name)
        groups.setdefault(key, GroupRows(name=row.indicator.group_name)).rows.append(row)
    ordered = [groups[key] for key in sorted(groups)]
    return Dashboard(
        target_set=loaded, groups=ordered, summary=_summary(rows, loaded.achievement_ceiling)
    )
