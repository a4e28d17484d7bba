"""Monthly scores of the whole demo city from its work record, against the COPY floor.

Builds the demo city (default 200,000 people) in an empty database, or reuses the one it built
before, gives every person a verified month of three tasks (some late, some with failed
reviews), opens the month under NĐ 335 over the whole city, and times `month_scores_compute`:
first as the people's own work gives it; then the COPY of the rows it wrote (into an indexed
table without foreign keys, and back into their own table, committed); a recompute with
nothing changed; and the close once superiors have entered every leader's organising score
(as a recompute, then as a first close).

    THUOCDO_SQLITE_PATH=/tmp/monthly.sqlite3 .venv/bin/python bench/monthly.py [--people N]
    DATABASE_URL=postgres://.../thuocdo_bench .venv/bin/python bench/monthly.py
"""

from __future__ import annotations

import argparse
import datetime
import io
import os
import random
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thuocdo.settings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Q  # noqa: E402

from thuocdo.demo.registry import ROOT_CODE, demo_build, demo_is_empty  # noqa: E402
from thuocdo.org.models import Person, Post, Unit, User  # noqa: E402
from thuocdo.reviews.models import (  # noqa: E402
    AssessmentSource,
    MonthlyAssessment,
    MonthlyScore,
    Period,
)
from thuocdo.reviews.monthly.services import month_scores_compute  # noqa: E402
from thuocdo.work.models import PlanState, Task, TaskState, WorkPlan  # noqa: E402

YEAR, MONTH = 2026, 10


@transaction.atomic
def work_record(seed: int) -> int:
    """Three verified tasks per person in October 2026, in bulk."""
    rng = random.Random(seed)
    people = list(Person.objects.values_list("pk", flat=True))
    plans = WorkPlan.objects.bulk_create(
        [WorkPlan(person_id=pk, year=YEAR, month=MONTH, state=PlanState.APPROVED) for pk in people],
        batch_size=5000,
    )
    tasks = []
    for plan in plans:
        for n in range(3):
            due = datetime.date(YEAR, MONTH, 10 + 7 * n)
            late = rng.random() < 0.1
            tasks.append(
                Task(
                    plan=plan,
                    title=f"Nhiệm vụ {n + 1}",
                    quantity=Decimal(rng.randint(1, 5)),
                    due_date=due,
                    state=TaskState.VERIFIED,
                    progress=100,
                    completed_on=due + datetime.timedelta(days=3 if late else -1),
                    quantity_done=Decimal(1),
                    quality_passed=True,
                    delays=int(late),
                    failed_reviews=int(rng.random() < 0.08),
                    exceeded=rng.random() < 0.2,
                )
            )
    Task.objects.bulk_create(tasks, batch_size=5000)
    return len(tasks)


def main() -> None:
    """Build (or reuse), then time the monthly computation against the COPY floor."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    if demo_is_empty():
        t0 = time.perf_counter()
        demo_build(people=args.people, seed=args.seed)
        print(f"demo city: {args.people:,} people in {time.perf_counter() - t0:.1f} s")
        t0 = time.perf_counter()
        count = work_record(args.seed)
        print(f"work record: {count:,} verified tasks in {time.perf_counter() - t0:.1f} s")
    elif not Task.objects.filter(plan__year=YEAR, plan__month=MONTH).exists():
        sys.exit("Cơ sở dữ liệu không trống: hãy chạy trên một cơ sở dữ liệu mới.")
    else:
        print(f"reusing the city in the database: {Person.objects.count():,} people")
    admin = User.objects.get(username="quantri")
    period, _ = Period.objects.get_or_create(
        kind="month",
        year=YEAR,
        number=MONTH,
        unit=Unit.objects.get(code=ROOT_CODE),
        defaults={"ruleset": "nd-335-2025"},
    )
    # A reused database starts from the same state as a new one: no scores, no đ.
    MonthlyScore.objects.filter(period=period).delete()
    MonthlyAssessment.objects.filter(period=period).delete()
    _analyze()
    t0 = time.perf_counter()
    scored = month_scores_compute(actor=admin, period=period)
    elapsed = time.perf_counter() - t0
    print(
        f"monthly scores: {scored:,} people in {elapsed:.1f} s ({scored / elapsed:,.0f} people/s)"
    )
    floors = copy_floors(period)
    if floors is not None:
        bare, floor = floors
        print(
            f"COPY of the same {scored:,} result rows into an indexed table without foreign keys: "
            f"{bare:.2f} s (the close is {elapsed / bare:.2f}× that); into their own table, "
            f"committed with its foreign keys checked: {floor:.2f} s "
            f"(the close is {elapsed / floor:.2f}× that)"
        )
    t0 = time.perf_counter()
    month_scores_compute(actor=admin, period=period)
    print(f"recompute with nothing changed: {time.perf_counter() - t0:.1f} s")
    print(f"levels: {dict(sorted(_levels(period).items()))}")
    # The normal NĐ 335 workflow: superiors enter the heads' and deputies' organising score
    # (đ), so each leader's result part (d) counts their unit's levels.
    leaders = organising_scores(period, admin, args.seed)
    t1 = time.perf_counter()
    month_scores_compute(actor=admin, period=period)
    with_leaders = time.perf_counter() - t1
    print(
        f"with {leaders:,} leaders' organising scores: {with_leaders:.1f} s "
        f"({with_leaders / elapsed:.2f}× the first close)"
    )
    # The same close from nothing, with the đ already there: the second figure.
    MonthlyScore.objects.filter(period=period).delete()
    _vacuum()
    t1 = time.perf_counter()
    month_scores_compute(actor=admin, period=period)
    fresh = time.perf_counter() - t1
    print(
        f"first close with the leaders' đ already entered: {fresh:.1f} s "
        f"({fresh / elapsed:.2f}× the first close"
        + (
            f", {fresh / floors[0]:.2f}× and {fresh / floors[1]:.2f}× the two floors)"
            if floors
            else ")"
        )
    )


def _analyze() -> None:
    if connection.vendor == "postgresql":
        _vacuum()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def _vacuum() -> None:
    """A reused database's deleted scores vacuumed away, so that every run starts as the first
    (the dead rows of earlier runs slowed each next close and COPY)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM {MonthlyScore._meta.db_table}")


