"""Reads of the work record, always through the actor's scope; and the bridge to scoring."""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import reduce
from operator import or_
from typing import Any

from django.core.paginator import Page
from django.db.models import Exists, OuterRef, Q, QuerySet

from thuocdo.org.models import Person, Post, Unit
from thuocdo.org.scope import scope_for, today, units_q
from thuocdo.paging import FirstPagePaginator
from thuocdo.rules.scoring import TaskItem
from thuocdo.work.models import (
    CitizenRating,
    Exemption,
    ExemptionKind,
    ExemptionState,
    JobPosition,
    MonthLock,
    Notification,
    PlanState,
    ProductType,
    Task,
    TaskAssignee,
    TaskState,
    WorkPlan,
)
from thuocdo.work.permissions import overseen_people, tasks_visible

OPEN_STATES = (TaskState.PLANNED, TaskState.IN_PROGRESS)
QUEUE_PAGE = 20  # items of each kind per page of «Đơn vị của tôi»
TEAM_PAGE = 50


def month_bounds(year: int, month: int) -> tuple[datetime.date, datetime.date]:
    """First and last day of a month."""
    return datetime.date(year, month, 1), datetime.date(
        year, month, calendar.monthrange(year, month)[1]
    )


def _unit_paths_in_month(person: Person | int, year: int, month: int) -> list[str]:
    """Paths of the units where the person held a post at some time in the month."""
    first, last = month_bounds(year, month)
    return list(
        Post.objects.filter(person_id=getattr(person, "pk", person), start_date__lte=last)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=first))
        .values_list("unit__path", flat=True)
    )


def year_locked_for(person: Person, year: int, month: int) -> str | None:
    """The locked annual evaluation period whose result rests on this month, if any: once a
    year is locked, the work record behind its results may not change either."""
    from thuocdo.reviews.models import Period, PeriodKind, PeriodState  # reviews reads work

    paths = _unit_paths_in_month(person, year, month)
    locked = Period.objects.filter(kind=PeriodKind.YEAR, year=year, state=PeriodState.LOCKED)
    for period in locked.select_related("unit"):
        if any(path.startswith(period.unit.path) for path in paths):
            return str(period)
    return None


def month_lock_for(person: Person | int, year: int, month: int) -> MonthLock | None:
    """The lock closing this person's month, if a unit above any of their posts locked it."""
    paths = _unit_paths_in_month(person, year, month)
    if not paths:
        return None
    for lock in MonthLock.objects.filter(year=year, month=month).select_related("unit"):
        if any(path.startswith(lock.unit.path) for path in paths):
            return lock
    return None


def month_locks_within(unit: Unit, year: int, month: int, limit: int = 20) -> list[MonthLock]:
    """The first locks of the month on units strictly inside the unit's subtree."""
    return list(
        MonthLock.objects.filter(year=year, month=month, unit__path__startswith=unit.path)
        .exclude(unit=unit)
        .select_related("unit")
        .order_by("unit__path")[:limit]
    )


Key = tuple[int, int, int]  # (person id, year, month)


def month_locks_of_months(months: Iterable[tuple[int, int]]) -> list[MonthLock]:
    """The locks of some months (year, month), in one query."""
    months = set(months)
    if not months:
        return []
    when = reduce(or_, (Q(year=y, month=m) for y, m in months))
    return list(MonthLock.objects.filter(when).select_related("unit", "locked_by__person"))


