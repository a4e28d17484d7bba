"""Opening the month for the whole demo city, and one person's score on each save.

Builds the demo city (default 200,000 people) in a fresh database as `bench/monthly.py` does,
gives every person this month's three tasks (two verified, one reported done and waiting),
then times: opening the month once over the city's root unit; the first computation of the
whole (running, so provisional) month; and saves, each of which updates that person's score
at once (and the head's of their unit where the unit's levels feed it): a leader's scoring, a
self-assessment and a verification, for people drawn at random. The target (issue 13) is a
save under 150 ms at 200,000 people.

    THUOCDO_SQLITE_PATH=/tmp/save.sqlite3 .venv/bin/python bench/month_save.py [--people N]
    DATABASE_URL=postgres://.../thuocdo_bench .venv/bin/python bench/month_save.py
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from decimal import Decimal
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thuocdo.settings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from thuocdo.demo.registry import ROOT_CODE, demo_build, demo_is_empty  # noqa: E402
from thuocdo.org.models import Person, Post, Unit, User  # noqa: E402
from thuocdo.org.scope import today  # noqa: E402
from thuocdo.reviews.models import MonthlyScore  # noqa: E402
from thuocdo.reviews.monthly.services import (  # noqa: E402
    assessment_record,
    month_scores_compute,
    period_open,
)
from thuocdo.work.models import PlanState, Task, TaskState, WorkPlan  # noqa: E402
from thuocdo.work.services import task_verify  # noqa: E402

SAVES = 30


@transaction.atomic
def work_record(seed: int, year: int, month: int) -> int:
    """Three tasks per person this month, in bulk: two verified, the last one waiting."""
    rng = random.Random(seed)
    people = list(Person.objects.values_list("pk", flat=True))
    plans = WorkPlan.objects.bulk_create(
        [WorkPlan(person_id=pk, year=year, month=month, state=PlanState.APPROVED) for pk in people],
        batch_size=5000,
    )
    first = datetime.date(year, month, 1)
    tasks = []
    for plan in plans:
        for n in range(3):
            due = first + datetime.timedelta(days=2 + n)
            tasks.append(
                Task(
                    plan=plan,
                    title=f"Nhiệm vụ {n + 1}",
                    quantity=Decimal(rng.randint(1, 5)),
                    due_date=due,
                    state=TaskState.VERIFIED if n < 2 else TaskState.DONE,
                    progress=100,
                    completed_on=due,
                    quantity_done=Decimal(1),
                    quality_passed=True if n < 2 else None,
                    evidence_note="Đã gửi",
                )
            )
    Task.objects.bulk_create(tasks, batch_size=5000)
    return len(tasks)


def _timed(label: str, runs: list[Callable[[], object]]) -> None:
    """Run each save once, print the median, 95th percentile and worst in milliseconds."""
    times = []
    for run in runs:
        started = time.perf_counter()
        run()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    print(
        f"{label}: median {statistics.median(times):.0f} ms, p95 {p95:.0f} ms, "
        f"worst {times[-1]:.0f} ms over {len(times)} saves"
    )


def main() -> None:
    """Build, open, compute once, then time saves."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    if not demo_is_empty():
        sys.exit("Cơ sở dữ liệu không trống: hãy chạy trên một cơ sở dữ liệu mới.")
    at = today()
    started = time.perf_counter()
    demo_build(people=args.people, seed=args.seed)
    print(f"demo city: {args.people:,} people in {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    count = work_record(args.seed, at.year, at.month)
    elapsed = time.perf_counter() - started
    print(f"work record: {count:,} tasks of {at.month:02d}/{at.year} in {elapsed:.1f} s")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    admin = User.objects.get(username="quantri")
    started = time.perf_counter()
    period = period_open(
        actor=admin,
        unit=Unit.objects.get(code=ROOT_CODE),
        kind="month",
        year=at.year,
        number=at.month,
        ruleset="nd-335-2025",
    )
    print(f"open the month over the city: {(time.perf_counter() - started) * 1000:.0f} ms")
    started = time.perf_counter()
    scored = month_scores_compute(actor=admin, period=period)
    print(
        f"first computation of the running month: {scored:,} people in "
        f"{time.perf_counter() - started:.1f} s (provisional, no level)"
    )
    rng = random.Random(args.seed)
    staff = list(
        Post.objects.active(at)
        .filter(is_head=False, is_deputy=False)
        .values_list("person_id", flat=True)
        .distinct()
    )
    people = rng.sample(staff, SAVES * 3)
    leader, own, verified = people[:SAVES], people[SAVES : 2 * SAVES], people[2 * SAVES :]
    _timed(
        "a leader's scoring",
        [
            partial(
                assessment_record,
                actor=admin,
                period=period,
                person_id=pid,
                source="leader",
                general=Decimal(28),
            )
            for pid in leader
        ],
    )
    selves = {p.pk: p.user for p in Person.objects.filter(pk__in=own).select_related("user")}
    _timed(
        "a self-assessment (entered on the person's behalf where they have no account)",
        [
            partial(
                assessment_record,
                actor=selves[pid] or admin,
                period=period,
                person_id=pid,
                source="self",
                general=Decimal(27),
            )
            for pid in own
        ],
    )
    waiting = {
        t.plan.person_id: t
        for t in Task.objects.filter(
            plan__person_id__in=verified, state=TaskState.DONE
        ).select_related("plan__person")
    }
    _timed(
        "a verification",
        [
            partial(task_verify, actor=admin, task=waiting[pid], quality_passed=True)
            for pid in verified
        ],
    )
    changed = MonthlyScore.objects.filter(period=period, person_id__in=leader).first()
    assert changed is not None and changed.general == Decimal(28)
    print(f"the board shows what was saved: {changed.general} points, level «{changed.level}»")


if __name__ == "__main__":
    main()