def copy_floors(period: Period) -> tuple[float, float] | None:
    """Seconds PostgreSQL takes to COPY the period's result rows, as the close wrote them: into
    a table shaped and indexed like theirs but without foreign keys, and back into their own
    table, committed (the foreign keys to the period, the person and the unit are checked at
    commit, as for the close). The write floors of a close; None on SQLite."""
    if connection.vendor != "postgresql":
        return None
    table = MonthlyScore._meta.db_table
    buffer = io.BytesIO()
    with connection.cursor() as cursor:
        raw = cursor.cursor
        with raw.copy(
            f"COPY (SELECT * FROM {table} WHERE period_id = %s) TO STDOUT",  # noqa: S608 - our table
            [period.pk],
        ) as copy:
            for chunk in copy:
                buffer.write(chunk)
        data = buffer.getvalue()
        # A table of the database like theirs (written to the WAL, as theirs is), not a
        # temporary one, which skips the WAL and would make the floor lower than any real write.
        cursor.execute(f"CREATE TABLE floor_scores (LIKE {table} INCLUDING ALL)")
        try:
            t0 = time.perf_counter()
            with transaction.atomic(), raw.copy("COPY floor_scores FROM STDIN") as copy:
                copy.write(data)
            bare = time.perf_counter() - t0
        finally:
            cursor.execute("DROP TABLE floor_scores")
        # The same rows replace themselves (the table holds what it held), into the table as
        # the close found it: the old rows deleted, committed and vacuumed away.
        cursor.execute(f"DELETE FROM {table} WHERE period_id = %s", [period.pk])  # noqa: S608
        _vacuum()
        t0 = time.perf_counter()
        with transaction.atomic(), raw.copy(f"COPY {table} FROM STDIN") as copy:
            copy.write(data)
        own = time.perf_counter() - t0  # the COPY and the commit with its foreign-key checks
        return bare, own


@transaction.atomic
def organising_scores(period: Period, by: User, seed: int) -> int:
    """A superior's assessment with an organising score for every head and deputy."""
    rng = random.Random(seed)
    leaders = Post.objects.filter(Q(is_head=True) | Q(is_deputy=True)).values_list(
        "person_id", flat=True
    )
    MonthlyAssessment.objects.bulk_create(
        [
            MonthlyAssessment(
                period=period,
                person_id=pk,
                source=AssessmentSource.LEADER,
                general=Decimal(rng.randint(20, 30)),
                organising=Decimal(rng.randint(60, 100)),
                by=by,
            )
            for pk in set(leaders)
        ],
        batch_size=5000,
        ignore_conflicts=True,
    )
    return len(set(leaders))


def _levels(period: Period) -> dict[str, int]:
    from django.db.models import Count

    rows = MonthlyScore.objects.filter(period=period).values("level").annotate(n=Count("id"))
    return {row["level"]: row["n"] for row in rows}


if __name__ == "__main__":
    main()
