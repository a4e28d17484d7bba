"""The reports read imported history from its per-unit summary (`HistoryCount`): on a built
demo city, every report equals the one counted here from the raw rows, with the same rules (a
branch per child subtree, history left out where a reported period covers the unit, a history
row without a category taking its person's)."""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection, transaction

from thuocdo.demo.history import demo_history_build
from thuocdo.demo.registry import ROOT_CODE, demo_build
from thuocdo.org.models import PATH_SEGMENT, Person, Unit, User
from thuocdo.reports.common.levels import ALL_LEVELS, UNCLASSIFIED
from thuocdo.reports.common.selectors import REPORTED_STATES, distribution_report
from thuocdo.reports.models import HistoricalResult
from thuocdo.reports.trends.selectors import year_trends
from thuocdo.reviews.annual.services.counts import period_counts_refresh
from thuocdo.reviews.models import Evaluation, MonthlyScore, Period
from thuocdo.reviews.monthly.services import period_open

MONTH = 3
Key = tuple[str, str]  # (group, branch path)


@pytest.fixture(scope="module")
def city(django_db_setup: None, django_db_blocker: Any) -> Iterator[dict[str, Unit]]:
    """A small demo city with three past years; 2025 published over district Q01 (its counts
    summarised, as by the publication) and over another district (read from its rows), both
    covering their history; 2024 over Q02 still being concluded; and a month of 2026."""
    with django_db_blocker.unblock(), transaction.atomic():
        demo_build(people=400, seed=2026)
        demo_history_build(seed=2026, today=datetime.date(2026, 12, 1))
        actor = User.objects.create(username="counts", is_superuser=True, is_staff=True)
        root = Unit.objects.get(code=ROOT_CODE)
        q01, q02 = Unit.objects.get(code="Q01"), Unit.objects.get(code="Q02")
        districts = Unit.objects.filter(depth=q01.depth).exclude(pk__in=[q01.pk, q02.pk])
        other = districts.order_by("code")[0]
        for unit, year, state in (
            (q01, 2025, "published"),
            (q02, 2024, "conclusion"),
            (other, 2025, "published"),
        ):
            period = period_open(
                actor=actor, unit=unit, kind="year", year=year, number=None, ruleset="qd-366-2025"
            )
            with connection.cursor() as cursor:
                cursor.execute(
                    "UPDATE reviews_evaluation SET score = 60 + (id %% 40), level = CASE"
                    " WHEN id %% 7 = 0 THEN 'KHT' WHEN id %% 5 = 0 THEN 'HTNV'"
                    " WHEN id %% 3 = 0 THEN 'HTXS' ELSE 'HTT' END WHERE period_id = %s",
                    [period.pk],
                )
            Period.objects.filter(pk=period.pk).update(state=state)
            if unit == q01:
                period_counts_refresh(period)
        month = Period.objects.create(
            kind="month", year=2026, number=MONTH, unit=root, ruleset="nd-335-2025"
        )
        zero = Decimal(0)
        for i, person in enumerate(Person.objects.order_by("pk")[:150]):
            post = person.posts.order_by("pk").first()
            if post is None:
                continue
            MonthlyScore.objects.create(
                period=month,
                person=person,
                unit=post.unit,
                general=zero,
                quantity=zero,
                quality=zero,
                timeliness=zero,
                results=zero,
                total=Decimal(80),
                proposed_level=ALL_LEVELS[i % 4],
                level=ALL_LEVELS[i % 4],
            )
        ward = Unit.objects.filter(path__startswith=q01.path, depth=q01.depth + 1)
        units = {"city": root, "Q01": q01, "Q02": q02, "other": other}
        units["ward"] = ward.order_by("path")[0]
        yield units
        transaction.set_rollback(True)


def _branch(unit: Unit, path: str) -> str:
    return path[: len(unit.path) + PATH_SEGMENT + 1]


