"""Reads of leniency analytics: per-unit counts of a subtree over a range of years, and the flags.

Results are grouped by the unit they are counted in (not by branch, as the distribution's
drill-down is), from the same two sources as `distribution_report`: annual Evaluations of
published or locked periods, and imported history, leaving out the history of units that a
system period of the same year covers. Every read is one GROUP BY query; the detection is in
`leniency` (pure).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from functools import reduce
from operator import or_
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from thuocdo.org.models import PATH_SEGMENT, Unit, UnitKind
from thuocdo.org.scope import _paths_q
from thuocdo.reports.common.levels import ALL_LEVELS, LEVELS, LevelCounts
from thuocdo.reports.common.selectors import GROUP_LABELS, REPORTED_STATES
from thuocdo.reports.leniency import FLAG_LABELS, Flag, UnitGap, UnitRef, UnitYear, detect
from thuocdo.reports.models import HistoricalResult
from thuocdo.reviews.models import Evaluation, Period, PeriodKind

# Years read before the report's year, for streaks at the quota limit (five years in all).
LOOKBACK_YEARS = 4
KIND_LABELS: dict[str, str] = dict(UnitKind.choices)


@dataclass(frozen=True)
class LeniencyReport:
    """The leniency flags of a subtree in a year, with the self-proposal gap table."""

    unit: Unit
    year: int
    group: str | None
    first_year: int
    flags: list[Flag]
    gaps: list[UnitGap]
    lines: int  # unit, group lines of the year
    evaluated: int  # results of the year from the system's periods
    imported: int  # results of the year from imported history

    @property
    def is_empty(self) -> bool:
        """True when the subtree has no result in the year and nothing to flag."""
        return self.lines == 0 and not self.flags

    @property
    def flagged_codes(self) -> set[tuple[str, str]]:
        """(unit code, group) of every flag, to mark the gap table's lines."""
        return {(flag.unit.code, flag.group) for flag in self.flags}

    @property
    def summary(self) -> list[tuple[str, int]]:
        """How many flags of each kind, in the order they are listed ("Vượt tỷ lệ HTXS 20%", 5)."""
        counts = Counter(flag.kind for flag in self.flags)
        return [(FLAG_LABELS[kind], counts[kind]) for kind in FLAG_LABELS if counts[kind]]

    @property
    def gap_lines(self) -> list[tuple[UnitGap, bool]]:
        """The gap table's lines, each with whether its unit and group have a flag."""
        flagged = self.flagged_codes
        return [(gap, (gap.unit.code, gap.group) in flagged) for gap in self.gaps]

    def group_label(self, group: str) -> str:
        """A group's name in Vietnamese."""
        return GROUP_LABELS.get(group, group)


def _level_counts() -> dict[str, Any]:
    """One conditional count per level, and the score sums: a row per unit, group and year."""
    counts: dict[str, Any] = {
        f"n_{level}": Count("pk", filter=Q(level=level)) for level in ALL_LEVELS
    }
    classified = Q(level__in=LEVELS)
    counts["score_sum"] = Sum("score", filter=classified & Q(score__isnull=False))
    counts["scored"] = Count("score", filter=classified)
    return counts


def _rows(queryset: QuerySet[Any], year_field: str) -> Iterable[dict[str, Any]]:
    """(year, unit, group) lines of a queryset with their level counts and score sums."""
    lines: Iterable[dict[str, Any]] = (
        queryset.values(year_field, "unit_id", "group").annotate(**_level_counts()).order_by()
    )
    return lines


def _covered_q(first_year: int, last_year: int) -> Q | None:
    """History rows of units that a published or locked year period of the same year covers."""
    covered: dict[int, set[str]] = defaultdict(set)
    periods = Period.objects.filter(
        kind=PeriodKind.YEAR, year__range=(first_year, last_year), state__in=REPORTED_STATES
    )
    for year, path in periods.values_list("year", "unit__path").distinct():
        covered[year].add(path)
    if not covered:
        return None
    parts = (Q(year=y) & _paths_q("unit__path", tuple(sorted(p))) for y, p in covered.items())
    return reduce(or_, parts)


def _unit_refs(unit: Unit) -> dict[int, UnitRef]:
    """The units of the subtree, with their parents' codes and names (one prefix query rather
    than thousands of ids in an IN list)."""
    units = Unit.objects.filter(path__startswith=unit.path).values_list(
        "pk", "code", "name", "kind", "parent__code", "parent__name", "path"
    )
    return {
        pk: UnitRef(code, name, kind, KIND_LABELS.get(kind, kind), parent, parent_name or "", path)
        for pk, code, name, kind, parent, parent_name, path in units
    }