def month_locks_of(
    keys: Iterable[Key], month_locks: list[MonthLock] | None = None
) -> dict[Key, MonthLock]:
    """The locks closing some people's months, for those of the keys that are locked: at most
    two queries whatever their number (the locks of those months, unless given, then the
    people's posts)."""
    keys = set(keys)
    if month_locks is None:
        month_locks = month_locks_of_months((y, m) for _, y, m in keys)
    locks: dict[tuple[int, int], list[MonthLock]] = {}
    for lock in month_locks:
        locks.setdefault((lock.year, lock.month), []).append(lock)
    keys = {k for k in keys if (k[1], k[2]) in locks}
    if not keys:
        return {}
    first = min(month_bounds(y, m)[0] for _, y, m in keys)
    last = max(month_bounds(y, m)[1] for _, y, m in keys)
    posts = (
        Post.objects.filter(person_id__in={pid for pid, _, _ in keys}, start_date__lte=last)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=first))
        .values_list("person_id", "unit__path", "start_date", "end_date")
    )
    held: dict[int, list[tuple[str, datetime.date, datetime.date | None]]] = {}
    for pid, path, start, end in posts:
        held.setdefault(pid, []).append((path, start, end))
    found: dict[Key, MonthLock] = {}
    for key in keys:
        pid, y, m = key
        start_m, end_m = month_bounds(y, m)
        paths = [p for p, s, e in held.get(pid, []) if s <= end_m and (e is None or e >= start_m)]
        for lock in locks[(y, m)]:
            if any(p.startswith(lock.unit.path) for p in paths):
                found[key] = lock
                break
    return found


def month_locks_in(*sources: tuple[QuerySet[Any], str, str]) -> list[MonthLock]:
    """The locks of the months some rows are in, in one query: each source is the rows and the
    names of their year and month fields."""
    of_rows = [
        Exists(rows.order_by().filter(**{year: OuterRef("year"), month: OuterRef("month")}))
        for rows, year, month in sources
    ]
    if not of_rows:
        return []
    return list(MonthLock.objects.filter(reduce(or_, of_rows)).select_related("unit"))


def locked_q(locks: list[MonthLock], *, person: str, year: str, month: str) -> Q:
    """Filter for the rows in a locked month of their person (fields named by `person`, `year`
    and `month`) among the given locks (`month_locks_in`): one Exists per lock, usually none."""
    paths = {(lock.year, lock.month, lock.unit.path) for lock in locks}
    q = Q(pk__in=[])
    for lock in locks:
        # A lock under another lock of the same month adds nothing.
        path = lock.unit.path
        if any(
            (y, m) == (lock.year, lock.month) and path != p and path.startswith(p)
            for y, m, p in paths
        ):
            continue
        first, last = month_bounds(lock.year, lock.month)
        posts = Post.objects.filter(
            Q(end_date__isnull=True) | Q(end_date__gte=first),
            person_id=OuterRef(person),
            start_date__lte=last,
            unit__path__startswith=path,
        )
        q |= Q(**{year: lock.year, month: lock.month}) & Q(Exists(posts))
    return q


# How plans, tasks and exemptions name their person and month.
PLAN_FIELDS = {"person": "person", "year": "year", "month": "month"}
TASK_FIELDS = {"person": "plan__person", "year": "plan__year", "month": "plan__month"}
EXEMPTION_FIELDS = {
    "person": "task__plan__person",
    "year": "task__plan__year",
    "month": "task__plan__month",
}
PLAN_MONTH, TASK_MONTH, EXEMPTION_MONTH = (
    (f["year"], f["month"]) for f in (PLAN_FIELDS, TASK_FIELDS, EXEMPTION_FIELDS)
)


def without_locked(
    plans: QuerySet[WorkPlan], tasks: QuerySet[Task], exemptions: QuerySet[Exemption]
) -> tuple[QuerySet[WorkPlan], QuerySet[Task], QuerySet[Exemption]]:
    """Plans, tasks and exemptions waiting for someone, less those of a locked month, which
    could not be done: one query for the locks of their months."""
    locks = month_locks_in(
        (plans, *PLAN_MONTH), (tasks, *TASK_MONTH), (exemptions, *EXEMPTION_MONTH)
    )
    if not locks:
        return plans, tasks, exemptions
    return (
        plans.exclude(locked_q(locks, **PLAN_FIELDS)),
        tasks.exclude(locked_q(locks, **TASK_FIELDS)),
        exemptions.exclude(locked_q(locks, **EXEMPTION_FIELDS)),
    )


