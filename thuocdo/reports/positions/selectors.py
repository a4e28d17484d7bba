"""Reads of the comparison of equivalent positions ("so sánh giữa các vị trí tương đương"):
people's published annual results grouped by duty group (or title), ranked within each.

Only published or locked annual periods are read, and only the evaluation itself (level,
score, unit, title): no assessment, opinion or survey answer is ever loaded here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q

from thuocdo.org.models import Unit
from thuocdo.reports.common.levels import ALL_LEVELS, UNCLASSIFIED, LevelCounts
from thuocdo.reports.common.selectors import GROUP_LABELS, GROUP_ORDER, REPORTED_STATES
from thuocdo.reports.trends.figures import competition_ranks, mean_of
from thuocdo.reviews.models import Evaluation, Period, PeriodKind, SubjectKind
from thuocdo.rules.levels import LEVEL_BY_NAME, LEVEL_LABELS


def position_years(*, unit: Unit) -> list[int]:
    """Years of published or locked annual periods with people in the subtree, newest first."""
    periods = Period.objects.filter(
        kind=PeriodKind.YEAR,
        state__in=REPORTED_STATES,
        evaluations__unit__path__startswith=unit.path,
        evaluations__kind=SubjectKind.INDIVIDUAL,
    )
    return sorted(set(periods.values_list("year", flat=True).distinct().order_by()), reverse=True)


@dataclass(frozen=True)
class PositionRow:
    """One person's result in an equivalent position, with their rank in it."""

    name: str
    unit: Unit
    title: str
    score: Decimal | None
    level: str
    rank: int | None

    @property
    def level_label(self) -> str:
        """The level's full phrase (Hoàn thành tốt nhiệm vụ)."""
        known = LEVEL_BY_NAME.get(self.level)
        return LEVEL_LABELS[known] if known is not None else self.level


@dataclass(frozen=True)
class PositionGroup:
    """The people of one subject group holding equivalent positions (a duty group or a title)."""

    group: str
    group_label: str
    position: str
    titles: list[str]
    rows: list[PositionRow]

    @property
    def counts(self) -> LevelCounts:
        """How many got each level."""
        return LevelCounts.of(_count_levels(row.level for row in self.rows))

    @property
    def is_title(self) -> bool:
        """True when the position is one title (no duty group names it)."""
        return self.titles == [self.position]

    @property
    def mean_score(self) -> Decimal | None:
        """The mean score of those classified with a score."""
        scored = [r.score for r in self.rows if r.score is not None and r.level != UNCLASSIFIED]
        return mean_of(total=sum(scored, Decimal(0)), count=len(scored))


def _count_levels(levels: Iterable[str]) -> dict[str, int]:
    """{level: count} of a list of levels."""
    out: dict[str, int] = defaultdict(int)
    for level in levels:
        out[level] += 1
    return out


@dataclass(frozen=True)
class PositionComparison:
    """The comparison of equivalent positions across a subtree's units in a year."""

    unit: Unit
    year: int
    groups: list[PositionGroup]
    position: str | None = None

    @property
    def people(self) -> int:
        """How many person-posts are compared."""
        return sum(len(group.rows) for group in self.groups)

    @property
    def is_empty(self) -> bool:
        """True when no published result of that year is known in the subtree."""
        return not self.groups

    @property
    def listed(self) -> bool:
        """True when each person is listed: one position asked for, or few enough people."""
        return bool(self.position) or self.people <= LISTED_PEOPLE


# Above this many people, the page and the PDF list a position's people only once it is
# chosen: a city's 200.000 rows are no page (the Excel file and the JSON hold everyone).
LISTED_PEOPLE = 2000

# (group, duty group, title, score, level, full name, unit id): one tuple per person-post,
# since model instances cost several times more at the size of a city (bench/report_trends.py).
Member = tuple[str, str, str, Decimal | None, str, str, int]


def position_comparison(
    *, unit: Unit, year: int, group: str | None = None, position: str | None = None
) -> PositionComparison:
    """People's published results of a year grouped by equivalent position (a duty group, or
    the title when no duty group is set), ranked by score; or one position's."""
    evaluations = Evaluation.objects.filter(
        period__kind=PeriodKind.YEAR,
        period__year=year,
        period__state__in=REPORTED_STATES,
        kind=SubjectKind.INDIVIDUAL,
        unit__path__startswith=unit.path,
        level__in=ALL_LEVELS,
    )
    if group:
        evaluations = evaluations.filter(group=group)
    if position:
        evaluations = evaluations.filter(
            Q(duty_group=position) | Q(duty_group="", post__title=position)
        )
    members = evaluations.values_list(
        "group", "duty_group", "post__title", "score", "level", "person__full_name", "unit_id"
    ).order_by("person__sort_key", "pk")
    buckets: dict[tuple[str, str], list[Member]] = defaultdict(list)
    for member in members:
        buckets[(member[0], member[1] or member[2] or "")].append(member)
    wanted = {member[6] for bucket in buckets.values() for member in bucket}
    units = Unit.objects.only("code", "name", "path").in_bulk(wanted)
    order = {code: i for i, code in enumerate(GROUP_ORDER)}
    groups = [
        _position_group(group_code, name, bucket, units)
        for (group_code, name), bucket in sorted(
            buckets.items(), key=lambda item: (order.get(item[0][0], 99), item[0][1])
        )
    ]
    return PositionComparison(unit=unit, year=year, groups=groups, position=position or None)


def _position_group(
    group_code: str, name: str, members: list[Member], units: dict[int, Unit]
) -> PositionGroup:
    """One position's rows, ranked by score (KXL and those without a score at the end)."""
    scores = [score if level != UNCLASSIFIED else None for _, _, _, score, level, _, _ in members]
    ranks = competition_ranks(scores=scores)
    rows = [
        PositionRow(
            name=full_name,
            unit=units[unit_id],
            title=title or "",
            score=score,
            level=level,
            rank=rank,
        )
        for (_, _, title, score, level, full_name, unit_id), rank in zip(
            members, ranks, strict=True
        )
    ]
    # Members arrive in Vietnamese name order, and sorted() is stable: ties stay in it.
    rows = sorted(rows, key=lambda r: (r.rank is None, r.rank or 0))
    titles = sorted({row.title for row in rows if row.title})
    return PositionGroup(group_code, GROUP_LABELS[group_code], name, titles, rows)
