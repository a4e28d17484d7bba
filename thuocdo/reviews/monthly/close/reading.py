"""The month close's reads: plain rows of posts, tasks and assessments, summed as integers."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import BigIntegerField, Case, F, IntegerField, QuerySet, Value, When
from django.db.models.functions import Cast, Coalesce, Round

from thuocdo.org.models import Post
from thuocdo.reviews.models import AssessmentSource, MonthlyAssessment, Period
from thuocdo.reviews.monthly.opening import deeper_periods, month_end, period_months
from thuocdo.work.models import Exemption, ExemptionKind, ExemptionState, Task, TaskState, WorkPlan

FACTS_VERSION = 2
# Bits of a task's flags in the facts.
DONE, MEETS_QUALITY, OBJECTIVE = 1, 2, 4
VERIFIED = TaskState.VERIFIED.value
UNFINISHED = {TaskState.PLANNED.value, TaskState.IN_PROGRESS.value}
AWAITING = TaskState.DONE.value
DELAY, ERROR = ExemptionKind.DELAY.value, ExemptionKind.ERROR.value
SELF, LEADER = AssessmentSource.SELF.value, AssessmentSource.LEADER.value


# The tables a close reads, and the share of rows changed since PostgreSQL last sampled them
# beyond which they are sampled again first. A city loaded in bulk and closed at once had no
# statistics yet: the planner chose nested loops and one read took minutes instead of seconds.
READ_TABLES = (Task, WorkPlan, Post, Exemption, MonthlyAssessment)
STALE_SHARE = 0.2


def statistics_refresh() -> list[str]:
    """ANALYZE the tables the close reads whose statistics are missing or stale (PostgreSQL;
    autovacuum usually keeps them, but not right after a bulk load). Returns their names."""
    if connection.vendor != "postgresql":
        return []
    names = [model._meta.db_table for model in READ_TABLES]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname FROM pg_stat_user_tables WHERE relname = ANY(%s) "
            "AND n_mod_since_analyze > 1000 AND n_mod_since_analyze > %s * GREATEST(n_live_tup, 1)",
            [names, STALE_SHARE],
        )
        stale = sorted(row[0] for row in cursor.fetchall())
        for table in stale:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")
    return stale


def hundredths(value: Decimal) -> int:
    """A Decimal of at most two places as an integer count of hundredths."""
    scaled = value * 100
    if scaled != scaled.to_integral_value():
        raise ValueError(f"{value} has more than two decimals")
    return int(scaled)


# -- Reading plain rows ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PostRow:
    """The post a person's month is scored in."""

    unit_id: int
    unit_code: str
    leads: bool


def post_rows(
    period: Period,
    person_ids: list[int] | None = None,
    deeper: list[Period] | None = None,
) -> dict[int, PostRow]:
    """Each person's post in the month's subtree, a head post first (as `primary_posts`);
    people of a deeper period of the same month are left to it."""
    query = (
        scope_posts(period, person_ids, deeper)
        .order_by("person_id", "-is_head", "-is_deputy", "start_date", "id")
        .values_list("person_id", "unit_id", "unit__code", "is_head", "is_deputy")
    )
    rows: dict[int, PostRow] = {}
    try:
        sql, params = query.query.sql_with_params()
    except EmptyResultSet:  # nobody asked for
        return rows
    with connection.cursor() as cursor:
        for pid, unit_id, code, head, deputy in _stream(cursor, sql, params):
            if pid not in rows:
                rows[pid] = PostRow(unit_id, code, bool(head or deputy))
    return rows


def scope_posts(
    period: Period, person_ids: list[int] | None = None, deeper: list[Period] | None = None
) -> QuerySet[Post]:
    """The posts held at the month's end in the period's subtree, outside deeper periods."""
    posts = Post.objects.active(month_end(period)).filter(unit__path__startswith=period.unit.path)
    for inner in deeper_periods(period) if deeper is None else deeper:
        posts = posts.exclude(unit__path__startswith=inner.unit.path)
    if person_ids is not None:
        posts = posts.filter(person_id__in=person_ids)
    return posts


class Work:
    """One person's month as integer sums, and the facts of each task (in due-date order)."""

    __slots__ = ("awaiting", "count", "done", "quality", "tasks", "timely", "total", "unfinished")

    def __init__(self) -> None:
        self.total = self.done = self.quality = self.timely = 0
        self.count = self.unfinished = self.awaiting = 0
        # Each task's facts as JSON text: [id, converted quantity, flags, failed, delays].
        self.tasks: list[str] = []


def month_tasks(period: Period, people: QuerySet[Any]) -> QuerySet[Task]:
    """The tasks of the period's months of the given people (a subquery of person ids)."""
    return Task.objects.filter(
        plan__year=period.year, plan__month__in=period_months(period), plan__person_id__in=people
    )