def task_list(
    *, actor: Any, year: int | None = None, month: int | None = None, person: Person | None = None
) -> QuerySet[Task]:
    """Tasks the actor may see, optionally of one month and one person."""
    tasks = tasks_visible(actor)
    if year is not None:
        tasks = tasks.filter(plan__year=year)
    if month is not None:
        tasks = tasks.filter(plan__month=month)
    if person is not None:
        tasks = tasks.filter(plan__person=person)
    return tasks.select_related("plan__person", "product_type").order_by("due_date", "id")


def my_month_tasks(*, person: Person, year: int, month: int, at: datetime.date) -> list[Task]:
    """A person's tasks of a month, overdue first (most overdue on top), then by due date."""
    # The ids first, a UNION of two indexed lookups (own plan, shared tasks): the OR of the
    # two over a join made PostgreSQL scan every task of the month, with a DISTINCT.
    month_tasks = Task.objects.filter(plan__year=year, plan__month=month).order_by()
    own = month_tasks.filter(plan__person=person).values_list("pk", flat=True)
    shared = month_tasks.filter(
        pk__in=TaskAssignee.objects.filter(person=person).values("task_id")
    ).values_list("pk", flat=True)
    tasks = list(
        Task.objects.filter(pk__in=list(own.union(shared)))
        .select_related("plan__person", "product_type")
        .prefetch_related("exemptions")
    )
    return sorted(tasks, key=lambda t: (-t.days_overdue(at), t.due_date, t.pk))


def plan_for(person: Person, year: int, month: int) -> WorkPlan | None:
    """A person's plan for a month, if registered."""
    return WorkPlan.objects.filter(person=person, year=year, month=month).first()


def own_register_open(*, plan: WorkPlan | None, is_current: bool, lock: MonthLock | None) -> bool:
    """Whether a person may register a task in their own plan: only in the current month, not
    locked, and only while the plan is a draft or returned (after that, new work is assigned
    by the leader)."""
    if not is_current or lock is not None:
        return False
    return plan is None or plan.state in (PlanState.DRAFT, PlanState.RETURNED)


def _confirmed_kinds(task: Task) -> set[str]:
    """Kinds of exemption confirmed on a task (uses the prefetch cache when present)."""
    return {e.kind for e in task.exemptions.all() if e.state == ExemptionState.CONFIRMED}


def task_item(task: Task, *, as_at: datetime.date) -> TaskItem:
    """One task as NĐ 335 Điều 14 scores it, with confirmed exemptions applied."""
    return score_item(
        weight=task.weight,
        state=task.state,
        quality_passed=task.quality_passed,
        delays=task.delays,
        failed_reviews=task.failed_reviews,
        completed_on=task.completed_on,
        due_date=task.due_date,
        exempt=_confirmed_kinds(task),
        as_at=as_at,
    )


def score_item(
    *,
    weight: Decimal,
    state: str,
    quality_passed: bool | None,
    delays: int,
    failed_reviews: int,
    completed_on: datetime.date | None,
    due_date: datetime.date,
    exempt: set[str],
    as_at: datetime.date,
) -> TaskItem:
    """The scoring item of a task from its plain fields (also used in bulk by monthly scoring)."""
    done = state == TaskState.VERIFIED
    # Unfinished work past its due date is late even though no completion recorded it yet.
    if completed_on is None and due_date < as_at:
        delays += 1
    if ExemptionKind.DELAY in exempt:
        delays = 0
    failed = 0 if ExemptionKind.ERROR in exempt else failed_reviews
    return TaskItem(
        weight=weight,
        done=done,
        meets_quality=done and quality_passed is True,
        failed_reviews=failed,
        delays=delays,
        # The engine's flag cancels both counts, so it is set only when nothing remains.
        objective_cause=bool(exempt) and delays == 0 and failed == 0,
    )


