"""Builders of trend data: history across three years, a published system year over Q1,
monthly scores, and people in equivalent positions."""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from tests.conftest import World
from tests.reports.conftest import import_as, workbook_bytes
from thuocdo.org import services as org
from thuocdo.org.models import Person, Post, Unit
from thuocdo.reports.common.levels import LevelCounts
from thuocdo.reviews.models import Evaluation, MonthlyScore, Period

D = Decimal

# (subject code, unit code, year, level, score) of Party members, imported as history.
HISTORY: list[tuple[str, str, int, str, Decimal | None]] = [
    ("H01", "P1", 2023, "HTXS", D(92)),
    ("H02", "P1", 2023, "HTT", D(80)),
    ("H03", "CB1", 2023, "HTT", D(75)),
    ("H04", "P2", 2023, "HTXS", None),
    ("H05", "P2", 2023, "HTNV", D(60)),
    ("H01", "P1", 2024, "HTXS", D(94)),
    ("H02", "P1", 2024, "HTXS", D(91)),
    ("H03", "CB1", 2024, "HTT", D("78.5")),
    ("H04", "P2", 2024, "HTT", D(82)),
    ("H05", "P2", 2024, "KHT", D(40)),
    ("H06", "Q2", 2024, "HTXS", D(90)),
    # 2025: Q1 ran the year in the system, so its history of 2025 must be left out.
    ("H01", "P1", 2025, "KHT", D(30)),
    ("H02", "P1", 2025, "KHT", D(30)),
    ("H04", "P2", 2025, "HTT", D(86)),
    ("H05", "P2", 2025, "HTT", D(85)),
    ("H07", "P2", 2025, "KXL", None),
]
# (person attribute of the cast, level, score) of the system's published 2025 over Q1.
SYSTEM_2025: list[tuple[str, str, Decimal | None]] = [
    ("alice", "HTXS", D(95)),
    ("carol", "HTXS", D(91)),
    ("lena", "HTT", D("87.5")),
]
PATHS = {"P1": "Q1", "CB1": "Q1", "P2": "Q2", "Q2": "Q2"}  # unit → district


def history_import(world: World, rows: Iterable[tuple[str, str, int, str, Any]]) -> None:
    """Import Party members' results as history."""
    lines = [
        [code, "", unit, year, "Đảng viên", level, score] for code, unit, year, level, score in rows
    ]
    import_as(world, "root", workbook_bytes(lines))


def year_period(world: World, year: int, unit: Unit, state: str = "published") -> Period:
    """A system annual period in a given state."""
    return Period.objects.create(
        kind="year", year=year, unit=unit, ruleset="qd-366-2025", state=state
    )


def evaluate(
    period: Period,
    person: Person,
    level: str,
    score: Decimal | None,
    *,
    group: str = "party_member",
    duty_group: str | None = None,
    post: Post | None = None,
) -> Evaluation:
    """A concluded individual evaluation (in the person's first post)."""
    post = post or Post.objects.filter(person=person).order_by("id")[0]
    return Evaluation.objects.create(
        period=period,
        kind="individual",
        person=person,
        post=post,
        unit=post.unit,
        group=group,
        quota_group="G",
        duty_group=post.duty_group if duty_group is None else duty_group,
        level=level,
        score=score,
        state="published",
    )


def three_years(world: World) -> Period:
    """History of 2023–2025 and the published 2025 period over Q1 with three evaluations."""
    history_import(world, HISTORY)
    period = year_period(world, 2025, world.q1)
    for name, level, score in SYSTEM_2025:
        evaluate(period, getattr(world, name), level, score)
    return period


def expected_counts(year: int, district: str | None = None) -> LevelCounts:
    """What the report must count in a year (in one district): history, except Q1's in 2025,
    where the system's published results count instead."""

    def keep(unit: str) -> bool:
        return district is None or PATHS[unit] == district

    rows = [(u, lv) for _, u, y, lv, _ in HISTORY if y == year]
    if year == 2025:
        rows = [(u, lv) for u, lv in rows if PATHS[u] != "Q1"]
        rows += [("P1", lv) for _, lv, _ in SYSTEM_2025]
    return LevelCounts.of(Counter(lv for u, lv in rows if keep(u)))


def expected_mean(year: int) -> Decimal:
    """The mean of the known scores of the classified, rounded to two decimals."""
    if year == 2025:
        scores = [s for _, u, y, lv, s in HISTORY if y == year and PATHS[u] != "Q1" and lv != "KXL"]
        scores += [s for _, lv, s in SYSTEM_2025]
    else:
        scores = [s for _, _, y, lv, s in HISTORY if y == year and lv != "KXL"]
    known = [s for s in scores if s is not None]
    return (sum(known, D(0)) / len(known)).quantize(D("0.01"))


def person_in(world: World, code: str, name: str, unit: Unit, title: str, duty: str = "") -> Person:
    """A công chức holding one post."""
    person = org.person_create(
        None,
        code=code,
        full_name=name,
        birth_date=datetime.date(1990, 1, 1),
        gender="female",
        category="civil_servant",
        is_party_member=False,
    )
    org.post_create(
        None,
        person=person,
        unit=unit,
        title=title,
        duty_group=duty,
        start_date=datetime.date(2020, 1, 1),
    )
    return person


def month_period(
    world: World,
    number: int,
    unit: Unit,
    *,
    kind: str = "month",
    year: int = 2026,
    ruleset: str = "hn-3814-2018",
) -> Period:
    """A monthly (or quarterly) scoring period."""
    return Period.objects.create(kind=kind, year=year, number=number, unit=unit, ruleset=ruleset)


def month_score(
    period: Period, person: Person, total: Decimal, proposed: str, level: str | None = None
) -> MonthlyScore:
    """A person's score of a month, the head's level defaulting to the engine's."""
    post = Post.objects.filter(person=person).order_by("id")[0]
    return MonthlyScore.objects.create(
        period=period,
        person=person,
        unit=post.unit,
        general=D(20),
        quantity=D(1),
        quality=D(1),
        timeliness=D(1),
        results=total - 20,
        total=total,
        proposed_level=proposed,
        level=level or proposed,
    )


def levels_of(rows: Sequence[tuple[Any, ...]], index: int) -> Counter[str]:
    """A Counter of one column."""
    return Counter(row[index] for row in rows)