def _raw(
    unit: Unit, year: int, group: str | None, category: str | None, month: int | None
) -> tuple[dict[Key, Counter[str]], int, int]:
    """The report's counts per (group, branch), evaluated and imported, from the raw rows."""
    counts: dict[Key, Counter[str]] = defaultdict(Counter)
    sources = Counter[str]()
    if month:
        scores = MonthlyScore.objects.filter(
            period__kind="month", period__year=year, period__number=month
        ).values_list("unit__path", "level", "person__category")
        for path, level, person_category in scores:
            wanted = not category or person_category == category
            if path.startswith(unit.path) and level in ALL_LEVELS and wanted:
                counts[("monthly", _branch(unit, path))][level] += 1
                sources["evaluated"] += 1
        return counts, sources["evaluated"], 0
    reported = Period.objects.filter(kind="year", year=year, state__in=REPORTED_STATES)
    covered = [p.unit.path for p in reported]
    evaluations = Evaluation.objects.filter(
        period__kind="year", period__year=year, period__state__in=REPORTED_STATES
    ).values_list("unit__path", "group", "level", "person__category")
    for path, group_code, level, person_category in evaluations:
        if not path.startswith(unit.path) or level not in ALL_LEVELS:
            continue
        if (group and group_code != group) or (category and person_category != category):
            continue
        counts[(group_code, _branch(unit, path))][level] += 1
        sources["evaluated"] += 1
    history = HistoricalResult.objects.filter(year=year).values_list(
        "unit__path", "group", "level", "category", "person__category"
    )
    for path, group_code, level, own_category, person_category in history:
        if not path.startswith(unit.path) or any(path.startswith(c) for c in covered):
            continue
        if group and group_code != group:
            continue
        # A row without a category takes its person's.
        if category and (own_category or person_category) != category:
            continue
        counts[(group_code, _branch(unit, path))][level] += 1
        sources["imported"] += 1
    return counts, sources["evaluated"], sources["imported"]


CASES = [
    ("city", 2025, None, None, None),
    ("city", 2024, None, None, None),
    ("city", 2025, "party_member", None, None),
    ("Q01", 2025, None, None, None),
    ("other", 2025, "civil_servant", None, None),
    ("Q01", 2023, "collective", None, None),
    ("Q02", 2024, "civil_servant", None, None),
    ("ward", 2024, None, None, None),
    ("city", 2025, None, "civil_servant", None),
    ("Q01", 2024, "party_member", "cadre", None),
    ("city", 2026, None, None, MONTH),
    ("Q01", 2026, None, "civil_servant", MONTH),
]


@pytest.mark.parametrize(("unit", "year", "group", "category", "month"), CASES)
def test_the_distribution_equals_the_count_of_the_raw_rows(
    db: None,
    city: dict[str, Unit],
    unit: str,
    year: int,
    group: str | None,
    category: str | None,
    month: int | None,
) -> None:
    chosen = city[unit]
    expected, evaluated, imported = _raw(chosen, year, group, category, month)
    report = distribution_report(
        unit=chosen, year=year, group=group, category=category, month=month
    )
    found = {
        (g.group, chosen.path if row.own else row.unit.path): Counter(
            {level: row.counts.count(level) for level in ALL_LEVELS if row.counts.count(level)}
        )
        for g in report.groups
        for row in g.rows
    }
    assert found == dict(expected)
    assert (report.evaluated, report.imported) == (evaluated, imported)
    assert imported or evaluated  # each case has something to count


@pytest.mark.parametrize(
    ("unit", "group"),
    [("city", None), ("city", "party_member"), ("Q01", None), ("other", None), ("ward", None)],
)
def test_the_trends_equal_the_count_of_the_raw_rows(
    db: None, city: dict[str, Unit], unit: str, group: str | None
) -> None:
    chosen = city[unit]
    trends = year_trends(unit=chosen, group=group)
    assert trends.years == [2023, 2024, 2025]
    for point_group in trends.groups:
        for index, year in enumerate(trends.years):
            expected, _, _ = _raw(chosen, year, point_group.group, None, None)
            lines = {
                (chosen.path if line.own else line.unit.path): line.cells[index]
                for line in point_group.units
            }
            for (_, branch), levels in expected.items():
                assert {lv: lines[branch].count(lv) for lv in levels} == dict(levels)
            assert sum(c.total for c in lines.values()) == sum(
                sum(levels.values()) for levels in expected.values()
            )
    # The mean score of a year: the history's own scores where no period covers the unit.
    covered = [p.unit.path for p in Period.objects.filter(year=2024, state__in=REPORTED_STATES)]
    scores = [
        s
        for path, s, lv, g in HistoricalResult.objects.filter(year=2024).values_list(
            "unit__path", "score", "level", "group"
        )
        if path.startswith(chosen.path)
        and not any(path.startswith(c) for c in covered)
        and s is not None
        and lv != UNCLASSIFIED
        and g == trends.groups[0].group
    ]
    point = trends.groups[0].points[1]
    assert point.scored == len(scores)
    assert point.mean_score is not None
    assert abs(point.mean_score - sum(scores, Decimal(0)) / len(scores)) < Decimal("0.01")