def task_items_for_month(
    person: Person, year: int, month: int, *, as_at: datetime.date | None = None
) -> list[tuple[Task, TaskItem]]:
    """The month's tasks of a person with their scoring items (weight = quantity × factor).

    `as_at` (default: the month's last day, or today while the month runs) decides which
    unfinished tasks are already late.
    """
    last = month_bounds(year, month)[1]
    as_at = as_at or min(last, today())
    tasks = (
        Task.objects.filter(plan__person=person, plan__year=year, plan__month=month)
        .select_related("product_type", "plan")
        .prefetch_related("exemptions")
        .order_by("due_date", "id")
    )
    return [(task, task_item(task, as_at=as_at)) for task in tasks]


@dataclass(frozen=True)
class LeaderQueue:
    """What waits for a superior: plans to approve, completions to verify, exemptions; one
    page of each, oldest first (an organiser oversees a whole district)."""

    plans_page: Page[WorkPlan]
    completions_page: Page[Task]
    exemptions_page: Page[Exemption]

    @property
    def plans(self) -> list[WorkPlan]:
        """The plans of this page."""
        return list(self.plans_page.object_list)

    @property
    def completions(self) -> list[Task]:
        """The completions of this page."""
        return list(self.completions_page.object_list)

    @property
    def exemptions(self) -> list[Exemption]:
        """The exemptions of this page."""
        return list(self.exemptions_page.object_list)

    @property
    def plans_total(self) -> int:
        """How many plans wait in all."""
        return self.plans_page.paginator.count

    @property
    def completions_total(self) -> int:
        """How many completions wait in all."""
        return self.completions_page.paginator.count

    @property
    def exemptions_total(self) -> int:
        """How many exemptions wait in all."""
        return self.exemptions_page.paginator.count

    @property
    def total(self) -> int:
        """Number of items waiting."""
        return self.plans_total + self.completions_total + self.exemptions_total


# The page parameter of each list of the queue on «Đơn vị của tôi».
QUEUE_PARAMS = {"plans": "kh", "completions": "ht", "exemptions": "mt"}


def leader_queue(
    *, actor: Any, person: Person | None = None, pages: Mapping[str, Any] | None = None
) -> LeaderQueue:
    """Everything waiting for the actor's decision, oldest first (of one person if given),
    a page of QUEUE_PAGE items of each kind (`pages` gives each list's page by QUEUE_PARAMS)."""
    pages = pages or {}
    overseen = overseen_people(actor)
    people = (overseen.filter(pk=person.pk) if person is not None else overseen).values("pk")
    plans = WorkPlan.objects.filter(person__in=people, state=PlanState.SUBMITTED)
    completions = Task.objects.filter(plan__person__in=people, state=TaskState.DONE)
    exemptions = Exemption.objects.filter(
        task__plan__person__in=people, state=ExemptionState.PENDING
    )
    # Nothing of a locked month waits for anyone: it could not be done (thuocdo.work.locking).
    plans, completions, exemptions = without_locked(plans, completions, exemptions)

    def page(queryset: QuerySet[Any], kind: str) -> Page[Any]:
        return FirstPagePaginator(queryset, QUEUE_PAGE).get_page(pages.get(QUEUE_PARAMS[kind], 1))

    return LeaderQueue(
        plans_page=page(
            plans.select_related("person").prefetch_related("tasks").order_by("id"), "plans"
        ),
        completions_page=page(
            completions.select_related("plan__person", "product_type").order_by(
                "completed_on", "id"
            ),
            "completions",
        ),
        exemptions_page=page(
            exemptions.select_related("task__plan__person").order_by("requested_at", "id"),
            "exemptions",
        ),
    )