def _branch_of(unit: Unit, rows: Iterable[UnitYear]) -> dict[str, UnitRef]:
    """For each unit of the rows below `unit`, the child of `unit` whose subtree holds it."""
    children = {
        child.path: UnitRef(
            child.code,
            child.name,
            child.kind,
            KIND_LABELS.get(child.kind, child.kind),
            unit.code,
            unit.name,
            child.path,
        )
        for child in Unit.objects.filter(parent=unit)
    }
    length = len(unit.path) + PATH_SEGMENT + 1
    found = {row.unit.code: children.get(row.unit.path[:length]) for row in rows}
    return {code: ref for code, ref in found.items() if ref is not None}


def leniency_rows(
    *, unit: Unit, first_year: int, last_year: int, group: str | None = None
) -> list[UnitYear]:
    """Per unit, group and year in the subtree: level counts, score sums and what was imported."""
    evaluations = Evaluation.objects.filter(
        period__kind=PeriodKind.YEAR,
        period__year__range=(first_year, last_year),
        period__state__in=REPORTED_STATES,
        unit__path__startswith=unit.path,
        level__in=ALL_LEVELS,
    )
    history = HistoricalResult.objects.filter(
        year__range=(first_year, last_year), unit__path__startswith=unit.path
    )
    covered = _covered_q(first_year, last_year)
    if covered is not None:
        history = history.exclude(covered)
    if group:
        evaluations, history = evaluations.filter(group=group), history.filter(group=group)
    tally: dict[tuple[int, int, str], dict[str, Any]] = {}
    for imported, queryset, year_field in (
        (False, evaluations, "period__year"),
        (True, history, "year"),
    ):
        for line in _rows(queryset, year_field):
            key = (line[year_field], line["unit_id"], line["group"])
            now = tally.setdefault(key, defaultdict(int))
            for name in (*(f"n_{level}" for level in ALL_LEVELS), "score_sum", "scored"):
                now[name] += line[name] or 0
            if imported:
                now["imported"] += sum(line[f"n_{level}"] for level in ALL_LEVELS)
    refs = _unit_refs(unit) if tally else {}
    return [
        UnitYear(
            unit=refs[unit_id],
            group=group_code,
            year=year,
            counts=LevelCounts.of({lv: line[f"n_{lv}"] for lv in ALL_LEVELS}),
            score_sum=Fraction(Decimal(line["score_sum"])),
            scored=line["scored"],
            imported=line["imported"],
        )
        for (year, unit_id, group_code), line in sorted(tally.items())
    ]


def leniency_gaps(*, unit: Unit, year: int, group: str | None = None) -> list[UnitGap]:
    """Per unit and group: self-proposed against concluded levels in the year's system periods."""
    evaluations = Evaluation.objects.filter(
        period__kind=PeriodKind.YEAR,
        period__year=year,
        period__state__in=REPORTED_STATES,
        unit__path__startswith=unit.path,
        self_level__in=LEVELS,
        level__in=LEVELS,
    )
    if group:
        evaluations = evaluations.filter(group=group)
    pairs: dict[tuple[int, str], dict[tuple[str, str], int]] = defaultdict(dict)
    lines = (
        evaluations.values("unit_id", "group", "self_level", "level")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("unit_id", "group", "self_level", "level", "n")
    )
    for unit_id, group_code, proposed, concluded, n in lines:
        pairs[(unit_id, group_code)][(proposed, concluded)] = n
    refs = _unit_refs(unit) if pairs else {}
    gaps = [
        UnitGap.of(refs[unit_id], group_code, year, found)
        for (unit_id, group_code), found in pairs.items()
    ]
    return sorted(gaps, key=lambda g: (g.group, g.unit.parent_code or "", g.unit.code))


def leniency_report(*, unit: Unit, year: int, group: str | None = None) -> LeniencyReport:
    """The leniency flags of a subtree in a year (streaks over the four years before it too)."""
    first_year = year - LOOKBACK_YEARS
    rows = leniency_rows(unit=unit, first_year=first_year, last_year=year, group=group)
    gaps = leniency_gaps(unit=unit, year=year, group=group)
    ref = UnitRef(
        unit.code, unit.name, unit.kind, KIND_LABELS.get(unit.kind, unit.kind), None, "", unit.path
    )
    branch_of = _branch_of(unit, rows)
    flags = detect(rows=rows, gaps=gaps, year=year, unit=ref, branch_of=branch_of)
    this_year = [row for row in rows if row.year == year]
    return LeniencyReport(
        unit=unit,
        year=year,
        group=group,
        first_year=first_year,
        flags=flags,
        gaps=gaps,
        lines=len(this_year),
        evaluated=sum(row.counts.total + row.counts.kxl - row.imported for row in this_year),
        imported=sum(row.imported for row in this_year),
    )
