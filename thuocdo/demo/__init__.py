"""The demo city "Thành phố Mẫu", fictional but realistic, built on an empty database by one
entry point, `build`: its registry (`registry`: units, people, posts, disciplines, rewards,
authorities and one login per role), its work (`work`: task catalogues, two months of work
record, last month scored, this year's targets of heads), its past (`history`: three years of
classification results, one district lenient, one at the quota limit), its careers
(`careers`: a planning pool, a rotation, people built to trigger each review flag) with a
confidence vote (`votes`), and this year's annual period of the logins' ward under way
(`year`: self-reviews written or entered on behalf, the leaders' assessments), and this
morning's reminders (`notifications`). Everything
random comes from `random.Random(seed)`: a seed and a date always give the same city.
`thuocdo demo` (org's management command) calls `build`.
"""

from __future__ import annotations

import datetime
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction

from thuocdo.demo.bulk import foreign_keys_checked_at_end
from thuocdo.demo.careers import demo_careers_build
from thuocdo.demo.common import Clock, DemoError, Progress
from thuocdo.demo.history import demo_history_build
from thuocdo.demo.notifications import demo_notifications_build
from thuocdo.demo.registry import DEMO_PASSWORD, DemoLogin, DemoSummary, demo_build, demo_is_empty
from thuocdo.demo.work import demo_work_build, demo_work_tour
from thuocdo.demo.year import demo_year_build, demo_year_tour
from thuocdo.memory import no_cyclic_gc


@dataclass(frozen=True)
class DemoCity:
    """What `build` created: the registry's summary, and the counts of the rest (empty when
    built without work)."""

    summary: DemoSummary
    work: dict[str, int] = field(default_factory=dict)
    # Seconds spent in each phase of the build, in order (registry, work, history...), and
    # inside them the month closes ("…: month close", the reviews' own computation).
    timings: dict[str, float] = field(default_factory=dict)


def build(
    *,
    people: int = 3000,
    seed: int = 2026,
    today: datetime.date,
    work: bool = True,
    progress: Progress | None = None,
) -> DemoCity:
    """Build the whole demo city in one transaction (a failure leaves the database as it
    was); raises DemoError. Without `work`, only the registry."""
    clock = Clock()
    with no_cyclic_gc(), transaction.atomic(), foreign_keys_checked_at_end():
        with clock.phase("registry"):
            summary = demo_build(people=people, seed=seed, progress=progress)
        counts: dict[str, int] = {}
        if work:
            phases: list[tuple[str, Callable[[], dict[str, int]]]] = [
                (
                    "work",
                    lambda: demo_work_build(seed=seed, today=today, progress=progress, clock=clock),
                ),
                ("history", lambda: demo_history_build(seed=seed, today=today)),
                ("careers", lambda: demo_careers_build(seed=seed, today=today)),
                ("year", lambda: demo_year_build(seed=seed, today=today)),
                ("notifications", lambda: demo_notifications_build(today=today)),
            ]
            for phase, step in phases:
                with clock.phase(phase):
                    counts |= step()
        checks = time.monotonic()
    # The foreign keys added back (each checked over its whole table), and the commit.
    clock.seconds["keys and commit"] = time.monotonic() - checks
    return DemoCity(summary, counts, clock.seconds)


is_empty = demo_is_empty


def tour(today: datetime.date) -> list[tuple[str, str]]:
    """Where each demo login finds this month's and this year's work."""
    return demo_work_tour(today) + demo_year_tour(today)


__all__ = [
    "DEMO_PASSWORD",
    "DemoCity",
    "DemoError",
    "DemoLogin",
    "DemoSummary",
    "Progress",
    "build",
    "is_empty",
    "tour",
]