def team_month(
    *,
    actor: Any,
    year: int,
    month: int,
    at: datetime.date,
    page: int | str = 1,
    person: Person | None = None,
) -> tuple[list[dict[str, Any]], Page[Any]]:
    """Per overseen person (one page of TEAM_PAGE people, or the one person given): tasks
    planned, done, late and failed reviews of the month, its completions waiting for
    verification (none in a locked month: nothing of it can be done), the month's plan and the
    lock closing the month, if any. What waits of other months is counted on their rows."""
    rows: dict[int, dict[str, Any]] = {}
    overseen = overseen_people(actor)
    if person is not None:
        overseen = overseen.filter(pk=person.pk)
    paginator = FirstPagePaginator(overseen.order_by("sort_key", "id"), TEAM_PAGE)
    people_page = paginator.get_page(page)
    people = list(people_page.object_list)
    for one in people:
        rows[one.pk] = {
            "person": one,
            "planned": 0,
            "done": 0,
            "late": 0,
            "failed": 0,
            "waiting": 0,
            "plan": None,
        }
    tasks = Task.objects.filter(plan__person__in=list(rows), plan__year=year, plan__month=month)
    for task in tasks.select_related("plan"):
        row = rows[task.plan.person_id]
        row["planned"] += 1
        row["done"] += task.state == TaskState.VERIFIED
        row["late"] += bool(task.delays or task.days_overdue(at))
        row["failed"] += task.failed_reviews
        row["waiting"] += task.state == TaskState.DONE
    for plan in WorkPlan.objects.filter(person__in=list(rows), year=year, month=month):
        rows[plan.person_id]["plan"] = plan
    locks = month_locks_of((pid, year, month) for pid in rows)
    for pid, row in rows.items():
        row["lock"] = locks.get((pid, year, month))
        if row["lock"]:
            row["waiting"] = 0
    return list(rows.values()), people_page


def tasks_due(*, within_days: int, at: datetime.date) -> tuple[QuerySet[Task], QuerySet[Task]]:
    """Unfinished tasks due within the next `within_days` days, and those already overdue."""
    open_tasks = Task.objects.filter(state__in=OPEN_STATES).select_related(
        "plan__person__user", "product_type"
    )
    soon = open_tasks.filter(due_date__gte=at, due_date__lte=at + datetime.timedelta(within_days))
    overdue = open_tasks.filter(due_date__lt=at)
    return soon.order_by("due_date", "id"), overdue.order_by("due_date", "id")


def notification_list(*, user: Any, unread_only: bool = False) -> QuerySet[Notification]:
    """A user's in-app notifications, newest first."""
    notes = Notification.objects.filter(user_id=user.pk)
    return notes.filter(read=False) if unread_only else notes


def catalogue_of(job_position: JobPosition) -> QuerySet[ProductType]:
    """A job position's product types, by group and code."""
    return job_position.product_types.order_by("group", "code")


def product_types_for(person: Person, at: datetime.date) -> QuerySet[ProductType]:
    """Product types of the job positions of the person's current posts (all if none linked)."""
    linked = ProductType.objects.filter(
        job_position__post_links__post__in=Post.objects.active(at).filter(person=person)
    )
    chosen = linked if linked.exists() else ProductType.objects.all()
    return chosen.select_related("job_position").order_by("job_position__code", "group", "code")


def citizen_ratings_for_month(person: Person, year: int, month: int) -> QuerySet[CitizenRating]:
    """Citizen ratings attached to a person's month."""
    return CitizenRating.objects.filter(person=person, year=year, month=month)


def job_positions(*, actor: Any) -> QuerySet[JobPosition]:
    """Job positions the actor may see: shared ones and those of visible units."""
    scope = scope_for(actor)
    if scope.is_empty:
        return JobPosition.objects.none()
    visible = Q(unit__isnull=True) | Q(unit__in=Unit.objects.filter(units_q(scope)).values("pk"))
    return JobPosition.objects.filter(visible).select_related("unit").order_by("code")