def _stream(cursor: Any, sql: str, params: Any) -> Iterator[tuple[Any, ...]]:
    """A query's rows; on PostgreSQL streamed in chunks as the server produces them (libpq's
    chunked mode), so reading overlaps the server's work."""
    if connection.vendor == "postgresql":
        yield from cursor.cursor.stream(sql, params, size=10000)
        return
    cursor.execute(sql, params)
    while batch := cursor.fetchmany(20000):
        yield from batch


def work_sums(period: Period, people: QuerySet[Any], judged: datetime.date) -> dict[int, Work]:
    """Everyone's month from plain task rows: converted quantities as integers computed by the
    database, lateness judged by the database (unfinished and past due on `judged`)."""
    tasks = month_tasks(period, people)
    exempt: dict[int, set[str]] = {}
    for task_id, kind in Exemption.objects.filter(
        task__in=tasks.values("pk"), state=ExemptionState.CONFIRMED
    ).values_list("task_id", "kind"):
        exempt.setdefault(task_id, set()).add(kind)
    weight = Cast(Round(F("quantity") * 100), BigIntegerField()) * Coalesce(
        Cast(Round(F("product_type__conversion_factor") * 1000), BigIntegerField()),
        Value(1000),
    )
    late = Case(
        When(completed_on__isnull=True, due_date__lt=judged, then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )
    rows = tasks.annotate(w=weight, late=late).order_by().values_list(
        "plan__person_id", "id", "w", "state", "quality_passed", "delays", "failed_reviews",
        "late",
    )  # fmt: skip
    # Plain rows from the driver: Django's per-value converters were a third of the reading.
    # Booleans may come back as 0/1 (SQLite), hence the truthiness tests. No order: the
    # explanation puts the tasks in due-date order when it is shown, and without a sort
    # PostgreSQL streams rows while they are summed.
    sums: dict[int, Work] = {}
    try:
        sql, params = rows.query.sql_with_params()
    except EmptyResultSet:  # nobody asked for
        return sums
    get = sums.get
    with connection.cursor() as cursor:
        for pid, tid, w, state, passed, delays, failed, is_late in _stream(cursor, sql, params):
            work = get(pid)
            if work is None:
                work = sums[pid] = Work()
            delays += is_late
            bits = 0
            kinds = exempt.get(tid)
            if kinds:
                if DELAY in kinds:
                    delays = 0
                if ERROR in kinds:
                    failed = 0
                if delays == 0 and failed == 0:
                    bits = OBJECTIVE
            work.total += w
            work.count += 1
            if state == VERIFIED:
                bits |= DONE
                work.done += w
                if passed:
                    bits |= MEETS_QUALITY
                    if failed < 4:
                        work.quality += w * (4 - failed)
            elif state in UNFINISHED:
                work.unfinished += 1
            elif state == AWAITING:
                work.awaiting += 1
            if delays < 4:
                work.timely += w * (4 - delays)
            work.tasks.append(f"[{tid},{w},{bits},{failed},{delays}]")
    return sums


@dataclass(frozen=True, slots=True)
class Given:
    """What the assessments give a person: general criteria (None if nobody scored it), who
    gave it, bonus, deductions (hundredths), and a superior's đ (percent, as entered)."""

    general: int | None
    source: str
    bonus: int
    deductions: int
    organising: Decimal | None
    has_self: bool
    has_leader: bool


NOBODY = Given(None, "", 0, 0, None, False, False)


def assessments_given(period: Period, person_ids: list[int] | None = None) -> dict[int, Given]:
    """The period's assessments by person, as `general_of` reads them: the leader's general
    criteria, bonus and deductions if given, else the self-assessment's (without bonus)."""
    found = MonthlyAssessment.objects.filter(period=period)
    if person_ids is not None:
        found = found.filter(person_id__in=person_ids)
    by_person: dict[int, dict[str, tuple[Decimal, Decimal, Decimal, Decimal | None]]] = {}
    for pid, source, general, bonus, deductions, organising in found.values_list(
        "person_id", "source", "general", "bonus", "deductions", "organising"
    ):
        by_person.setdefault(pid, {})[source] = (general, bonus, deductions, organising)
    given: dict[int, Given] = {}
    for pid, sources in by_person.items():
        leader, own = sources.get(LEADER), sources.get(SELF)
        if leader is not None:
            general, bonus, deductions, organising = leader
            given[pid] = Given(
                hundredths(general),
                LEADER,
                hundredths(bonus),
                hundredths(deductions),
                organising,
                own is not None,
                True,
            )
        elif own is not None:
            given[pid] = Given(hundredths(own[0]), SELF, 0, hundredths(own[2]), None, True, False)
    return given
