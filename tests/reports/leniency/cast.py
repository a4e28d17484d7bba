"""Shared set-up of the leniency tests: five wards of Quận Một, one of them lenient, with
their 2021 history, and a 2026 system period whose civil servants proposed their own levels."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from tests.conftest import World
from thuocdo.org import services as org
from thuocdo.org.models import Person, Post, Unit
from thuocdo.reports.models import HistoricalResult
from thuocdo.reviews.models import Evaluation, Period

# Party members of five wards of Quận Một in 2021, (HTXS, HTT, score of each): P1 rates 9 of
# 20 excellent (45%) and scores everyone 95; its siblings 10%-20% and 80.
WARDS = {
    "P1": (9, 11, 95),
    "W2": (3, 17, 80),
    "W3": (2, 18, 80),
    "W4": (3, 17, 81),
    "W5": (4, 16, 79),
}


def history(unit: Unit, year: int, group: str, levels: dict[str, int], score=None) -> None:
    """Imported results of one unit: `levels` counts each level."""
    rows = [
        HistoricalResult(
            year=year,
            group=group,
            subject_code=f"{unit.code}-{group}-{year}-{level}-{i}",
            unit=unit,
            level=level,
            score=score,
        )
        for level, n in levels.items()
        for i in range(n)
    ]
    HistoricalResult.objects.bulk_create(rows)


def ward(world: World, code: str) -> Unit:
    if code == "P1":
        return world.p1
    return org.unit_create(
        actor=None, code=code, name=f"Phường {code}", kind="state", parent=world.q1
    )


def lenient_wards(world: World) -> dict[str, Unit]:
    """Five wards of Quận Một with their 2021 history: P1 is the lenient one."""
    units = {code: ward(world, code) for code in WARDS}
    for code, (htxs, htt, score) in WARDS.items():
        history(units[code], 2021, "party_member", {"HTXS": htxs, "HTT": htt}, Decimal(score))
    return units


@dataclass
class Proposals:
    """A ward's civil servants: how many were concluded lower than they proposed, and equal."""

    lowered: int
    equal: int


SELF_VS_CONCLUDED = {"P1": Proposals(0, 12), "W2": Proposals(3, 9), "W3": Proposals(2, 10),
                     "W4": Proposals(4, 8)}  # fmt: skip


def system_year(world, units: dict[str, Unit], state: str = "published") -> Period:
    """A 2026 period over Q1 whose civil servants proposed HTXS or HTT for themselves.

    Set-up shortcut: people, posts and evaluations are bulk-created; the cycle's services are
    tested in tests/reviews."""
    period = Period.objects.create(
        kind="year", year=2026, unit=world.q1, ruleset="nd-335-2025", state=state
    )
    for code, proposals in SELF_VS_CONCLUDED.items():
        n = proposals.lowered + proposals.equal
        people = Person.objects.bulk_create(
            Person(
                code=f"{code}-{i}",
                full_name=f"Người {code} {i}",
                birth_date=datetime.date(1990, 1, 1),
                gender="male",
                category="civil_servant",
            )
            for i in range(n)
        )
        posts = Post.objects.bulk_create(
            Post(
                person=p, unit=units[code], title="Công chức", start_date=datetime.date(2020, 1, 1)
            )
            for p in people
        )
        Evaluation.objects.bulk_create(
            Evaluation(
                period=period,
                kind="individual",
                person=post.person,
                post=post,
                unit=units[code],
                group="civil_servant",
                quota_group="G",
                self_level="HTXS" if i < proposals.lowered else "HTT",
                level="HTT",
            )
            for i, post in enumerate(posts)
        )
    return period
